// Reads an image's format and declared size from its header (the npm package image-size) before any
// pixel is decoded, so a decompression bomb is refused by its declared size, not after decoding it.
import { imageSize } from "image-size";
import type { ImageFormat } from "./image.js";

/** What an image's header declares. */
export interface ImageHeader {
  format: ImageFormat;
  width: number;
  height: number;
}

const FORMATS: Readonly<Record<string, ImageFormat>> = { png: "png", jpg: "jpeg", gif: "gif", webp: "webp" };

/** The header's format and size; throws an Error saying why when the bytes are not a PNG, JPEG, GIF or WebP. */
export function readImageHeader(bytes: Uint8Array): ImageHeader {
  let info;
  try {
    info = imageSize(bytes);
  } catch (e) {
    throw new Error(`not a readable image (${(e as Error).message.replace(/\.$/, "")})`);
  }
  const format = info.type ? FORMATS[info.type] : undefined;
  if (!format) throw new Error(`${info.type ?? "unknown"} images are not supported (PNG, JPEG, GIF or WebP)`);
  if (!(info.width > 0 && info.height > 0)) throw new Error(`its header declares an empty image (${info.width}×${info.height})`);
  return { format, width: info.width, height: info.height };
}
