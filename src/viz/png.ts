// PNG encoding of grey or RGB canvases (pngjs).
import { PNG } from "pngjs";
import type { Canvas } from "./grid.js";

/** A grey or RGB canvas as PNG bytes (colour type 0 or 2). */
export function encodePng(c: Canvas): Uint8Array {
  const colorType = c.channels === 3 ? 2 : 0;
  if (c.px.length !== c.width * c.height * (c.channels ?? 1)) throw new RangeError(`encodePng: ${c.px.length} bytes for ${c.width}×${c.height}×${c.channels ?? 1}`);
  const png = new PNG({ width: c.width, height: c.height, colorType, inputColorType: colorType, bitDepth: 8, inputHasAlpha: false });
  png.data = Buffer.from(c.px);
  return PNG.sync.write(png, { colorType, inputColorType: colorType, inputHasAlpha: false });
}

