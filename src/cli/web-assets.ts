// Writes the web page's static files into web/public: the shipped models (EMA weights only), the judge,
// 500 MNIST test digits (32×32 u8, labels first) for the path panel and the judge's real images, and
// the first 10 000 MNIST training digits as IDX files (raw 28×28) for training in the page.
import { existsSync, mkdirSync, readFileSync, writeFileSync, copyFileSync } from "node:fs";
import path from "node:path";
import { initNodeEngine } from "../tensor/node.js";
import { shutdownEngine } from "../tensor/index.js";
import { readCheckpoint, writeCheckpoint } from "./ckpt-io.js";
import { defaultModel, packageRoot } from "../io/package-files.js";
import { loadDataset, mnistDir } from "../data/load.js";
import { parseIdxImages, parseIdxLabels } from "../data/idx.js";
import { encodeDigitsFile } from "../page/digits-file.js";

/** Training digits shipped to the page: enough for the demo run, ≈ 7.7 MB. */
const TRAIN_COUNT = 10_000;
const TEST_COUNT = 500;

await initNodeEngine({ threads: 1 });
const out = path.join(packageRoot, "web", "public");
mkdirSync(out, { recursive: true });
const state = readCheckpoint(defaultModel);
writeCheckpoint(path.join(out, "mnist-cfg.safetensors"), { ...state, adam: null }, { weightsOnly: true });
copyFileSync(path.join(packageRoot, "models", "judge.safetensors"), path.join(out, "judge.safetensors"));
// the live panel's distilled few-step model (weights only, like the main model)
const fewStep = path.join(packageRoot, "models", "mnist-fewstep.safetensors");
if (!existsSync(fewStep)) throw new Error(`${fewStep} is missing: the page's live panel needs the shipped few-step model`);
writeCheckpoint(path.join(out, "mnist-fewstep.safetensors"), { ...readCheckpoint(fewStep), adam: null }, { weightsOnly: true });

const test = loadDataset("mnist", "test");
writeFileSync(path.join(out, "digits.bin"), encodeDigitsFile(test.images, test.labels, TEST_COUNT));

// IDX subsets, so the page loads them with the same parser and PIL-exact resize as the CLI
const dir = mnistDir();
const find = (name: string): string => {
  for (const ext of ["", ".gz"]) if (existsSync(path.join(dir, name + ext))) return path.join(dir, name + ext);
  throw new Error(`MNIST training file ${name}[.gz] not found in ${dir}`);
};
const imgFile = find("train-images-idx3-ubyte"), labFile = find("train-labels-idx1-ubyte");
const img = parseIdxImages(readFileSync(imgFile), imgFile);
const lab = parseIdxLabels(readFileSync(labFile), labFile);
const n = Math.min(TRAIN_COUNT, img.count);
const px = img.rows * img.cols;
const imgOut = new Uint8Array(16 + n * px);
const imgView = new DataView(imgOut.buffer);
imgView.setUint32(0, 0x803);
imgView.setUint32(4, n);
imgView.setUint32(8, img.rows);
imgView.setUint32(12, img.cols);
imgOut.set(img.pixels.subarray(0, n * px), 16);
const labOut = new Uint8Array(8 + n);
const labView = new DataView(labOut.buffer);
labView.setUint32(0, 0x801);
labView.setUint32(4, n);
labOut.set(lab.subarray(0, n), 8);
writeFileSync(path.join(out, "train-images.idx"), imgOut);
writeFileSync(path.join(out, "train-labels.idx"), labOut);
console.log(`wrote ${out}: mnist-cfg.safetensors, mnist-fewstep.safetensors, judge.safetensors, digits.bin (${TEST_COUNT} test digits), train-*.idx (${n} training digits)`);
shutdownEngine();
