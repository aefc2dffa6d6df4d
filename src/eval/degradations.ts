// Known degradations of real images, as data: each turns a clean held-out set (images in [−1, 1] and
// their labels) into a worse one a person would rank below clean. Calibration scores every view on them.
import { IMAGE } from "../nn/config.js";
import { Rng } from "../tensor/random.js";

/** A labelled image set [N, 1, 32, 32] in [−1, 1]. */
export interface ImageSet {
  images: Float32Array;
  labels: Int32Array;
}

/** What a degradation may draw on besides the clean set: training images (for memorised copies) and a seed. */
export interface DegradeContext {
  train: ImageSet;
  numClasses: number;
  rng: Rng;
}

/** One degradation: its name, what it does, and the function that applies it. */
export interface Degradation {
  name: string;
  description: string;
  /** The degraded set made from a clean one. */
  apply: (clean: ImageSet, ctx: DegradeContext) => ImageSet;
}

const clamp = (v: number) => (v < -1 ? -1 : v > 1 ? 1 : v);

function mapPixels(s: ImageSet, f: (v: number, i: number) => number): ImageSet {
  return { images: s.images.map(f), labels: s.labels };
}

function noise(sigma: number): Degradation {
  return { name: `noise σ=${sigma}`, description: `i.i.d. Gaussian noise of σ = ${sigma} (the [−1, 1] range) on every pixel, clamped`, apply: (s, c) => mapPixels(s, (v) => clamp(v + sigma * c.rng.normal())) };
}

/** Each image filtered by a 3×3 window (edges: the pixels that exist). */
function filter3(s: ImageSet, reduce: (vals: number[]) => number): ImageSet {
  const { height: H, width: W, pixels: P } = IMAGE;
  const out = new Float32Array(s.images.length);
  const vals: number[] = [];
  for (let n = 0; n < s.images.length / P; n++)
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
      vals.length = 0;
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
        const r = y + dy, q = x + dx;
        if (r >= 0 && r < H && q >= 0 && q < W) vals.push(s.images[n * P + r * W + q]!);
      }
      out[n * P + y * W + x] = reduce(vals);
    }
  return { images: out, labels: s.labels };
}

function indicesOf(labels: Int32Array, k: number): number[] {
  const idx: number[] = [];
  labels.forEach((l, i) => l === k && idx.push(i));
  return idx;
}

function gather(s: ImageSet, idx: readonly number[], labels: Int32Array): ImageSet {
  const P = IMAGE.pixels, images = new Float32Array(idx.length * P);
  idx.forEach((i, r) => images.set(s.images.subarray(i * P, (i + 1) * P), r * P));
  return { images, labels };
}

/** The calibration's degradations, mildest noise first. */
export const DEGRADATIONS: readonly Degradation[] = [
  noise(0.02),
  noise(0.05),
  noise(0.1),
  {
    name: "background grain",
    description: "Gaussian noise of σ = 0.05 on background pixels only (value < −0.9), clamped (so it lifts black)",
    apply: (s, c) => mapPixels(s, (v) => (v < -0.9 ? clamp(v + 0.05 * c.rng.normal()) : v)),
  },
  {
    name: "salt and pepper",
    description: "2 % of pixels set to white or black at random",
    apply: (s, c) => mapPixels(s, (v) => (c.rng.uniform() < 0.02 ? (c.rng.uniform() < 0.5 ? 1 : -1) : v)),
  },
  { name: "blur", description: "3×3 box blur", apply: (s) => filter3(s, (v) => v.reduce((a, b) => a + b, 0) / v.length) },
  { name: "contrast loss", description: "values scaled by 0.7 towards mid-grey (black becomes 15 % grey, white 85 %)", apply: (s) => mapPixels(s, (v) => 0.7 * v) },
  { name: "stroke dilation", description: "3×3 maximum filter: strokes one pixel thicker on every side", apply: (s) => filter3(s, (v) => Math.max(...v)) },
  {
    name: "mode collapse",
    description: "two distinct images per class, repeated to fill the set",
    apply: (s, c) => {
      const idx = Array.from(s.labels, (_, i) => i);
      for (let k = 0; k < c.numClasses; k++) {
        const of = indicesOf(s.labels, k);
        of.forEach((i, r) => (idx[i] = of[r % 2]!));
      }
      return gather(s, idx, s.labels);
    },
  },
  {
    name: "class swap",
    description: "every image asked for the next class (label k scored as k + 1)",
    apply: (s, c) => ({ images: s.images, labels: s.labels.map((l) => (l + 1) % c.numClasses) }),
  },
  {
    name: "memorised",
    description: "training images of the same labels instead of new ones",
    apply: (s, c) => {
      const pools = Array.from({ length: c.numClasses }, (_, k) => indicesOf(c.train.labels, k));
      const idx = Array.from(s.labels, (l) => {
        const p = pools[l] ?? [];
        if (!p.length) throw new RangeError(`no training image of class ${l} to copy`);
        return p[c.rng.int(p.length)]!;
      });
      return gather(c.train, idx, s.labels);
    },
  },
];
