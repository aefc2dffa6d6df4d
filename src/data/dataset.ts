// An in-memory image dataset: images preprocessed once into one Float32Array [N, C, S, S] in [−1, 1],
// labels as Int32Array; with a seeded batch sampler (distinct indices per batch, as the lab's randperm)
// and optional left–right flips drawn from the same generator.
import * as T from "../tensor/index.js";
import type { Conditioning, DataSampler } from "../flow/path.js";
import { resizeBilinearU8 } from "./resize.js";
import type { IdxImages } from "./idx-format.js";
import { flipInPlace } from "./prepare.js";
import type { FolderSummary } from "./folder-summary.js";

export interface ImageDataset extends DataSampler {
  readonly name: string;
  readonly count: number;
  readonly size: number; // S
  /** Channels C: 1 (grey) or 3 (RGB). */
  readonly channels: number;
  /** Class names by label, when the data names them (an image folder's subfolders). */
  readonly classNames?: readonly string[];
  /** An image folder's summary: counts, and every file left out with its reason. */
  readonly summary?: FolderSummary;
  /** sample() mirrors each drawn image left–right with probability 1/2 (training augmentation). */
  readonly flip?: boolean;
  readonly images: Float32Array; // [N, C, S, S] in [-1, 1]
  readonly labels: Int32Array; // [N]
  /** The given rows as tensors. */
  batch(indices: ArrayLike<number>): Conditioning;
}

/** u8 IDX images → resized (PIL bilinear) → /255 → (v − 0.5)/0.5, as the lab's transforms. */
export function preprocess(img: IdxImages, size: number): Float32Array {
  const out = new Float32Array(img.count * size * size);
  const px = img.rows * img.cols;
  const tmp = new Uint8Array(size * size);
  const same = img.rows === size && img.cols === size;
  for (let n = 0; n < img.count; n++) {
    const src = img.pixels.subarray(n * px, (n + 1) * px);
    const r = same ? src : resizeBilinearU8(src, img.rows, img.cols, size, size, tmp);
    const o = n * size * size;
    for (let i = 0; i < size * size; i++) {
      const v = Math.fround(r[i]! / 255);
      out[o + i] = Math.fround(Math.fround(v - 0.5) / 0.5);
    }
  }
  return out;
}

/** An image data set from IDX images and labels, resized (PIL-exact) and scaled to [−1, 1]. */
export function makeDataset(name: string, img: IdxImages, labels: Uint8Array, size: number, numClasses = 10): ImageDataset {
  if (labels.length !== img.count) throw new Error(`${name}: ${img.count} images but ${labels.length} labels`);
  return datasetFromArrays(name, preprocess(img, size), Int32Array.from(labels), { size, channels: 1, numClasses });
}

/** What datasetFromArrays needs besides the arrays. */
export interface DatasetShape {
  size: number;
  channels: number;
  numClasses: number;
  classNames?: readonly string[];
  summary?: FolderSummary;
  /** Mirror each drawn image left–right with probability 1/2 (training augmentation). */
  flip?: boolean;
}

/** A data set from prepared images [N, C, S, S] in [−1, 1] and labels 0..numClasses − 1. */
export function datasetFromArrays(name: string, images: Float32Array, labels: Int32Array, shape: DatasetShape): ImageDataset {
  const { size: S, channels: C, numClasses } = shape;
  const n = labels.length, P = C * S * S;
  if (images.length !== n * P) throw new Error(`${name}: ${images.length} values for ${n} images of [${C}, ${S}, ${S}]`);
  for (let i = 0; i < n; i++) {
    if (!(labels[i]! >= 0 && labels[i]! < numClasses)) throw new Error(`${name}: label ${labels[i]} at ${i} is outside 0..${numClasses - 1}`);
  }
  const ds: ImageDataset = {
    name,
    count: n,
    size: S,
    channels: C,
    ...(shape.classNames ? { classNames: [...shape.classNames] } : {}),
    ...(shape.summary ? { summary: shape.summary } : {}),
    ...(shape.flip ? { flip: true } : {}),
    images,
    labels,
    imageShape: [C, S, S],
    numClasses,
    batch(indices) {
      const B = indices.length;
      const z = T.empty([B, C, S, S]);
      const zd = z.data;
      const y = T.empty([B], "i32");
      const yd = y.idata;
      for (let b = 0; b < B; b++) {
        const i = indices[b]!;
        if (!(i >= 0 && i < n)) throw new RangeError(`${name}: index ${i} outside 0..${n - 1}`);
        zd.set(images.subarray(i * P, (i + 1) * P), b * P);
        yd[b] = labels[i]!;
      }
      return { z, y };
    },
    sample(batch, rng) {
      if (!Number.isInteger(batch) || batch < 1 || batch > n) throw new RangeError(`${name}: batch size must be 1..${n}, got ${batch}`);
      const drawn = ds.batch(distinctIndices(n, batch, rng));
      if (shape.flip) {
        const zd = drawn.z.data;
        for (let b = 0; b < batch; b++) if (rng.uniform() < 0.5) flipInPlace(zd.subarray(b * P, (b + 1) * P), S);
      }
      return drawn;
    },
  };
  return ds;
}

/** k distinct indices from 0..n−1 in random order (Floyd's algorithm, then shuffled). */
export function distinctIndices(n: number, k: number, rng: T.Rng): Int32Array {
  const chosen = new Set<number>();
  for (let j = n - k; j < n; j++) {
    const t = rng.int(j + 1);
    chosen.add(chosen.has(t) ? j : t);
  }
  const out = Int32Array.from(chosen);
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
