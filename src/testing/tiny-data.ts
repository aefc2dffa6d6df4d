// A tiny IDX data folder for fast end-to-end runs: the first n MNIST digits of each split.
import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { mnistDir } from "../data/load.js";

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
