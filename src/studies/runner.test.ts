// sampleAndJudge: with a Judging (eval's rows) a run gets every view, with a JudgeSetup (the few-step
// and training studies) the classic report alone; both judge the samples clamped to [−1, 1].
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setup } from "../testing/helpers.js";
import { tinyIdxDir } from "../testing/tiny-data.js";
import { loadDataset } from "../data/load.js";
import { trainJudge, encodeJudge, judge } from "../judge/judge.js";
import { initUNet } from "../nn/unet.js";
import { generate } from "../sample/generate.js";
import { score } from "../eval/metrics.js";
import { judging, judgeSetup } from "../eval/real-images.js";
import { sampleAndJudge, STUDY_CLASSES, type StudyHooks } from "./runner.js";

before(() => setup(1));

test("sampleAndJudge: views with a Judging, none with a JudgeSetup; the same clamped report either way", () => {
  const data = `idx:${tinyIdxDir(60)}`;
  const jnet = trainJudge(loadDataset(data, "train"), { epochs: 1, batch: 20, lr: 2e-3, seed: 0 });
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), "flowlab-runner-")), "j.safetensors");
  writeFileSync(file, encodeJudge(jnet, { data }));
  const net = initUNet({ channels: [4, 8], numResidualLayers: 1, tEmbedDim: 4, yEmbedDim: 4, numClasses: 10 }, 3);
  const hooks: StudyHooks = { log: () => {}, readCheckpoint: () => { throw new Error("sampleAndJudge reads no checkpoint"); } };
  const opts = { perClass: 2, w: 1, steps: 1, solver: "euler" as const, seed: 0 };
  const s = judgeSetup(file);
  const withViews = sampleAndJudge(net, "tiny", "run", opts, judging(file, { bootstrap: 0 }), hooks);
  const classic = sampleAndJudge(net, "tiny", "run", opts, s, hooks);
  assert.ok(withViews.views && Number.isFinite(withViews.views.background.level.value), "a Judging gives every view");
  assert.equal(classic.views, undefined, "a JudgeSetup gives the classic report alone");
  assert.deepEqual(classic.report, withViews.report);
  const g = generate(net, { ...opts, classes: [...STUDY_CLASSES] });
  const images = g.images.toFloat32Array();
  g.images.dispose();
  assert.ok(images.some((v) => v < -1 || v > 1), "the untrained net's samples reach beyond [−1, 1]");
  const clamped = images.map((v) => Math.min(1, Math.max(-1, v)));
  assert.deepEqual(classic.report, score(judge(s.net, clamped), g.labels, clamped, s.real, 10), "judged clamped, as pictures show them");
  assert.notDeepEqual(classic.report, score(judge(s.net, images), g.labels, images, s.real, 10));
});
