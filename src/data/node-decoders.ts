// Node's image decoders, pure JS or WebAssembly (no native binaries): pngjs, jpeg-js, omggif (first
// frame of a GIF) and libwebp from @jsquash/webp, compiled once when this module loads.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { PNG } from "pngjs";
import jpeg from "jpeg-js";
import { GifReader } from "omggif";
import webpFactory from "@jsquash/webp/codec/dec/webp_dec.js";
import type { ImageDecoder, ImageFormat, RgbaImage } from "./image.js";

const require = createRequire(import.meta.url);
const webpWasm = new WebAssembly.Module(readFileSync(require.resolve("@jsquash/webp/codec/dec/webp_dec.wasm")));
const webp = await webpFactory({
  noInitialRun: true,
  instantiateWasm: (imports: WebAssembly.Imports, done: (i: WebAssembly.Instance) => void) => {
    const instance = new WebAssembly.Instance(webpWasm, imports);
    done(instance);
    return instance.exports;
  },
} as Parameters<typeof webpFactory>[0]);

const DECODE: Record<ImageFormat, (bytes: Uint8Array) => RgbaImage> = {
  png: (bytes) => {
    const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    return { width: png.width, height: png.height, data: png.data };
  },
  jpeg: (bytes) => {
    const j = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: 100, maxMemoryUsageInMB: 1024 });
    return { width: j.width, height: j.height, data: j.data };
  },
  gif: (bytes) => {
    const g = new GifReader(bytes);
    const data = new Uint8Array(g.width * g.height * 4);
    g.decodeAndBlitFrameRGBA(0, data);
    return { width: g.width, height: g.height, data };
  },
  webp: (bytes) => {
    const img = webp.decode(bytes);
    if (!img) throw new Error("libwebp could not decode it");
    return { width: img.width, height: img.height, data: new Uint8Array(img.data.buffer, img.data.byteOffset, img.data.byteLength).slice() };
  },
};

/** PNG, JPEG, GIF (first frame) and WebP decoders for Node. */
export const nodeDecoder: ImageDecoder = {
  decode(bytes, format) {
    const img = DECODE[format](bytes);
    if (img.data.length !== img.width * img.height * 4) throw new Error(`decoded ${img.data.length} bytes for ${img.width}×${img.height} RGBA`);
    return img;
  },
};
