// Node's image decoders, pure JS or WebAssembly (no native binaries): image-size reads headers; pngjs,
// jpeg-js, omggif (a GIF's first frame) and libwebp from @jsquash/webp decode. All but pngjs are optional
// packages, loaded on first use (WebP's module is compiled once, asynchronously, when this module loads).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { PNG } from "pngjs";
import type * as ImageSize from "image-size";
import type * as JpegJs from "jpeg-js";
import type * as OmgGif from "omggif";
import type { WebPModule } from "@jsquash/webp/codec/dec/webp_dec.js";
import { needing, needingAsync, MissingPackageError } from "../io/optional-packages.js";
import type { ImageDecoder, ImageFormat, ImageHeader, RgbaImage } from "./image.js";

const require = createRequire(import.meta.url);

/** libwebp, or why it is not available (a missing optional package surfaces on the first WebP file). */
const webp: WebPModule | MissingPackageError = await (async () => {
  try {
    const wasm = new WebAssembly.Module(readFileSync(needing("images", () => require.resolve("@jsquash/webp/codec/dec/webp_dec.wasm"))));
    const factory = (await needingAsync("images", () => import("@jsquash/webp/codec/dec/webp_dec.js"))).default;
    return await factory({
      noInitialRun: true,
      instantiateWasm: (imports: WebAssembly.Imports, done: (i: WebAssembly.Instance) => void) => {
        const instance = new WebAssembly.Instance(wasm, imports);
        done(instance);
        return instance.exports;
      },
    } as Parameters<typeof factory>[0]);
  } catch (e) {
    if (e instanceof MissingPackageError) return e;
    throw e;
  }
})();

const lazy = <T>(name: string) => {
  let m: T | undefined;
  return (): T => (m ??= needing("images", () => require(name) as T));
};
const imageSize = lazy<typeof ImageSize>("image-size");
const jpeg = lazy<typeof JpegJs>("jpeg-js");
const gif = lazy<typeof OmgGif>("omggif");

const FORMATS: Readonly<Record<string, ImageFormat>> = { png: "png", jpg: "jpeg", gif: "gif", webp: "webp" };

function header(bytes: Uint8Array): ImageHeader {
  const read = imageSize().imageSize;
  let info;
  try {
    info = read(bytes);
  } catch (e) {
    throw new Error(`not a readable image (${(e as Error).message.replace(/\.$/, "")})`);
  }
  const format = info.type ? FORMATS[info.type] : undefined;
  if (!format) throw new Error(`${info.type ?? "unknown"} images are not supported (PNG, JPEG, GIF or WebP)`);
  if (!(info.width > 0 && info.height > 0)) throw new Error(`its header declares an empty image (${info.width}×${info.height})`);
  return { format, width: info.width, height: info.height };
}

const DECODE: Record<ImageFormat, (bytes: Uint8Array) => RgbaImage> = {
  png: (bytes) => {
    const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    return { width: png.width, height: png.height, data: png.data };
  },
  jpeg: (bytes) => {
    const j = jpeg().decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: 100, maxMemoryUsageInMB: 1024 });
    return { width: j.width, height: j.height, data: j.data };
  },
  gif: (bytes) => {
    const g = new (gif().GifReader)(bytes);
    const data = new Uint8Array(g.width * g.height * 4);
    g.decodeAndBlitFrameRGBA(0, data);
    return { width: g.width, height: g.height, data };
  },
  webp: (bytes) => {
    if (webp instanceof MissingPackageError) throw webp;
    const img = webp.decode(bytes as Uint8Array<ArrayBuffer>);
    if (!img) throw new Error("libwebp could not decode it");
    return { width: img.width, height: img.height, data: new Uint8Array(img.data.buffer, img.data.byteOffset, img.data.byteLength).slice() };
  },
};

/** Headers (image-size) and PNG, JPEG, GIF (first frame) and WebP decoders for Node. */
export const nodeDecoder: ImageDecoder = {
  header,
  decode(bytes, format) {
    const img = DECODE[format](bytes);
    if (img.data.length !== img.width * img.height * 4) throw new Error(`decoded ${img.data.length} bytes for ${img.width}×${img.height} RGBA`);
    return img;
  },
};
