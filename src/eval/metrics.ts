// What guidance does to samples: accuracy and confidence by the judge, Fréchet distance on judge
// features, and diversity (mean pairwise L2 within a class, relative to real images).
import { IMAGE } from "../nn/config.js";
import type { Judged } from "../judge/judge.js";
import { meanCov, frechet } from "./linalg.js";

/** score()'s figures for one class. */
export interface ClassReport {
  label: number;
  n: number;
  accuracy: number;
  confidence: number; // mean judge probability of the asked-for class
  fd: number;
  diversity: number; // relative to real digits of that class
}

/** What score() measures: accuracy, confidence, Fréchet distance, diversity, overall and per class. */
export interface Report {
  n: number;
  accuracy: number;
  confidence: number;
  fd: number;
  diversity: number;
  perClass: ClassReport[];
}

/** The real images samples are compared with (the judge's test split): judge features, labels, images. */
export interface RealImages {
  features: Float32Array; // [N, F] judge features of the real images
  labels: Int32Array;
  images: Float32Array; // [N, C, S, S]
}

/** Mean pairwise L2 distance over (up to) `cap` images of the given indices. */
export function meanPairwiseL2(images: Float32Array, idx: readonly number[], cap = 200, P: number = IMAGE.pixels): number {
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

function subsetFeatures(f: Float32Array, idx: readonly number[], d: number): Float32Array {
  const out = new Float32Array(idx.length * d);
  idx.forEach((i, k) => out.set(f.subarray(i * d, (i + 1) * d), k * d));
  return out;
}

function fdOf(fa: Float32Array, na: number, fb: Float32Array, nb: number, d: number): number {
  if (na < 2 || nb < 2) return NaN;
  const a = meanCov(fa, na, d), b = meanCov(fb, nb, d);
  return frechet(a.mean, a.cov, b.mean, b.cov, d);
}

/** Scores judged samples (with the labels they were asked to be) against the real images. */
export function score(j: Judged, labels: ArrayLike<number>, images: Float32Array, real: RealImages, numClasses: number): Report {
  const N = labels.length;
  const d = j.features.length / N;
  const byClass = (ls: ArrayLike<number>, k: number) => Array.from({ length: ls.length }, (_, i) => i).filter((i) => ls[i] === k);
  const perClass: ClassReport[] = [];
  for (let k = 0; k < numClasses; k++) {
    const idx = byClass(labels, k);
    if (!idx.length) continue;
    const ridx = byClass(real.labels, k);
    const acc = idx.filter((i) => j.predictions[i] === k).length / idx.length;
    const conf = idx.reduce((a, i) => a + j.probOf(i, k), 0) / idx.length;
    const fd = fdOf(subsetFeatures(j.features, idx, d), idx.length, subsetFeatures(real.features, ridx, d), ridx.length, d);
    const P = images.length / N;
    const div = meanPairwiseL2(images, idx, 200, P) / meanPairwiseL2(real.images, ridx, 200, P);
    perClass.push({ label: k, n: idx.length, accuracy: acc, confidence: conf, fd, diversity: div });
  }
  let correct = 0, conf = 0;
  for (let i = 0; i < N; i++) {
    const k = labels[i]!;
    if (j.predictions[i] === k) correct++;
    conf += k >= 0 && k < numClasses ? j.probOf(i, k) : 0;
  }
  return {
    n: N,
    accuracy: correct / N,
    confidence: conf / N,
    fd: fdOf(j.features, N, real.features, real.labels.length, d),
    diversity: perClass.reduce((a, c) => a + c.diversity * c.n, 0) / Math.max(1, perClass.reduce((a, c) => a + c.n, 0)),
    perClass,
  };
}
