// judging() on a judge trained on another data set (a tiny IDX folder): its test split gives the real
// images, and samples are judged as pictures show them (clamped to [−1, 1]).
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setup } from "../testing/helpers.js";
import { tinyIdxDir } from "../testing/tiny-data.js";
import { loadDataset } from "../data/load.js";
import { trainJudge, encodeJudge } from "../judge/judge.js";
import { judgeReport, judgeSamples } from "./judging.js";
import { judging } from "./real-images.js";

before(() => setup(1));

test("judging: the judge's own data gives the real images; values beyond [−1, 1] are judged clamped, as pictures show them", () => {
  const data = `idx:${tinyIdxDir(60)}`;
  const net = trainJudge(loadDataset(data, "train"), { epochs: 1, batch: 20, lr: 2e-3, seed: 0 });
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), "flowlab-judging-")), "j.safetensors");
  writeFileSync(file, encodeJudge(net, { data }));
  const j = judging(file, { bootstrap: 0 });
  assert.equal(j.data, data);
  assert.equal(j.real.labels.length, 60, "the real images are the tiny set's test split, not MNIST's 10 000");
  const test = loadDataset(data, "test");
  const images = test.images.slice(0, 20 * 1024), labels = test.labels.slice(0, 20);
  const deep = images.map((v, i) => (v === -1 ? -1 - (i % 7) * 0.2 : v)); // background far below black
  const a = judgeSamples(j, images, labels), b = judgeSamples(j, deep, labels);
  assert.equal(b.report.fd, a.report.fd);
  assert.equal(b.views.fdTexture.value, a.views.fdTexture.value);
  assert.equal(b.views.background.level.value, a.views.background.level.value);
});

test("judgeSamples: the report's FD interval is the views' judge FD when they bootstrap alike, its own otherwise", () => {
  const data = `idx:${tinyIdxDir(60)}`;
  const net = trainJudge(loadDataset(data, "train"), { epochs: 1, batch: 20, lr: 2e-3, seed: 0 });
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), "flowlab-judging-")), "j.safetensors");
  writeFileSync(file, encodeJudge(net, { data }));
  const test = loadDataset(data, "test");
  const images = test.images.slice(0, 40 * 1024), labels = test.labels.slice(0, 40);
  const alike = judging(file), unlike = judging(file, { bootstrap: 5 });
  const a = judgeSamples(alike, images, labels), u = judgeSamples(unlike, images, labels);
  assert.deepEqual(a.report.intervals!.fd, a.views.fdJudge, "the same bootstrap is not run twice");
  assert.notDeepEqual(u.report.intervals!.fd, u.views.fdJudge);
  const own = judgeReport(alike, images, labels).intervals!.fd;
  assert.deepEqual(u.report.intervals!.fd, own, "with other resamples the report bootstraps its own FD");
  // the two ways of measuring agree: the same value and, with the same resamples, the same spread
  assert.ok(Math.abs(own.value - a.views.fdJudge.value) < 1e-9 * Math.max(1, own.value), `${own.value} vs ${a.views.fdJudge.value}`);
  assert.ok(Math.abs(own.se - a.views.fdJudge.se) < 1e-6 * Math.max(1, own.se), `${own.se} vs ${a.views.fdJudge.se}`);
});
