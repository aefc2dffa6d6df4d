// Preparation, table-driven: area resizing antialiases, the centre crop keeps the middle, alpha lands on
// the chosen background, grey is detected, flips mirror, backgrounds parse.
import { test } from "node:test";
import assert from "node:assert/strict";
import { prepareImage, flipInPlace, parseBackground, centreSquare, BACKGROUNDS } from "./prepare.js";
import { rgbaImage } from "../testing/image-folder.js";

const WHITE = BACKGROUNDS["white"]!, BLACK = BACKGROUNDS["black"]!;
/** 0..255 → [−1, 1] as prepareImage scales. */
const unit = (v: number) => (v / 255) * 2 - 1;

const CASES: { name: string; img: ReturnType<typeof rgbaImage>; size: number; bg: readonly [number, number, number]; rgb: [number, number, number]; grey: boolean }[] = [
  // a one-pixel checkerboard shrunk 2× averages to mid-grey everywhere (a point sampler would keep 0 or 255)
  { name: "area resize antialiases a checkerboard", img: rgbaImage(64, 64, (x, y) => ((x + y) % 2 ? [255, 255, 255, 255] : [0, 0, 0, 255])), size: 32, bg: WHITE, rgb: [127.5, 127.5, 127.5], grey: true },
  // 3× shrink of 96: every output pixel averages 9 source pixels, 5 black and 4 white or the reverse
  { name: "area resize by 3 averages 3×3 blocks", img: rgbaImage(96, 96, (x, y) => ((x + y) % 2 ? [255, 255, 255, 255] : [0, 0, 0, 255])), size: 32, bg: WHITE, rgb: [NaN, NaN, NaN], grey: true },
  // a wide image: red and blue side bands are cropped away, the green square in the middle stays
  { name: "centre crop drops the sides of a wide image", img: rgbaImage(48, 32, (x) => (x < 8 ? [255, 0, 0, 255] : x >= 40 ? [0, 0, 255, 255] : [0, 255, 0, 255])), size: 32, bg: WHITE, rgb: [0, 255, 0], grey: false },
  { name: "centre crop drops top and bottom of a tall image", img: rgbaImage(16, 48, (_, y) => (y < 16 || y >= 32 ? [255, 0, 0, 255] : [10, 20, 30, 255])), size: 32, bg: WHITE, rgb: [10, 20, 30], grey: false },
  { name: "transparent pixels take a white background", img: rgbaImage(32, 32, () => [255, 0, 0, 0]), size: 32, bg: WHITE, rgb: [255, 255, 255], grey: true },
  { name: "transparent pixels take a black background", img: rgbaImage(32, 32, () => [255, 0, 0, 0]), size: 32, bg: BLACK, rgb: [0, 0, 0], grey: true },
  { name: "half-transparent red over black is half red", img: rgbaImage(32, 32, () => [255, 0, 0, 102]), size: 32, bg: BLACK, rgb: [102, 0, 0], grey: false },
  { name: "upsampling 16 → 64 keeps a flat colour", img: rgbaImage(16, 16, () => [40, 80, 120, 255]), size: 64, bg: WHITE, rgb: [40, 80, 120], grey: false },
];

for (const c of CASES) test(`prepare: ${c.name}`, () => {
  const { pixels, grey } = prepareImage(c.img, { size: c.size, background: c.bg });
  const P = c.size * c.size;
  assert.equal(pixels.length, 3 * P);
  assert.equal(grey, c.grey);
  for (let ch = 0; ch < 3; ch++) {
    const plane = pixels.subarray(ch * P, (ch + 1) * P);
    if (Number.isNaN(c.rgb[ch]!)) {
      for (const v of plane) assert.ok(Math.abs(v - unit(255 * 4 / 9)) < 1e-5 || Math.abs(v - unit(255 * 5 / 9)) < 1e-5, `channel ${ch}: ${v} is a 3×3 average`);
    } else for (const v of plane) assert.ok(Math.abs(v - unit(c.rgb[ch]!)) < 1e-5, `channel ${ch}: ${v}, expected ${unit(c.rgb[ch]!)}`);
  }
});

test("prepare: a left-to-right ramp keeps its order and its mean through area resizing", () => {
  const img = rgbaImage(100, 100, (x) => [Math.round((x / 99) * 255), 0, 0, 255]);
  const { pixels } = prepareImage(img, { size: 32, background: WHITE });
  const row = Array.from(pixels.subarray(0, 32));
  for (let i = 1; i < 32; i++) assert.ok(row[i]! > row[i - 1]!, "increasing");
  let src = 0;
  for (let x = 0; x < 100; x++) src += Math.round((x / 99) * 255);
  assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) / 32 - unit(src / 100)) < 1e-4, "area averaging keeps the mean");
});

test("centreSquare, flipInPlace and parseBackground", () => {
  assert.deepEqual(centreSquare(48, 32), { x: 8, y: 0, side: 32 });
  assert.deepEqual(centreSquare(31, 40), { x: 0, y: 4, side: 31 });
  const x = Float32Array.from([1, 2, 3, 4, 5, 6]); // [C=2, S=... ] two rows of 3
  flipInPlace(x, 3);
  assert.deepEqual(Array.from(x), [3, 2, 1, 6, 5, 4]);
  for (const [text, want] of [["white", [255, 255, 255]], ["black", [0, 0, 0]], ["#ff8000", [255, 128, 0]]] as const) assert.deepEqual(parseBackground(text), want);
  for (const bad of ["pink", "#fff", "#gg0000", ""]) assert.throws(() => parseBackground(bad), /expected white, black, grey or #rrggbb/);
});
