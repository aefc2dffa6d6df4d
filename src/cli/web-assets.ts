// Writes the web page's static files into web/public: the shipped models (EMA weights only), the judge,
// 500 MNIST test digits (32×32 u8, labels first) for the path panel and the judge's real images, and
// the first 10 000 MNIST training digits as IDX files (raw 28×28) for training in the page, and the
// colour example (emoji.bin: 900 Noto Emoji in 9 categories, prepared 32×32 RGB, with their licence).
import { existsSync, mkdirSync, readFileSync, writeFileSync, copyFileSync } from "node:fs";
import path from "node:path";
import { initNodeEngine } from "../tensor/node.js";
import { shutdownEngine } from "../tensor/index.js";
import { readCheckpoint, writeCheckpoint } from "./ckpt-io.js";
import { defaultModel, packageRoot } from "../io/package-files.js";
import { loadDataset, mnistDir } from "../data/load.js";
import { parseIdxImages, parseIdxLabels } from "../data/idx.js";
import { encodeDigitsFile } from "../page/digits-file.js";
import { encodeImageSetFile } from "../page/image-set-file.js";
import { writeEmojiFolder } from "../data/emoji.js";
import { readImageFolder } from "../data/folder.js";
import { nodeDecoder } from "../data/node-decoders.js";
import { PREPARE_DEFAULTS } from "../data/prepare.js";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";

/** Emoji per class in the page's colour example (evenly spaced through each category): 9 × 100 × 3 KB ≈ 2.8 MB. */
const EMOJI_PER_CLASS = 100;
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
// the colour example: Noto Emoji by category, prepared 32×32 RGB on white as flowlab train --data folder:DIR does
const tmp = mkdtempSync(path.join(os.tmpdir(), "flowlab-emoji-"));
let emojiCount = 0;
try {
  const emojiDir = path.join(tmp, "emoji");
  const written = writeEmojiFolder(emojiDir);
  const d = readImageFolder(emojiDir, PREPARE_DEFAULTS, nodeDecoder);
  const P = d.summary.channels * PREPARE_DEFAULTS.size ** 2;
  const keep: number[] = [];
  d.summary.counts.forEach((count, k) => {
    const first = d.labels.indexOf(k);
    const m = Math.min(EMOJI_PER_CLASS, count);
    for (let j = 0; j < m; j++) keep.push(first + Math.floor((j * count) / m));
  });
  const images = new Float32Array(keep.length * P);
  keep.forEach((i, j) => images.set(d.images.subarray(i * P, (i + 1) * P), j * P));
  emojiCount = keep.length;
  const notice = `Noto Emoji (Apache License 2.0, https://github.com/googlefonts/noto-emoji/blob/main/LICENSE), from the npm package emoji-datasource-google@${written.version} (its data MIT, Copyright (c) 2013 Cal Henderson): ${EMOJI_PER_CLASS} images per category, prepared 32×32 RGB on white.`;
  writeFileSync(path.join(out, "emoji.bin"), encodeImageSetFile({ name: "emoji", classNames: d.summary.classNames, size: PREPARE_DEFAULTS.size, channels: d.summary.channels, notice, images, labels: Int32Array.from(keep, (i) => d.labels[i]!) }));
  writeFileSync(path.join(out, "emoji-NOTICE.txt"), `${notice}\n`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

console.log(`wrote ${out}: emoji.bin (${emojiCount} Noto Emoji, Apache-2.0), mnist-cfg.safetensors, mnist-fewstep.safetensors, judge.safetensors, digits.bin (${TEST_COUNT} test digits), train-*.idx (${n} training digits)`);
shutdownEngine();
