// What guidance does to samples: accuracy and confidence by the judge, Fréchet distance on judge
// features, and diversity (mean pairwise L2 within a class, relative to real images), overall and per
// class, each with its 95 % interval (Wilson, the mean's standard error, a bootstrap, a jackknife).
import type { Judged } from "../judge/judge.js";
import { meanCov, frechetToRows, sqrtPsd } from "./linalg.js";
import { bootstrap, meanEstimate, proportion, type Estimate } from "./estimate.js";
import { classDiversity, meanPairwiseL2, pooledDiversity } from "./diversity.js";

export { meanPairwiseL2 } from "./diversity.js";

/** The 95 % intervals of a report's four figures (absent in rows saved before they were measured). */
export interface ReportIntervals {
  accuracy: Estimate;
  confidence: Estimate;
  fd: Estimate;
  diversity: Estimate;
}

/** score()'s figures for one class. */
export interface ClassReport {
  label: number;
  n: number;
  accuracy: number;
  confidence: number; // mean judge probability of the asked-for class
  fd: number;
  diversity: number; // relative to real digits of that class
  intervals?: ReportIntervals;
}

/** What score() measures: accuracy, confidence, Fréchet distance, diversity, overall and per class, with intervals. */
export interface Report {
  n: number;
  accuracy: number;
  confidence: number;
  fd: number;
  diversity: number;
  perClass: ClassReport[];
  intervals?: ReportIntervals;
}

/** The real images samples are compared with (the judge's test split): judge features, labels, images. */
export interface RealImages {
  features: Float32Array; // [N, F] judge features of the real images
  labels: Int32Array;
  images: Float32Array; // [N, C, S, S]
}

/** How score() measures its intervals: bootstrap resamples of the Fréchet distance, overall and per class. */
export interface ScoreOptions {
  bootstrap: number;
  classBootstrap: number;
  seed: number;
}

/** score()'s defaults: 20 resamples overall (as the views), 10 per class (ten classes cost ten times as much). */
export const SCORE_DEFAULTS: Readonly<ScoreOptions> = Object.freeze({ bootstrap: 20, classBootstrap: 10, seed: 0 });

function subsetFeatures(f: Float32Array, idx: ArrayLike<number>, d: number): Float32Array {
  const out = new Float32Array(idx.length * d);
  for (let k = 0; k < idx.length; k++) out.set(f.subarray(idx[k]! * d, (idx[k]! + 1) * d), k * d);
  return out;
}

/** A real feature set's Gaussian, with its covariance's square root (what each bootstrap resample reuses). */
interface Gaussian {
  mean: Float64Array;
  cov: Float64Array;
  root: Float64Array;
  n: number;
}

/** Real sides already measured, per real set and class ("all" for every class): sqrtPsd costs a second at d = 128. */
const realGaussians = new WeakMap<RealImages, Map<number | "all", Gaussian>>();

function realGaussian(real: RealImages, k: number | "all", idx: readonly number[], d: number): Gaussian {
  let m = realGaussians.get(real);
  if (!m) realGaussians.set(real, (m = new Map()));
  let g = m.get(k);
  if (!g) {
    const f = k === "all" ? real.features : subsetFeatures(real.features, idx, d);
    const n = f.length / d;
    const { mean, cov } = meanCov(f, n, d);
    m.set(k, (g = { mean, cov, root: sqrtPsd(cov, d), n }));
  }
  return g;
}

const NO_ESTIMATE: Estimate = { value: NaN, se: NaN, lo: NaN, hi: NaN };

/** FD of the samples' features idx against a real Gaussian, with a bootstrap interval over the samples. */
function fdEstimate(f: Float32Array, idx: readonly number[], real: Gaussian, d: number, reps: number, seed: number): Estimate {
  if (idx.length < 2 || real.n < 2) return NO_ESTIMATE;
  return bootstrap(
    idx.length,
    (b) => frechetToRows(real.mean, real.cov, real.root, subsetFeatures(f, Array.from(b, (i) => idx[i]!), d), b.length, d),
    reps,
    seed,
  );
}

/**
 * Scores judged samples (with the labels they were asked to be) against the real images. `fd`: the overall
 * FD with its interval when already measured the same way (the views' judge FD: same features, real
 * images, resamples and seed), so its bootstrap is not run twice.
 */
export function score(j: Judged, labels: ArrayLike<number>, images: Float32Array, real: RealImages, numClasses: number, options: Partial<ScoreOptions> = {}, fd?: Estimate): Report {
  const o = { ...SCORE_DEFAULTS, ...options };
  const N = labels.length;
  const d = j.features.length / N;
  const P = images.length / N;
  const byClass = (ls: ArrayLike<number>, k: number) => Array.from({ length: ls.length }, (_, i) => i).filter((i) => ls[i] === k);
  const perClass: ClassReport[] = [];
  const diversityParts: { weight: number; estimate: Estimate }[] = [];
  for (let k = 0; k < numClasses; k++) {
    const idx = byClass(labels, k);
    if (!idx.length) continue;
    const ridx = byClass(real.labels, k);
    const correct = idx.filter((i) => j.predictions[i] === k).length;
    const accuracy = proportion(correct, idx.length);
    const confidence = meanEstimate(idx.map((i) => j.probOf(i, k)));
    const fd = fdEstimate(j.features, idx, realGaussian(real, k, ridx, d), d, o.classBootstrap, o.seed + 1 + k);
    const div = classDiversity(images, idx, meanPairwiseL2(real.images, ridx, 200, P), P);
    diversityParts.push({ weight: idx.length, estimate: div });
    const intervals: ReportIntervals = { accuracy, confidence, fd, diversity: div };
    perClass.push({ label: k, n: idx.length, accuracy: accuracy.value, confidence: confidence.value, fd: fd.value, diversity: div.value, intervals });
  }
  let correct = 0;
  const probs = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    const k = labels[i]!;
    if (j.predictions[i] === k) correct++;
    probs[i] = k >= 0 && k < numClasses ? j.probOf(i, k) : 0;
  }
  const all = Array.from({ length: N }, (_, i) => i);
  const intervals: ReportIntervals = {
    accuracy: proportion(correct, N),
    confidence: N ? meanEstimate(probs) : NO_ESTIMATE,
    fd: fd ?? fdEstimate(j.features, all, realGaussian(real, "all", [], d), d, o.bootstrap, o.seed),
    diversity: pooledDiversity(diversityParts),
  };
  return { n: N, accuracy: intervals.accuracy.value, confidence: intervals.confidence.value, fd: intervals.fd.value, diversity: intervals.diversity.value, perClass, intervals };
}
