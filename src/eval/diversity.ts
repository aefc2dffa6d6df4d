// Diversity with its standard error: mean pairwise L2 within a class ÷ the same on real images of that
// class, pooled over classes by their counts; the error is each class's jackknife, combined.
import { IMAGE } from "../nn/config.js";
import { normalEstimate, type Estimate } from "./estimate.js";

const CAP = 200; // images per class used

/** Mean pairwise L2 distance over (up to) `cap` images of the given indices (images of P values each). */
export function meanPairwiseL2(images: Float32Array, idx: readonly number[], cap = CAP, P: number = IMAGE.pixels): number {
  const sel = idx.slice(0, cap);
  let total = 0, pairs = 0;
  for (let a = 0; a < sel.length; a++)
    for (let b = a + 1; b < sel.length; b++) {
      let s = 0;
      const oa = sel[a]! * P, ob = sel[b]! * P;
      for (let i = 0; i < P; i++) s += (images[oa + i]! - images[ob + i]!) ** 2;
      total += Math.sqrt(s);
      pairs++;
    }
  return pairs ? total / pairs : NaN;
}

/** Per class: real images' mean pairwise L2 (NaN for classes with fewer than 2 real images). */
export function realPairwise(images: Float32Array, labels: Int32Array, numClasses: number): Float64Array {
  const out = new Float64Array(numClasses);
  const P = images.length / Math.max(1, labels.length);
  for (let k = 0; k < numClasses; k++) out[k] = meanPairwiseL2(images, indicesOf(labels, k), CAP, P);
  return out;
}

function indicesOf(labels: ArrayLike<number>, k: number): number[] {
  const idx: number[] = [];
  for (let i = 0; i < labels.length; i++) if (labels[i] === k) idx.push(i);
  return idx;
}

/** One class: mean pairwise L2 and its jackknife variance (leave one image out). */
function classPairwise(images: Float32Array, idx: readonly number[], P: number): { mean: number; variance: number } {
  const sel = idx.slice(0, CAP), n = sel.length;
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

/** One class's diversity: the mean pairwise L2 of samples idx ÷ `real` (real images' of that class), with its jackknife error. */
export function classDiversity(images: Float32Array, idx: readonly number[], real: number, P: number): Estimate {
  const c = classPairwise(images, idx, P);
  return normalEstimate(c.mean / real, Math.sqrt(c.variance) / real);
}

/** Per-class diversities pooled by their weights (the standard errors combined as independent). */
export function pooledDiversity(parts: readonly { weight: number; estimate: Estimate }[]): Estimate {
  const weight = parts.reduce((a, p) => a + p.weight, 0);
  if (!weight) return { value: NaN, se: NaN, lo: NaN, hi: NaN };
  const value = parts.reduce((a, p) => a + p.weight * p.estimate.value, 0) / weight;
  const variance = parts.reduce((a, p) => a + (p.weight / weight) ** 2 * p.estimate.se ** 2, 0);
  return normalEstimate(value, Math.sqrt(variance));
}

/** Diversity of samples (1 = as varied as real images), with its standard error; NaN when no class has 2 samples. */
export function diversity(images: Float32Array, labels: ArrayLike<number>, real: Float64Array): Estimate {
  const parts: { weight: number; estimate: Estimate }[] = [];
  for (let k = 0; k < real.length; k++) {
    const idx = indicesOf(labels, k);
    if (idx.length < 2 || !(real[k]! > 0)) continue;
    parts.push({ weight: Math.min(idx.length, CAP), estimate: classDiversity(images, idx, real[k]!, images.length / labels.length) });
  }
  return pooledDiversity(parts);
}
