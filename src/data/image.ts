// Decoded images and the decoder seam: the library prepares RGBA pixels from any decoder (Node's pure-JS
// and WebAssembly ones in data/node-decoders.ts; the page can hand in the browser's own).

/** Image formats flowlab reads, by their usual file extensions. */
export const IMAGE_EXTENSIONS: Readonly<Record<string, ImageFormat>> = Object.freeze({ ".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".webp": "webp", ".gif": "gif" });

/** A format flowlab decodes. */
export type ImageFormat = "png" | "jpeg" | "gif" | "webp";

/** What an image's header declares, read before any pixel is decoded. */
export interface ImageHeader {
  format: ImageFormat;
  width: number;
  height: number;
}

/** A decoded image: 8-bit RGBA, row-major. data: [height, width, 4] */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array | Uint8ClampedArray;
}

/**
 * Reads headers and decodes images. `header` throws an Error saying why when the bytes are not a
 * readable PNG, JPEG, GIF or WebP; `decode` (format from the header) throws on corrupt data.
 */
export interface ImageDecoder {
  /** The format and size the bytes' header declares; throws saying why when it is not a readable image. */
  header(bytes: Uint8Array): ImageHeader;
  /** The pixels as 8-bit RGBA; throws when the data is corrupt. */
  decode(bytes: Uint8Array, format: ImageFormat): RgbaImage;
}
