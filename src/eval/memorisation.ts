// A memorisation check: each sample's pixel distance to its nearest training image of the same class,
// against the same distance for held-out real images. The threshold is the held-out distances' 5th
// percentile: real unseen digits fall under it 5 % of the time, copies of training images always.
import * as T from "../tensor/index.js";
import { proportion, type Estimate } from "./estimate.js";

/** Training images per class, and how close held-out real images come to them. */
export interface MemorisationRealSide {
  train: Float32Array; // [N, C, S, S]
  trainLabels: Int32Array;
  /** The held-out images' nearest-training distance at `quantile`. */
  threshold: number;
  quantile: number;
  /** The held-out images' median nearest-training distance. */
  heldOutMedian: number;
}

/** What the check finds for a set of samples. */
export interface Memorisation {
  /** Fraction of samples closer to training than `threshold` (held-out real images: ≈ quantile). */
  rate: Estimate;
  /** Median nearest-training distance of the samples ÷ that of held-out real images. */
  medianRatio: number;
}

/** Each image's L2 distance to the nearest training image of its label (Infinity where the class has none). */
export function nearestTrainDistance(images: Float32Array, labels: ArrayLike<number>, train: Float32Array, trainLabels: Int32Array): Float64Array {
  return nearestTrain(images, labels, train, trainLabels).distance;
}

/** Each image's nearest training image of its label in pixel space (L2): its index (−1 where the class has none) and distance. */
export function nearestTrain(images: Float32Array, labels: ArrayLike<number>, train: Float32Array, trainLabels: Int32Array): { index: Int32Array; distance: Float64Array } {
  const P = images.length / Math.max(1, labels.length);
  const out = new Float64Array(labels.length).fill(Infinity), index = new Int32Array(labels.length).fill(-1);
  const classes = [...new Set(Array.from(labels))];
  for (const k of classes) {
    const qi = Array.from({ length: labels.length }, (_, i) => i).filter((i) => labels[i] === k);
    const ti: number[] = [];
    for (let i = 0; i < trainLabels.length; i++) if (trainLabels[i] === k) ti.push(i);
    if (!ti.length) continue;
    const q = new Float32Array(qi.length * P), t = new Float32Array(ti.length * P);
    qi.forEach((i, r) => q.set(images.subarray(i * P, (i + 1) * P), r * P));
    ti.forEach((i, r) => t.set(train.subarray(i * P, (i + 1) * P), r * P));
    const tsq = new Float64Array(ti.length);
    for (let r = 0; r < ti.length; r++) for (let p = 0; p < P; p++) tsq[r]! += t[r * P + p]! ** 2;
    const dots = T.tidy(() => T.noGrad(() => T.linear(T.tensor(q, [qi.length, P]), T.tensor(t, [ti.length, P])).toFloat32Array())); // [Q, Nk]
    qi.forEach((i, r) => {
      let qsq = 0;
      for (let p = 0; p < P; p++) qsq += q[r * P + p]! ** 2;
      let best = Infinity, at = -1;
      for (let c = 0; c < ti.length; c++) {
        const d = qsq + tsq[c]! - 2 * dots[r * ti.length + c]!;
        if (d < best) [best, at] = [d, c];
      }
      out[i] = Math.sqrt(Math.max(0, best));
      index[i] = at >= 0 ? ti[at]! : -1;
    });
  }
  return { index, distance: out };
}

function quantileOf(v: Float64Array, q: number): number {
  const s = v.filter(Number.isFinite).sort();
  if (!s.length) return NaN;
  return s[Math.min(s.length - 1, Math.max(0, Math.floor(q * (s.length - 1))))]!;
}

/** The real side: training images and the held-out real images' distances to them. */
export function memorisationRealSide(train: Float32Array, trainLabels: Int32Array, heldOut: Float32Array, heldOutLabels: Int32Array, quantile = 0.05): MemorisationRealSide {
  const d = nearestTrainDistance(heldOut, heldOutLabels, train, trainLabels);
  return { train, trainLabels, threshold: quantileOf(d, quantile), quantile, heldOutMedian: quantileOf(d, 0.5) };
}

/** The memorisation check of samples with the labels they were asked to be. */
export function memorisation(images: Float32Array, labels: ArrayLike<number>, ref: MemorisationRealSide): Memorisation {
  const d = nearestTrainDistance(images, labels, ref.train, ref.trainLabels);
  const close = d.filter((v) => v < ref.threshold).length;
  return { rate: proportion(close, d.length), medianRatio: quantileOf(d, 0.5) / ref.heldOutMedian };
}
