// A tiny IDX data folder for fast end-to-end runs (the first n MNIST digits of each split), and a tiny
// checkpoint trained on it.
import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { mnistDir, loadDataset } from "../data/load.js";
import { CfgTrainer } from "../train/trainer.js";
import { preset } from "../train/presets.js";
import { encodeCheckpoint } from "../train/checkpoint.js";

/** Writes train/t10k images and labels of the first n digits into a new temp folder; returns it. */
export function tinyIdxDir(n = 64): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "flowlab-idx-"));
  for (const split of ["train", "t10k"]) {
    const img = readFileSync(path.join(mnistDir(), `${split}-images-idx3-ubyte`));
    const lab = readFileSync(path.join(mnistDir(), `${split}-labels-idx1-ubyte`));
    const ih = Buffer.from(img.subarray(0, 16)), lh = Buffer.from(lab.subarray(0, 8));
    ih.writeUInt32BE(n, 4);
    lh.writeUInt32BE(n, 4);
    writeFileSync(path.join(dir, `${split}-images-idx3-ubyte`), Buffer.concat([ih, img.subarray(16, 16 + n * 784)]));
    writeFileSync(path.join(dir, `${split}-labels-idx1-ubyte`), Buffer.concat([lh, lab.subarray(8, 8 + n)]));
  }
  return dir;
}

/**
 * A tiny trained checkpoint for fault and fuzz tests: the quick preset narrowed to channels [4, 8] with one
 * residual layer, `steps` training steps at batch 4 on tinyIdxDir(16). Needs an engine (setup()).
 */
export function tinyCheckpoint(steps = 1): { data: string; bytes: Uint8Array } {
  const data = tinyIdxDir(16);
  const base = preset("quick");
  const config = { ...base, model: { ...base.model, channels: [4, 8], numResidualLayers: 1 }, batch: 4, steps: 2, data: `idx:${data}` };
  const trainer = new CfgTrainer(config, loadDataset(config.data, "train"));
  for (let i = 0; i < steps; i++) trainer.trainStep();
  return { data, bytes: encodeCheckpoint(trainer.state()) };
}
