// image-set.bin: what web-assets writes for the emoji example, the page reads back (levels to 8 bits,
// labels, class names, notice), and a damaged file is refused with its name and why.
import { test } from "node:test";
import assert from "node:assert/strict";
import { decodeImageSetFile, encodeImageSetFile, type ImageSetFile } from "./image-set-file.js";

const set: ImageSetFile = {
  name: "emoji",
  classNames: ["faces", "food"],
  size: 2,
  channels: 3,
  notice: "Apache-2.0",
  images: Float32Array.from({ length: 3 * 12 }, (_, i) => ((i * 53) % 256) / 127.5 - 1),
  labels: Int32Array.from([1, 0, 1]),
};

test("image-set.bin round-trips: class names, notice, labels, and levels to the nearest 8-bit step", () => {
  const d = decodeImageSetFile(encodeImageSetFile(set));
  assert.deepEqual({ ...d, images: null, labels: [...d.labels] }, { ...set, images: null, labels: [1, 0, 1] });
  assert.ok(d.images.every((v, i) => Math.abs(v - set.images[i]!) < 1e-6), "levels survive exactly");
});

test("a damaged image-set.bin is refused, naming the file and what is wrong", () => {
  const good = encodeImageSetFile(set);
  const badLabel = good.slice();
  badLabel[badLabel.length - 1] = 7;
  const cases: [Uint8Array, RegExp][] = [
    [new Uint8Array(0), /not an image set/],
    [new TextEncoder().encode("PK\u0003\u0004xxxx"), /not an image set/],
    [good.subarray(0, good.length - 1), /bytes, expected/],
    [good.subarray(0, 20), /header says \d+ bytes/],
    [badLabel, /label 7 of image 2 is not one of the 2 classes/],
  ];
  for (const [bytes, want] of cases) assert.throws(() => decodeImageSetFile(bytes, "site/emoji.bin"), (e: Error) => e.message.startsWith("site/emoji.bin: ") && want.test(e.message), String(want));
});
