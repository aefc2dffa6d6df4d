// Kernel Inception Distance on any features: the unbiased MMD² with the cubic polynomial kernel
// k(x, y) = (x·y / d + 1)³ (Bińkowski et al. 2018), and its standard error from the U-statistic's
// first-order (Hoeffding) variance, 4 Var(h_x)/n + 4 Var(h_y)/m.
import { normalEstimate, type Estimate } from "./estimate.js";

/** Real features prepared once for KID: the rows and the mean kernel value of each row against the others. */
export interface KidRealSide {
  features: Float32Array; // [M, D]
  m: number;
  d: number;
  rowMean: Float64Array; // [M] mean over j' ≠ j of k(y_j, y_j')
  mean: number; // mean over j ≠ j' of k(y_j, y_j')
}

function kernel(a: Float32Array, i: number, b: Float32Array, j: number, d: number): number {
  let s = 0;
  const oa = i * d, ob = j * d;
  for (let k = 0; k < d; k++) s += a[oa + k]! * b[ob + k]!;
  const t = s / d + 1;
  return t * t * t;
}

function selfRowMeans(x: Float32Array, n: number, d: number): Float64Array {
  const row = new Float64Array(n);
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      const k = kernel(x, i, x, j, d);
      row[i]! += k;
      row[j]! += k;
    }
  for (let i = 0; i < n; i++) row[i]! /= n - 1;
  return row;
}

/** Real features [M, D] as the real side of KID (M ≥ 2). */
export function kidRealSide(features: Float32Array, d: number): KidRealSide {
  const m = features.length / d;
  if (m < 2) throw new RangeError(`KID needs at least 2 real rows, got ${m}`);
  const rowMean = selfRowMeans(features, m, d);
  return { features, m, d, rowMean, mean: rowMean.reduce((a, b) => a + b, 0) / m };
}

function variance(v: Float64Array): number {
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  return v.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, v.length - 1);
}

/** Unbiased KID (MMD²) of sample features [N, D] against the real side, with its standard error. NaN below 2 rows. */
export function kid(features: Float32Array, ref: KidRealSide): Estimate {
  const { d, m } = ref;
  const n = features.length / d;
  if (n < 2) return { value: NaN, se: NaN, lo: NaN, hi: NaN };
  const xx = selfRowMeans(features, n, d);
  const xy = new Float64Array(n), yx = new Float64Array(m);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++) {
      const k = kernel(features, i, ref.features, j, d);
      xy[i]! += k;
      yx[j]! += k;
    }
  for (let i = 0; i < n; i++) xy[i]! /= m;
  for (let j = 0; j < m; j++) yx[j]! /= n;
  const meanXX = xx.reduce((a, b) => a + b, 0) / n;
  const meanXY = xy.reduce((a, b) => a + b, 0) / n;
  const value = meanXX + ref.mean - 2 * meanXY;
  const hx = xx.map((v, i) => v - xy[i]!), hy = ref.rowMean.map((v, j) => v - yx[j]!);
  return normalEstimate(value, Math.sqrt((4 * variance(hx)) / n + (4 * variance(hy)) / m));
}
