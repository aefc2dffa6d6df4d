// Background statistics: what sees grain on a black background. Stroke cores are pixels whose 3×3
// mean is brighter than mid-grey (a lone white speck is not one); a pixel is background when no core
// lies within 2 px. Its level is how far it sits above black (−1): real MNIST backgrounds are exactly
// black, so grain, specks, haze or lost contrast show here.
import { IMAGE } from "../nn/config.js";
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
export function backgroundPerImage(images: Float32Array): { level: Float64Array; lit: Float64Array; pixels: Float64Array } {
  const { height: H, width: W, pixels: P } = IMAGE;
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

/** Background level and lit fraction of a set of images [N, 1, 32, 32], with standard errors. */
export function backgroundStats(images: Float32Array): BackgroundStats {
  const { level, lit, pixels } = backgroundPerImage(images);
  return { level: meanEstimate(level), lit: meanEstimate(lit), pixels: pixels.reduce((a, b) => a + b, 0) / Math.max(1, pixels.length) };
}
