// Training-time distributions: uniform and logit-normal draw what they say (share of mid t, mean, range),
// the flag parses or names what it expected, and the trainer uses the configured one.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { setup } from "../testing/helpers.js";
import * as T from "../tensor/index.js";
import { sampleTimes, parseTimeSampling, validateTimeSampling, type TimeSampling } from "./time-sampling.js";
import { CfgTrainer } from "./trainer.js";
import { makeDataset } from "../data/dataset.js";
import { preset, type TrainConfig } from "./presets.js";

before(() => setup(1));

// share in [1/4, 3/4]: uniform 1/2; logit-normal(0, 1) P(|n| < ln 3) = 0.728; (1, 1) P(−2.10 < n < 0.10) = 0.522
const cases: { s: TimeSampling; mid: number; mean: [number, number] }[] = [
  { s: { kind: "uniform" }, mid: 0.5, mean: [0.49, 0.51] },
  { s: { kind: "logit-normal", mean: 0, std: 1 }, mid: 0.728, mean: [0.49, 0.51] },
  { s: { kind: "logit-normal", mean: 1, std: 1 }, mid: 0.522, mean: [0.67, 0.72] },
];
for (const { s, mid, mean } of cases) {
  test(`${JSON.stringify(s)}: share of t in [1/4, 3/4] ≈ ${mid}, mean in [${mean.join(", ")}], every t in (0, 1)`, () => {
    const n = 40_000;
    const t = sampleTimes(s, n, new T.Rng(3));
    assert.deepEqual(t.shape, [n, 1, 1, 1]);
    const d = Array.from(t.data);
    assert.ok(d.every((v) => v > 0 && v < 1));
    const share = d.filter((v) => v >= 0.25 && v <= 0.75).length / n;
    assert.ok(Math.abs(share - mid) < 0.01, `share ${share}`);
    const m = d.reduce((a, b) => a + b, 0) / n;
    assert.ok(m >= mean[0] && m <= mean[1], `mean ${m}`);
  });
}

const parses: [string, TimeSampling | RegExp][] = [
  ["uniform", { kind: "uniform" }],
  ["logit-normal", { kind: "logit-normal", mean: 0, std: 1 }],
  ["logit-normal:0.5", { kind: "logit-normal", mean: 0.5, std: 1 }],
  ["logit-normal:-0.5:0.8", { kind: "logit-normal", mean: -0.5, std: 0.8 }],
  ["logit-normal::2", { kind: "logit-normal", mean: 0, std: 2 }],
  ["logit-normal:0:0", /std must be in \(0, 10\]/],
  ["logit-normal:x", /mean must be/],
  ["uniform:1", /"uniform" or "logit-normal/],
  ["normal", /"uniform" or "logit-normal/],
];
for (const [text, want] of parses) {
  test(`--t-sampling ${text}`, () => {
    if (want instanceof RegExp) assert.throws(() => parseTimeSampling(text), want);
    else assert.deepEqual(parseTimeSampling(text), want);
  });
}

test("an unknown kind is refused by name", () => {
  assert.throws(() => validateTimeSampling({ kind: "beta" } as unknown as TimeSampling), /unknown kind "beta"/);
});

test("the trainer draws t from the configured distribution (same seed, other losses)", () => {
  const n = 16, px = new Uint8Array(n * 8 * 8).map((_, i) => (i * 37) & 255);
  const data = makeDataset("tiny", { count: n, rows: 8, cols: 8, pixels: px }, Uint8Array.from({ length: n }, (_, i) => i % 10), 8);
  const base: TrainConfig = { ...preset("quick"), model: { ...preset("quick").model, channels: [4, 8], numResidualLayers: 1 }, batch: 4, steps: 2, emaDecay: 0 };
  const loss = (c: TrainConfig) => {
    const tr = new CfgTrainer(c, data);
    const l = tr.trainStep().loss;
    T.disposeAll(tr.net.params);
    return l;
  };
  const uniform = loss(base);
  assert.equal(loss({ ...base, timeSampling: { kind: "uniform" } }), uniform);
  assert.notEqual(loss({ ...base, timeSampling: { kind: "logit-normal", mean: 0, std: 1 } }), uniform);
  assert.throws(() => new CfgTrainer({ ...base, timeSampling: { kind: "logit-normal", mean: 0, std: -1 } }, data), /std must be/);
});

test("the demo preset draws t logit-normal, and preset() hands out a copy of it", () => {
  const a = preset("demo"), b = preset("demo");
  assert.deepEqual(a.timeSampling, { kind: "logit-normal", mean: 0, std: 1 });
  assert.notEqual(a.timeSampling, b.timeSampling);
  assert.equal(preset("lab").timeSampling, undefined, "the lab draws t uniformly");
});
