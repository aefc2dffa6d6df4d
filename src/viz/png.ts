// PNG encoding of grey canvases (pngjs).
import { PNG } from "pngjs";
import type { Canvas } from "./grid.js";

/** A grey canvas as PNG bytes. */
export function encodePng(c: Canvas): Uint8Array {
  const png = new PNG({ width: c.width, height: c.height, colorType: 0, inputColorType: 0, bitDepth: 8, inputHasAlpha: false });
  png.data = Buffer.from(c.px);
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false });
}

