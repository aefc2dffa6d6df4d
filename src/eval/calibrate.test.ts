// Calibration on a small set (200 images per set): every degradation is seen by the views designated
// for it and by at least one view, no view calls a second clean set worse, and the noise levels come
// out in order on the views that measure grain.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import path from "node:path";
import { setup, repoRoot } from "../testing/helpers.js";
import { loadJudge } from "./real-images.js";
import { loadDataset } from "../data/load.js";
import { runCalibration, MUST_SEE, CONTROL } from "./calibrate.js";
import { DEGRADATIONS } from "./degradations.js";
import { calibrationMarkdown } from "./calibration-report.js";

before(() => setup(2));

const judgeFile = path.join(repoRoot, "models", "judge.safetensors");
const SMALL = { n: 200, real: 2000, train: 6000, seed: 0, views: { bootstrap: 8 } };

test("calibration: each degradation is caught by its designated views, a clean set by none", { skip: existsSync(judgeFile) ? false : "models/judge.safetensors not trained yet" }, () => {
  const c = runCalibration(loadJudge(judgeFile), loadDataset("mnist", "test"), loadDataset("mnist", "train"), "mnist", SMALL);
  assert.deepEqual(c.rows.map((r) => r.name), [CONTROL, ...DEGRADATIONS.map((d) => d.name)]);
  for (const d of DEGRADATIONS) assert.ok((MUST_SEE[d.name] ?? []).length > 0, `${d.name} has no designated view`);
  const failures = c.rows.flatMap((r) => r.failures.map((f) => `${r.name}: ${f}`));
  assert.deepEqual(failures, []);
  const value = (name: string, metric: "background" | "fdTexture") => {
    const r = c.rows.find((x) => x.name === name)!;
    return metric === "background" ? r.views.background.level.value : r.views.fdTexture.value;
  };
  for (const metric of ["background", "fdTexture"] as const) {
    const v = [0.02, 0.05, 0.1].map((s) => value(`noise σ=${s}`, metric));
    assert.ok(v[0]! < v[1]! && v[1]! < v[2]!, `${metric} should grow with the noise: ${v.join(", ")}`);
  }
  const md = calibrationMarkdown(c, "test");
  assert.match(md, /All 12 rows pass/);
  // the data line gives the counts used (2000 real of the 9600 left, 6000 training images), not the options' caps
  assert.deepEqual(c.used, { real: 2000, train: 6000 });
  assert.match(md, /200 more the control, and 2000 the real images every set is scored against; the memorisation check searches 6000 training images/);
  assert.match(calibrationMarkdown({ ...c, used: { real: 50, train: 1524 }, split: "held out 20 % per class (seed 0)" }, "test"), /held out 20 % per class \(seed 0\), shuffled .* and 50 the real images .* searches 1524 training images/);
});
