// Diversity with its standard error: mean pairwise L2 within a class ÷ the same on real images of that
// class, pooled over classes by their counts; the error is each class's jackknife, combined.
import { IMAGE } from "../nn/config.js";
import { meanPairwiseL2 } from "./metrics.js";
import { normalEstimate, type Estimate } from "./estimate.js";

const CAP = 200; // images per class used, as meanPairwiseL2

/** Per class: real images' mean pairwise L2 (NaN for classes with fewer than 2 real images). */
export function realPairwise(images: Float32Array, labels: Int32Array, numClasses: number): Float64Array {
  const out = new Float64Array(numClasses);
  for (let k = 0; k < numClasses; k++) out[k] = meanPairwiseL2(images, indicesOf(labels, k), CAP);
  return out;
}

function indicesOf(labels: ArrayLike<number>, k: number): number[] {
  const idx: number[] = [];
  for (let i = 0; i < labels.length; i++) if (labels[i] === k) idx.push(i);
  return idx;
}

/** One class: mean pairwise L2 and its jackknife variance (leave one image out). */
function classPairwise(images: Float32Array, idx: readonly number[]): { mean: number; variance: number } {
  const sel = idx.slice(0, CAP), n = sel.length, P = IMAGE.pixels;
  const row = new Float64Array(n);
  let total = 0;
  for (let a = 0; a < n; a++)
    for (let b = a + 1; b < n; b++) {
      let s = 0;
      const oa = sel[a]! * P, ob = sel[b]! * P;
      for (let i = 0; i < P; i++) s += (images[oa + i]! - images[ob + i]!) ** 2;
      const d = Math.sqrt(s);
      row[a]! += d;
      row[b]! += d;
      total += d;
    }
  const pairs = (n * (n - 1)) / 2;
  if (n < 3) return { mean: pairs ? total / pairs : NaN, variance: NaN };
  const loo = Array.from(row, (r) => (total - r) / (((n - 1) * (n - 2)) / 2));
  const m = loo.reduce((a, b) => a + b, 0) / n;
  return { mean: total / pairs, variance: ((n - 1) / n) * loo.reduce((a, b) => a + (b - m) ** 2, 0) };
}

/** Diversity of samples (1 = as varied as real images), with its standard error; NaN when no class has 2 samples. */
export function diversity(images: Float32Array, labels: ArrayLike<number>, real: Float64Array): Estimate {
  let sum = 0, weight = 0, variance = 0;
  const parts: { w: number; v: number }[] = [];
  for (let k = 0; k < real.length; k++) {
    const idx = indicesOf(labels, k);
    if (idx.length < 2 || !(real[k]! > 0)) continue;
    const c = classPairwise(images, idx);
    const w = Math.min(idx.length, CAP);
    sum += (w * c.mean) / real[k]!;
    weight += w;
    parts.push({ w, v: c.variance / real[k]! ** 2 });
  }
  if (!weight) return { value: NaN, se: NaN, lo: NaN, hi: NaN };
  for (const p of parts) variance += (p.w / weight) ** 2 * p.v;
  return normalEstimate(sum / weight, Math.sqrt(variance));
}
