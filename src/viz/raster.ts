// SVG → pixels with resvg (WebAssembly, loaded from node_modules: no native binary, no download),
// using only the shipped font. Images inside figures are upscaled nearest-neighbour. resvg is an
// optional peer, imported on first use.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { FONT_FAMILY, fontBytes } from "./typeface.js";
import type { Canvas } from "./grid.js";
import { needing, needingAsync } from "../io/optional-packages.js";

type ResvgModule = typeof import("@resvg/resvg-wasm");
let ready: Promise<ResvgModule> | null = null;

/** The largest PNG drawn (400 MB of RGBA while rendering). */
export const MAX_MEGAPIXELS = 100;

function init(): Promise<ResvgModule> {
  ready ??= (async () => {
    const resvg = await needingAsync("figures", () => import("@resvg/resvg-wasm"));
    const wasm = needing("figures", () => createRequire(import.meta.url).resolve("@resvg/resvg-wasm/index_bg.wasm"));
    await resvg.initWasm(readFileSync(wasm));
    return resvg;
  })();
  // a failed load (e.g. a missing package) is not cached: installing it fixes the next call
  ready.catch(() => (ready = null));
  return ready;
}

export interface Raster {
  width: number;
  height: number;
  rgba: Uint8Array;
  png: Uint8Array;
}

/** Renders `svg` at `scale` × its own size (scale 2: twice the pixels, same layout). */
export async function rasterize(svg: string, scale = 1): Promise<Raster> {
  if (!(scale > 0 && scale <= 16)) throw new RangeError(`scale must be in (0, 16], got ${scale}`);
  const { Resvg } = await init();
  const r = new Resvg(svg, {
    font: { fontBuffers: [fontBytes("normal"), fontBytes("bold")], defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY },
    fitTo: { mode: "zoom", value: scale },
    imageRendering: 1, // optimizeSpeed: nearest-neighbour
    background: "white",
  });
  try {
    const mp = (r.width * r.height * scale * scale) / 1e6;
    if (mp > MAX_MEGAPIXELS) throw new RangeError(`figure too large to rasterize: ${Math.round(r.width * scale)}×${Math.round(r.height * scale)} px (limit ${MAX_MEGAPIXELS} megapixels); write --svg, or lower --scale or the number of images`);
    const img = r.render();
    try {
      return { width: img.width, height: img.height, rgba: img.pixels.slice(), png: img.asPng() };
    } finally {
      img.free();
    }
  } finally {
    r.free();
  }
}

/** PNG bytes of `svg` at `scale`. */
export async function svgToPng(svg: string, scale = 1): Promise<Uint8Array> {
  return (await rasterize(svg, scale)).png;
}

/** A grey canvas of `svg` (for the GIF encoder): the luma of each pixel. */
export async function svgToGrey(svg: string, scale = 1): Promise<Canvas> {
  const { width, height, rgba } = await rasterize(svg, scale);
  const px = new Uint8Array(width * height);
  for (let i = 0; i < px.length; i++) px[i] = Math.round(0.299 * rgba[4 * i]! + 0.587 * rgba[4 * i + 1]! + 0.114 * rgba[4 * i + 2]!);
  return { width, height, px };
}
