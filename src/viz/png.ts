// PNG encoding of grey canvases (pngjs), written atomically.
import { PNG } from "pngjs";
import { writeFileAtomic } from "../io/atomic.js";
import type { Canvas } from "./grid.js";

/** A grey canvas as PNG bytes. */
export function encodePng(c: Canvas): Uint8Array {
  const png = new PNG({ width: c.width, height: c.height, colorType: 0, inputColorType: 0, bitDepth: 8, inputHasAlpha: false });
  png.data = Buffer.from(c.px);
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false });
}

/** Writes a grey canvas as a PNG file, atomically. */
export function writePng(file: string, c: Canvas): void {
  writeFileAtomic(file, encodePng(c));
}
