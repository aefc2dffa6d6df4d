// The data a judge learns from and is scored against: the data set's own test split when it has one,
// else a seeded random hold-out per class. The judge file records how, so eval and calibrate rebuild the same split.
import { loadDataset, hasTestSplit } from "../data/load.js";
import { datasetFromArrays, type ImageDataset } from "../data/dataset.js";
import { PREPARE_DEFAULTS, type PrepareOptions, type Rgb } from "../data/prepare.js";
import { Rng } from "../tensor/random.js";

/** How a judge's data is read and split; stored in its file's record. */
export interface JudgeData {
  /** The --data spec ("mnist", "idx:DIR", "folder:DIR"). */
  data: string;
  /** Image side and alpha background (defaults as flowlab train). */
  imageSize?: number;
  background?: Rgb;
  /** When the data has no test split: the fraction of each class held out, and the shuffle's seed. */
  holdout?: { fraction: number; seed: number };
}

/** The hold-out defaults: a fifth of each class, seed 0. */
export const HOLDOUT_DEFAULTS = Object.freeze({ fraction: 0.2, seed: 0 });

/** The training split and the reference (held-out real images), and how the reference was made. */
export interface JudgeSplits {
  train: ImageDataset;
  reference: ImageDataset;
  /** "test split" or "held out 20 % per class (seed 0)". */
  how: string;
}

function prepareOf(d: JudgeData): Partial<PrepareOptions> {
  return { size: d.imageSize ?? PREPARE_DEFAULTS.size, background: d.background ?? PREPARE_DEFAULTS.background };
}

/** The judge's record of its data from the flags; a hold-out is recorded only when the data has no test split. */
export function judgeDataOf(data: string, prepare: Partial<PrepareOptions> | undefined, holdout: { fraction: number; seed: number }): JudgeData {
  return {
    data,
    ...(prepare?.size !== undefined && prepare.size !== PREPARE_DEFAULTS.size ? { imageSize: prepare.size } : {}),
    ...(prepare?.background && prepare.background.join() !== PREPARE_DEFAULTS.background.join() ? { background: prepare.background } : {}),
    ...(hasTestSplit(data) ? {} : { holdout }),
  };
}

/**
 * Per class, a seeded shuffle; the first max(1, round(fraction · n)) images are held out. Throws,
 * naming the class, when a class has fewer than 2 images (nothing would be left to train or compare).
 */
export function holdOut(all: ImageDataset, fraction: number, seed: number): { train: ImageDataset; reference: ImageDataset } {
  const names = all.classNames ?? Array.from({ length: all.numClasses }, (_, k) => String(k));
  const trainIdx: number[] = [], refIdx: number[] = [];
  const rng = new Rng(seed);
  for (let k = 0; k < all.numClasses; k++) {
    const idx: number[] = [];
    for (let i = 0; i < all.count; i++) if (all.labels[i] === k) idx.push(i);
    if (idx.length < 2) throw new RangeError(`class "${names[k]}" has ${idx.length} image${idx.length === 1 ? "" : "s"}; holding some out for the judge's reference needs at least 2 per class (add images or drop the class)`);
    for (let i = idx.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [idx[i], idx[j]] = [idx[j]!, idx[i]!];
    }
    const h = Math.min(idx.length - 1, Math.max(1, Math.round(fraction * idx.length)));
    refIdx.push(...idx.slice(0, h));
    trainIdx.push(...idx.slice(h));
  }
  const P = all.images.length / Math.max(1, all.count);
  const pick = (name: string, idx: number[], flip: boolean) => {
    const images = new Float32Array(idx.length * P);
    idx.forEach((i, r) => images.set(all.images.subarray(i * P, (i + 1) * P), r * P));
    const shape = { size: all.size, channels: all.channels, numClasses: all.numClasses, ...(all.classNames ? { classNames: all.classNames } : {}), flip };
    return datasetFromArrays(`${all.name}:${name}`, images, Int32Array.from(idx, (i) => all.labels[i]!), shape);
  };
  // the training part keeps the data's flips (flowlab train --flip --holdout F); the reference is compared as it is
  return { train: pick("judge-train", trainIdx, all.flip === true), reference: pick("held-out", refIdx, false) };
}

/** The judge's training split and reference, rebuilt from its record (`load` reads a split, e.g. with a summary log). */
export function judgeSplits(d: JudgeData, load: (data: string, split: "train" | "test", prepare: Partial<PrepareOptions>) => ImageDataset = loadDataset): JudgeSplits {
  const prepare = prepareOf(d);
  if (!d.holdout) return { train: load(d.data, "train", prepare), reference: load(d.data, "test", prepare), how: "test split" };
  const { fraction, seed } = d.holdout;
  return { ...holdOut(load(d.data, "train", prepare), fraction, seed), how: `held out ${Math.round(fraction * 100)} % per class (seed ${seed})` };
}

/** The reference alone: just the test split when the data has one (cheaper than judgeSplits), else the hold-out. */
export function judgeReference(d: JudgeData, load: (data: string, split: "train" | "test", prepare: Partial<PrepareOptions>) => ImageDataset = loadDataset): { reference: ImageDataset; how: string } {
  if (!d.holdout) return { reference: load(d.data, "test", prepareOf(d)), how: "test split" };
  const { reference, how } = judgeSplits(d, load);
  return { reference, how };
}
