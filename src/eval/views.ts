// Every view of a set of samples, each with its interval: judge accuracy, FD and KID on the judge's
// features and on a fixed random texture network's, background statistics, precision/recall and
// density/coverage, diversity, and the memorisation check. viewContext() prepares the real side once.
import { judge } from "../judge/judge.js";
import { classifierImage, type Classifier, type ImageGeometry } from "../nn/classifier.js";
import type { RealImages } from "./metrics.js";
import { meanCov, frechet, sqrtPsd } from "./linalg.js";
import { Rng } from "../tensor/random.js";
import { bootstrap, proportion, type Estimate } from "./estimate.js";
import { kid, kidRealSide, type KidRealSide } from "./kid.js";
import { textureFeatures, TEXTURE_FEATURES } from "./texture-features.js";
import { backgroundModel, backgroundUnder, type BackgroundModel, type BackgroundStats } from "./background.js";
import { fidelityVariety, fvRealSide, FV_K, type FidelityVariety, type FvRealSide } from "./fidelity-variety.js";
import { diversity, realPairwise } from "./diversity.js";
import { memorisation, memorisationRealSide, type Memorisation, type MemorisationRealSide } from "./memorisation.js";

/** How much work the views do; defaults in VIEW_DEFAULTS. */
export interface ViewOptions {
  /** Bootstrap resamples for the Fréchet distances' standard errors (0: none). */
  bootstrap: number;
  /** Real rows used by KID (its cost grows with their square). */
  kidReal: number;
  /** Real rows used by precision/recall and density/coverage. */
  fvReal: number;
  /** Held-out real images whose distances to training set the memorisation threshold. */
  memoHeldOut: number;
  seed: number;
}

/** The views' defaults: 20 bootstrap resamples, 2000 real rows for KID, 1000 for precision/recall and the memorisation threshold. */
export const VIEW_DEFAULTS: Readonly<ViewOptions> = Object.freeze({ bootstrap: 20, kidReal: 2000, fvReal: 1000, memoHeldOut: 1000, seed: 0 });

interface FeatureSpace {
  features: Float32Array; // [M, D] real
  d: number;
  mean: Float64Array;
  cov: Float64Array;
  root: Float64Array; // cov^½, computed once
  kid: KidRealSide;
}

/** The real side of every view, computed once. */
export interface ViewContext {
  net: Classifier;
  /** The images the judge reads (and samples must be). */
  geometry: ImageGeometry;
  numClasses: number;
  realCount: number;
  judgeSpace: FeatureSpace;
  textureSpace: FeatureSpace;
  fvReal: FvRealSide; // judge features of the precision/recall reference
  /** How backgrounds are found in this data, and the real images' figures under it. */
  backgroundModel: BackgroundModel;
  background: BackgroundStats;
  pairwise: Float64Array; // per class
  memo: MemorisationRealSide | null;
  options: ViewOptions;
}

/** Every view of one set of samples. NaN figures come with a note saying why. */
export interface Views {
  n: number;
  accuracy: Estimate;
  fdJudge: Estimate;
  kidJudge: Estimate;
  fdTexture: Estimate;
  kidTexture: Estimate;
  background: BackgroundStats;
  fidelity: FidelityVariety | null;
  diversity: Estimate;
  memorisation: Memorisation | null;
  /** Views that could not be measured here, and why. */
  notes: string[];
}

/** Up to `count` row indices of m, drawn without repeats by a seeded shuffle (real sets are often ordered: MNIST's test set puts its harder writers last). */
function someRows(m: number, count: number, seed: number): Int32Array {
  const idx = Int32Array.from({ length: m }, (_, i) => i);
  const rng = new Rng(seed);
  for (let i = m - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  return idx.subarray(0, Math.min(count, m));
}

function rows(f: Float32Array, d: number, idx: Int32Array): Float32Array {
  const out = new Float32Array(idx.length * d);
  idx.forEach((i, r) => out.set(f.subarray(i * d, (i + 1) * d), r * d));
  return out;
}

function space(features: Float32Array, d: number, kidRows: Int32Array): FeatureSpace {
  const m = features.length / d;
  const { mean, cov } = meanCov(features, m, d);
  return { features, d, mean, cov, root: sqrtPsd(cov, d), kid: kidRealSide(rows(features, d, kidRows), d) };
}

/**
 * The real side: the real images (judge features, labels, images) and, for the memorisation check,
 * training images with labels. Throws with a clear message when there are too few real images.
 */
export function viewContext(net: Classifier, real: RealImages, train: { images: Float32Array; labels: Int32Array } | null, options: Partial<ViewOptions> = {}): ViewContext {
  const o = { ...VIEW_DEFAULTS, ...options };
  const m = real.labels.length, d = real.features.length / Math.max(1, m);
  if (m <= FV_K) throw new RangeError(`only ${m} real images; the views need more than ${FV_K}`);
  const held = someRows(m, o.memoHeldOut, o.seed + 3), kidRows = someRows(m, o.kidReal, o.seed + 1);
  const geometry = classifierImage(net.config);
  const bg = backgroundModel(real.images, geometry);
  return {
    net,
    geometry,
    numClasses: net.config.numClasses,
    realCount: m,
    judgeSpace: space(real.features, d, kidRows),
    textureSpace: space(textureFeatures(real.images, geometry), TEXTURE_FEATURES, kidRows),
    fvReal: fvRealSide(rows(real.features, d, someRows(m, o.fvReal, o.seed + 2)), d),
    backgroundModel: bg,
    background: backgroundUnder(real.images, bg),
    pairwise: realPairwise(real.images, real.labels, net.config.numClasses),
    memo: train ? memorisationRealSide(train.images, train.labels, rows(real.images, geometry.pixels, held), Int32Array.from(held, (i) => real.labels[i]!)) : null,
    options: o,
  };
}

function fdWithError(x: Float32Array, s: FeatureSpace, reps: number, seed: number): Estimate {
  const n = x.length / s.d;
  if (n < 2) return { value: NaN, se: NaN, lo: NaN, hi: NaN };
  return bootstrap(
    n,
    (idx) => {
      const sub = new Float32Array(idx.length * s.d);
      idx.forEach((i, r) => sub.set(x.subarray(i * s.d, (i + 1) * s.d), r * s.d));
      const a = meanCov(sub, idx.length, s.d);
      return frechet(s.mean, s.cov, a.mean, a.cov, s.d, s.root);
    },
    reps,
    seed,
  );
}

/** Every view of samples [N, C, S, S] (the judge's kind) in [−1, 1] asked to be `labels`. */
export function evaluateViews(images: Float32Array, labels: ArrayLike<number>, ctx: ViewContext): Views {
  const n = labels.length;
  const o = ctx.options;
  const notes: string[] = [];
  const j = judge(ctx.net, images);
  let correct = 0;
  for (let i = 0; i < n; i++) if (j.predictions[i] === labels[i]) correct++;
  const tex = textureFeatures(images, ctx.geometry);
  if (n < 2) notes.push(`FD, KID and diversity need at least 2 samples, got ${n}`);
  let fidelity: FidelityVariety | null = null;
  if (n > FV_K) fidelity = fidelityVariety(j.features, ctx.fvReal);
  else notes.push(`precision, recall, density and coverage need more than ${FV_K} samples, got ${n}`);
  const perClass = Array.from({ length: ctx.numClasses }, (_, k) => Array.from(labels).filter((l) => l === k).length);
  if (n >= 2 && !perClass.some((c) => c >= 2)) notes.push("diversity needs at least 2 samples of one class");
  if (!ctx.memo) notes.push("memorisation: no training images given");
  if (ctx.backgroundModel.kind === "none") notes.push(ctx.backgroundModel.why);
  return {
    n,
    accuracy: proportion(correct, n),
    fdJudge: fdWithError(j.features, ctx.judgeSpace, o.bootstrap, o.seed),
    kidJudge: kid(j.features, ctx.judgeSpace.kid),
    fdTexture: fdWithError(tex, ctx.textureSpace, o.bootstrap, o.seed + 1),
    kidTexture: kid(tex, ctx.textureSpace.kid),
    background: backgroundUnder(images, ctx.backgroundModel),
    fidelity,
    diversity: diversity(images, labels, ctx.pairwise),
    memorisation: ctx.memo ? memorisation(images, labels, ctx.memo) : null,
    notes,
  };
}
