// Background statistics: what sees grain on a background. On grey data with black backgrounds (MNIST),
// stroke cores are pixels whose 3×3 mean is brighter than mid-grey; a pixel is background when no core
// lies within 2 px, and its level is how far it sits above black (−1). On other data (colour, white
// backgrounds) the background is the pixels near-constant across the real set, and the level is how far
// a sample strays from the real value there; with no such pixels the view is reported as not applicable.
import { IMAGE } from "../nn/config.js";
import type { ImageGeometry } from "../nn/classifier.js";
import { meanEstimate, type Estimate } from "./estimate.js";

/** Background figures over a set: RMS level (in units of the [−1, 1] range) and the fraction of lit pixels. */
export interface BackgroundStats {
  /** Mean over images of the RMS of (x + 1)/2 over background pixels. */
  level: Estimate;
  /** Mean over images of the fraction of background pixels above 2 % grey ((x + 1)/2 > 0.02). */
  lit: Estimate;
  /** Mean background pixels per image. */
  pixels: number;
}

const RADIUS = 2, STROKE = 0, LIT = 0.02;

/** Per image: the RMS background level and the lit fraction (1 and 1 where an image has no background left). */
export function backgroundPerImage(images: Float32Array, size: number = IMAGE.height): { level: Float64Array; lit: Float64Array; pixels: Float64Array } {
  const H = size, W = size, P = size * size;
  const N = images.length / P;
  const level = new Float64Array(N), lit = new Float64Array(N), pixels = new Float64Array(N);
  const core = new Uint8Array(P), rowMax = new Uint8Array(P);
  for (let n = 0; n < N; n++) {
    const img = images.subarray(n * P, (n + 1) * P);
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
      let s = 0;
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
        const r = y + dy, q = x + dx;
        s += r >= 0 && r < H && q >= 0 && q < W ? img[r * W + q]! : -1;
      }
      core[y * W + x] = s / 9 > STROKE ? 1 : 0;
    }
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
      let m = 0;
      for (let dx = -RADIUS; dx <= RADIUS; dx++) {
        const q = x + dx;
        if (q >= 0 && q < W) m |= core[y * W + q]!;
      }
      rowMax[y * W + x] = m;
    }
    let s = 0, c = 0, l = 0;
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
      let m = 0;
      for (let dy = -RADIUS; dy <= RADIUS; dy++) {
        const r = y + dy;
        if (r >= 0 && r < H) m |= rowMax[r * W + x]!;
      }
      if (m) continue; // near a stroke core
      const v = (img[y * W + x]! + 1) / 2;
      s += v * v;
      c++;
      if (v > LIT) l++;
    }
    level[n] = c ? Math.sqrt(s / c) : 1; // no background at all: as far from black as it gets
    lit[n] = c ? l / c : 1;
    pixels[n] = c;
  }
  return { level, lit, pixels };
}

/** Background level and lit fraction of grey images [N, 1, S, S] on black, with standard errors. */
export function backgroundStats(images: Float32Array, size: number = IMAGE.height): BackgroundStats {
  const { level, lit, pixels } = backgroundPerImage(images, size);
  return { level: meanEstimate(level), lit: meanEstimate(lit), pixels: pixels.reduce((a, b) => a + b, 0) / Math.max(1, pixels.length) };
}

/** How a data set's background is found: black around strokes, the pixels constant across real images, or none. */
export type BackgroundModel =
  | { kind: "black"; size: number }
  | { kind: "constant"; geometry: ImageGeometry; mask: Uint8Array; mean: Float32Array; fraction: number }
  | { kind: "none"; why: string };

/** A position is background when its real values vary by less than this (std, in the [−1, 1] range) in every channel. */
export const CONSTANT_STD = 0.1;
/** The least share of positions that makes a constant background worth measuring. */
const MIN_FRACTION = 0.02;
/** A real set counts as black-background when its stroke-method level is below this. */
const BLACK_LEVEL = 0.05;

/** The background model of a real set [M, C, S, S]: "black" for grey data on black, else the near-constant positions. */
export function backgroundModel(real: Float32Array, g: ImageGeometry): BackgroundModel {
  const M = real.length / g.pixels;
  if (M < 2) return { kind: "none", why: "background: fewer than 2 real images to find it from" };
  if (g.channels === 1 && backgroundStats(real, g.size).level.value < BLACK_LEVEL) return { kind: "black", size: g.size };
  const A = g.size * g.size, C = g.channels;
  const mean = new Float32Array(g.pixels), sq = new Float64Array(g.pixels);
  for (let m = 0; m < M; m++) for (let i = 0; i < g.pixels; i++) {
    const v = real[m * g.pixels + i]!;
    mean[i]! += v / M;
    sq[i]! += (v * v) / M;
  }
  const mask = new Uint8Array(A);
  let count = 0;
  for (let a = 0; a < A; a++) {
    let ok = 1;
    for (let c = 0; c < C; c++) if (Math.sqrt(Math.max(0, sq[c * A + a]! - mean[c * A + a]! ** 2)) >= CONSTANT_STD) ok = 0;
    mask[a] = ok;
    count += ok;
  }
  const fraction = count / A;
  if (fraction < MIN_FRACTION) return { kind: "none", why: `background: not applicable (only ${(fraction * 100).toFixed(1)} % of positions are near-constant across real images; a background needs ${MIN_FRACTION * 100} %)` };
  return { kind: "constant", geometry: g, mask, mean, fraction };
}

const NOT_MEASURED: BackgroundStats = { level: { value: NaN, se: NaN, lo: NaN, hi: NaN }, lit: { value: NaN, se: NaN, lo: NaN, hi: NaN }, pixels: 0 };

/**
 * Background figures of images under a model. "constant": per image, the RMS of (x − real mean)/2 over the
 * background positions and channels, and the fraction of those values off by more than 2 % of the range.
 */
export function backgroundUnder(images: Float32Array, model: BackgroundModel): BackgroundStats {
  if (model.kind === "black") return backgroundStats(images, model.size);
  if (model.kind === "none") return NOT_MEASURED;
  const { geometry: g, mask, mean } = model;
  const A = g.size * g.size, N = images.length / g.pixels;
  const level = new Float64Array(N), lit = new Float64Array(N);
  let per = 0;
  for (let n = 0; n < N; n++) {
    let s = 0, c = 0, l = 0;
    for (let ch = 0; ch < g.channels; ch++) for (let a = 0; a < A; a++) {
      if (!mask[a]) continue;
      const i = ch * A + a, v = (images[n * g.pixels + i]! - mean[i]!) / 2;
      s += v * v;
      c++;
      if (Math.abs(v) > LIT) l++;
    }
    level[n] = Math.sqrt(s / c);
    lit[n] = l / c;
    per = c / g.channels;
  }
  return { level: meanEstimate(level), lit: meanEstimate(lit), pixels: per };
}
