// digits.bin round trip: the encoder's bytes decode to the same labels and to images within one grey level.
import { test } from "node:test";
import assert from "node:assert/strict";
import { encodeDigitsBin, decodeDigitsBin } from "./digits-bin.js";

const P = 1024;
const image = (f: (p: number) => number) => Float32Array.from({ length: P }, (_, p) => f(p));

const CASES: { name: string; images: Float32Array[]; labels: number[] }[] = [
  { name: "black and white", images: [image(() => -1), image(() => 1)], labels: [0, 9] },
  { name: "a ramp", images: [image((p) => (p / (P - 1)) * 2 - 1)], labels: [7] },
  { name: "no digits", images: [], labels: [] },
];

for (const c of CASES) {
  test(`digits.bin round trip: ${c.name}`, () => {
    const flat = new Float32Array(c.images.length * P);
    c.images.forEach((im, i) => flat.set(im, i * P));
    const bytes = encodeDigitsBin(flat, c.labels, c.labels.length);
    assert.equal(bytes.length, c.labels.length * (P + 1));
    const d = decodeDigitsBin(bytes);
    assert.equal(d.count, c.labels.length);
    assert.deepEqual([...d.labels], c.labels);
    for (let i = 0; i < flat.length; i++) assert.ok(Math.abs(d.images[i]! - flat[i]!) <= 1 / 255 + 1e-6, `pixel ${i}: ${d.images[i]} vs ${flat[i]}`);
  });
}

test("digits.bin: a torn file is refused, naming it", () => {
  assert.throws(() => decodeDigitsBin(new Uint8Array(P + 2), "public/digits.bin"), /public\/digits\.bin: 1026 bytes is not a whole number of digits/);
});
