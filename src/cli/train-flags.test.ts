// flowlab train's --t-sampling: the preset's distribution unless the flag names another, which replaces it
// (uniform drops the demo preset's logit-normal, so the run really draws t uniformly).
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseTrainFlags, type TrainOptions } from "./train.js";

const cases: [string[], unknown][] = [
  [["--preset", "demo"], { kind: "logit-normal", mean: 0, std: 1 }],
  [["--preset", "demo", "--t-sampling", "uniform"], undefined],
  [["--preset", "demo", "--t-sampling", "logit-normal:0.5:2"], { kind: "logit-normal", mean: 0.5, std: 2 }],
  [["--preset", "lab"], undefined],
  [["--preset", "lab", "--t-sampling", "logit-normal"], { kind: "logit-normal", mean: 0, std: 1 }],
];
for (const [argv, want] of cases)
  test(`flowlab train ${argv.join(" ")}: timeSampling ${JSON.stringify(want)}`, () => {
    const o = parseTrainFlags(argv) as TrainOptions;
    assert.deepEqual(o.config.timeSampling, want);
  });
