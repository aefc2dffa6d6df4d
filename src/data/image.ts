// Decoded images and the decoder seam: the library prepares RGBA pixels from any decoder (Node's pure-JS
// and WebAssembly ones in data/decoders.ts; the page can hand in the browser's own).

/** Image formats flowlab reads, by their usual file extensions. */
export const IMAGE_EXTENSIONS: Readonly<Record<string, ImageFormat>> = Object.freeze({ ".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".webp": "webp", ".gif": "gif" });

/** A format flowlab decodes. */
export type ImageFormat = "png" | "jpeg" | "gif" | "webp";

/** A decoded image: 8-bit RGBA, row-major. data: [height, width, 4] */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array | Uint8ClampedArray;
}

/** Decodes one image's bytes (the format already read from its header); throws on corrupt data. */
export interface ImageDecoder {
  decode(bytes: Uint8Array, format: ImageFormat): RgbaImage;
}
