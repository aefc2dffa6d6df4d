// digits.bin: what web-assets writes, the page reads back (labels first, grey levels exact), and a
// file that is not whole digits is refused with its name.
import { test } from "node:test";
import assert from "node:assert/strict";
import { decodeDigitsFile, encodeDigitsFile } from "./digits-file.js";

test("digits.bin round-trips: labels, and images to the nearest grey level", () => {
  const count = 3;
  const images = Float32Array.from({ length: count * 1024 }, (_, i) => ((i * 37) % 256) / 127.5 - 1);
  const bytes = encodeDigitsFile(images, [7, 0, 9], count);
  assert.equal(bytes.length, count * 1025);
  const d = decodeDigitsFile(bytes);
  assert.equal(d.count, count);
  assert.deepEqual([...d.labels], [7, 0, 9]);
  assert.ok(d.images.every((v, i) => Math.abs(v - images[i]!) < 1e-6), "grey levels survive exactly");
  assert.equal(d.images[1024 + 5], Math.fround(((1029 * 37) % 256) / 127.5 - 1), "the second digit starts after the first");
});

for (const [what, length] of [["empty", 0], ["a digit and a byte", 1026], ["half a digit", 512]] as const) {
  test(`digits.bin that is ${what} is refused, naming the file`, () => {
    assert.throws(() => decodeDigitsFile(new Uint8Array(length), "site/digits.bin"), /^Error: site\/digits\.bin: \d+ bytes is not a whole number of digits/);
  });
}
