// A tiny image folder for tests, written into a temporary directory: two colour classes ("red": PNGs of
// several shapes plus a text file; "blue": JPEGs, an RGBA icon and a corrupt PNG) and an empty class.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PNG } from "pngjs";
import jpeg from "jpeg-js";
import type { RgbaImage } from "../data/image.js";

/** A w×h RGBA image with pixel (x, y) = f(x, y). */
export function rgbaImage(w: number, h: number, f: (x: number, y: number) => readonly [number, number, number, number]): RgbaImage {
  const data = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data.set(f(x, y), (y * w + x) * 4);
  return { width: w, height: h, data };
}

/** PNG bytes of an RGBA image. */
export function pngBytes(im: RgbaImage): Uint8Array {
  const p = new PNG({ width: im.width, height: im.height });
  p.data = Buffer.from(im.data);
  return PNG.sync.write(p);
}

/** Baseline JPEG bytes of an RGBA image (alpha dropped). */
export function jpegBytes(im: RgbaImage, quality = 90): Uint8Array {
  return jpeg.encode({ width: im.width, height: im.height, data: Buffer.from(im.data) }, quality).data;
}

/** The files the tiny folder holds and which of them are left out, and why (as a pattern). */
export const TINY_FOLDER = {
  classes: ["blue", "red"],
  counts: [7, 8],
  skipped: { "blue/corrupt.png": /corrupt|not a readable image/, "red/notes.txt": /not an image/ },
  empty: ["empty"],
} as const;

/** Writes the tiny folder into a new temporary directory and returns its path. */
export function writeTinyFolder(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "flowlab-folder-"));
  for (const c of ["red", "blue", "empty"]) mkdirSync(path.join(dir, c));
  for (let i = 0; i < 8; i++) writeFileSync(path.join(dir, "red", `r${i}.png`), pngBytes(rgbaImage(40 + i, 36, (x) => [200 + i * 5, (x * 7) % 60, 30, 255])));
  for (let i = 0; i < 6; i++) writeFileSync(path.join(dir, "blue", `b${i}.jpg`), jpegBytes(rgbaImage(48, 64, (_, y) => [20, (y * 3 + i * 9) % 80, 220, 255])));
  writeFileSync(path.join(dir, "blue", "icon.png"), pngBytes(rgbaImage(16, 16, (x, y) => [0, 0, 255, (x + y) % 2 ? 255 : 0])));
  writeFileSync(path.join(dir, "blue", "corrupt.png"), Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from("this is not really a png file")]));
  writeFileSync(path.join(dir, "red", "notes.txt"), "not an image");
  return dir;
}
