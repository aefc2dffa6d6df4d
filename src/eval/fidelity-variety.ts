// Fidelity against variety on features: precision and recall (Kynkäänniemi et al. 2019, k-NN balls
// around each set's points) and density and coverage (Naeem et al. 2020, k-NN balls around real points).
import { proportion, meanEstimate, type Estimate } from "./estimate.js";

/** Precision, recall, density and coverage; each with its (approximate, per-point) interval. */
export interface FidelityVariety {
  precision: Estimate; // fraction of samples inside some real point's k-NN ball
  recall: Estimate; // fraction of real points inside some sample's k-NN ball
  density: Estimate; // mean count of real balls holding a sample, ÷ k (≈ 1 for real)
  coverage: Estimate; // fraction of real points whose k-NN ball holds a sample
}

/** The default neighbourhood size (Naeem et al.'s choice). */
export const FV_K = 5;

function sqDist(a: Float32Array, i: number, b: Float32Array, j: number, d: number): number {
  let s = 0;
  const oa = i * d, ob = j * d;
  for (let k = 0; k < d; k++) s += (a[oa + k]! - b[ob + k]!) ** 2;
  return s;
}

/** Squared distance of each row to its k-th nearest other row. */
function kthRadius(x: Float32Array, n: number, d: number, k: number): Float64Array {
  const all = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    all[i * n + i] = Infinity;
    for (let j = i + 1; j < n; j++) all[i * n + j] = all[j * n + i] = sqDist(x, i, x, j, d);
  }
  return Float64Array.from({ length: n }, (_, i) => all.subarray(i * n, (i + 1) * n).sort()[k - 1]!);
}

/** Real rows [M, D] with each one's squared k-NN radius, computed once. */
export interface FvRealSide {
  real: Float32Array;
  m: number;
  d: number;
  k: number;
  radius: Float64Array;
}

/** Real rows as the real side of fidelityVariety(); needs M > k. */
export function fvRealSide(real: Float32Array, d: number, k = FV_K): FvRealSide {
  const m = real.length / d;
  if (m <= k) throw new RangeError(`precision and recall need more than k = ${k} real images, got ${m}`);
  return { real, m, d, k, radius: kthRadius(real, m, d, k) };
}

/** Precision, recall, density and coverage of samples [N, D] against the real side; needs N > k. */
export function fidelityVariety(samples: Float32Array, ref: FvRealSide): FidelityVariety {
  const { real, m, d, k, radius: rReal } = ref;
  const n = samples.length / d;
  if (n <= k) throw new RangeError(`precision and recall need more than k = ${k} samples, got ${n}`);
  const rFake = kthRadius(samples, n, d, k);
  let inside = 0;
  const densityPer = new Float64Array(n);
  const covered = new Uint8Array(m), recalled = new Uint8Array(m);
  for (let i = 0; i < n; i++) {
    let any = false;
    for (let j = 0; j < m; j++) {
      const dd = sqDist(samples, i, real, j, d);
      if (dd <= rReal[j]!) {
        any = true;
        densityPer[i]! += 1 / k;
        covered[j] = 1;
      }
      if (dd <= rFake[i]!) recalled[j] = 1;
    }
    if (any) inside++;
  }
  const sum = (a: Uint8Array) => a.reduce((s, v) => s + v, 0);
  return { precision: proportion(inside, n), recall: proportion(sum(recalled), m), density: meanEstimate(densityPer), coverage: proportion(sum(covered), m) };
}
