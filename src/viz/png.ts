// PNG encoding of grey canvases (pngjs), written atomically.
import { PNG } from "pngjs";
import { writeFileAtomic } from "../io/atomic.js";
import type { Canvas } from "./grid.js";

export function encodePng(c: Canvas): Uint8Array {
  const png = new PNG({ width: c.width, height: c.height, colorType: 0, inputColorType: 0, bitDepth: 8, inputHasAlpha: false });
  png.data = Buffer.from(c.px);
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false });
}

export function writePng(file: string, c: Canvas): void {
  writeFileAtomic(file, encodePng(c));
}

export function readPngGrey(bytes: Uint8Array): Canvas {
  const png = PNG.sync.read(Buffer.from(bytes));
  const px = new Uint8Array(png.width * png.height);
  for (let i = 0; i < px.length; i++) px[i] = png.data[i * 4]!;
  return { width: png.width, height: png.height, px };
}
