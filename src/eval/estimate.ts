// A figure with its uncertainty: estimates carry a standard error and a 95 % interval; proportions use
// Wilson's interval, means the sample standard error, any other statistic a seeded bootstrap.
import { Rng } from "../tensor/random.js";

/** A measured figure, its standard error and 95 % interval (NaN where none can be given). */
export interface Estimate {
  value: number;
  se: number;
  lo: number;
  hi: number;
}

const Z95 = 1.959964;

/** A value with a normal-approximation 95 % interval from its standard error. */
export function normalEstimate(value: number, se: number): Estimate {
  return { value, se, lo: value - Z95 * se, hi: value + Z95 * se };
}

/** k successes in n trials: Wilson's 95 % interval (sensible at 0 % and 100 %), se as its half-width ÷ 1.96. */
export function proportion(k: number, n: number): Estimate {
  if (n <= 0) return { value: NaN, se: NaN, lo: NaN, hi: NaN };
  const p = k / n, z2 = Z95 * Z95;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (Z95 / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { value: p, se: half / Z95, lo: Math.max(0, centre - half), hi: Math.min(1, centre + half) };
}

/** The mean of values with its standard error. */
export function meanEstimate(values: ArrayLike<number>): Estimate {
  const n = values.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += values[i]!;
  const m = s / n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (values[i]! - m) ** 2;
  return normalEstimate(m, n > 1 ? Math.sqrt(v / (n - 1) / n) : NaN);
}

/**
 * A statistic of n items with a bootstrap standard error: `stat(idx)` on the items idx (with repeats);
 * the value is stat on all items once each, the se the spread over `reps` resamples (seeded).
 */
export function bootstrap(n: number, stat: (idx: Int32Array) => number, reps: number, seed = 0): Estimate {
  const value = stat(Int32Array.from({ length: n }, (_, i) => i));
  if (reps < 2 || n < 2) return { value, se: NaN, lo: NaN, hi: NaN };
  const rng = new Rng(seed);
  const vals: number[] = [];
  for (let r = 0; r < reps; r++) {
    const idx = new Int32Array(n);
    for (let i = 0; i < n; i++) idx[i] = rng.int(n);
    vals.push(stat(idx));
  }
  const m = vals.reduce((a, b) => a + b, 0) / reps;
  const se = Math.sqrt(vals.reduce((a, b) => a + (b - m) ** 2, 0) / (reps - 1));
  return normalEstimate(value, se);
}

/** Whether two estimates differ by no more than z combined standard errors (default 2): "within noise". */
export function withinNoise(a: Estimate, b: Estimate, z = 2): boolean {
  const se = Math.hypot(Number.isFinite(a.se) ? a.se : 0, Number.isFinite(b.se) ? b.se : 0);
  return Math.abs(a.value - b.value) <= z * se;
}

/** "12.3 ± 0.4" (± one 95 % half-width), with `digits` decimals; a scale (e.g. 100 for %) multiplies both. */
export function formatEstimate(e: Estimate, digits = 2, scale = 1): string {
  const half = Number.isFinite(e.lo) && Number.isFinite(e.hi) ? ((e.hi - e.lo) / 2) * scale : NaN;
  const v = (e.value * scale).toFixed(digits);
  return Number.isFinite(half) ? `${v} ± ${half.toFixed(digits)}` : v;
}
