// The shipped CFG models still draw the digits asked for: 10 per class at w = 1 and w = 3 with the
// default sampler, read by the shipped judge (a wrong, corrupt or retrained-badly file fails here).
import { test, before } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import * as T from "../tensor/index.js";
import { setup, repoRoot } from "../testing/helpers.js";
import { readCheckpointFile, loadJudgeFile } from "../node.js";
import { samplingNet } from "../train/checkpoint.js";
import { generate } from "../sample/generate.js";
import { judge, accuracy } from "../judge/judge.js";

before(() => setup(2));

// [file, channels, w, least judge accuracy over 100 digits]; the model card's figures (500 digits) are
// 91.2 % / 100 % for the small model and 96.4 % / 100 % for the lab's U-Net
const CASES: [string, number[], number, number][] = [
  ["mnist-cfg.safetensors", [16, 32, 64], 1, 0.8],
  ["mnist-cfg.safetensors", [16, 32, 64], 3, 0.98],
  ["mnist-cfg-lab.safetensors", [32, 64, 128], 1, 0.88],
  ["mnist-cfg-lab.safetensors", [32, 64, 128], 3, 0.98],
];

for (const [file, channels, w, least] of CASES) test(`models/${file} at w = ${w}: the judge reads ≥ ${least * 100} % of 100 digits as asked`, () => {
  const state = readCheckpointFile(path.join(repoRoot, "models", file));
  const net = samplingNet(state);
  const jnet = loadJudgeFile();
  try {
    assert.deepEqual(net.config.channels, channels);
    const classes = Array.from({ length: 10 }, (_, i) => i);
    const g = generate(net, { classes, perClass: 10, w, seed: 7 });
    const images = g.images.toFloat32Array();
    g.images.dispose();
    const acc = accuracy(judge(jnet, images).predictions, g.labels);
    assert.ok(acc >= least, `judge accuracy ${(acc * 100).toFixed(0)} % < ${least * 100} %`);
  } finally {
    T.disposeAll(net.params);
    if (net !== state.net) T.disposeAll(state.net.params);
    T.disposeAll(jnet.params);
  }
});
