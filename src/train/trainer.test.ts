// CfgTrainer: a run resumed from an encoded checkpoint matches a straight run bit for bit, for each
// lr schedule (the cosine one depends on the step, so this also pins lrAt to the global step).
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { setup } from "../testing/helpers.js";
import * as T from "../tensor/index.js";
import { CfgTrainer } from "./trainer.js";
import { encodeCheckpoint, decodeCheckpoint } from "./checkpoint.js";
import { makeDataset } from "../data/dataset.js";
import { preset, type TrainConfig } from "./presets.js";
import { stateDict } from "../nn/state-dict.js";
import type { LrSchedule } from "./schedule.js";

before(() => setup(2));

function tinyData() {
  const n = 16, px = new Uint8Array(n * 8 * 8);
  for (let i = 0; i < px.length; i++) px[i] = (i * 37 + (i >> 6) * 11) & 255;
  return makeDataset("tiny", { count: n, rows: 8, cols: 8, pixels: px }, Uint8Array.from({ length: n }, (_, i) => i % 10), 8);
}

const weights = (t: CfgTrainer) => new Map([...stateDict(t.net.params)].map(([k, v]) => [k, v.dtype === "i32" ? Array.from(v.idata) : Array.from(v.toFloat32Array())]));

const schedules: LrSchedule[] = [{ kind: "constant" }, { kind: "cosine", warmup: 3, floor: 0.1 }];
for (const lrSchedule of schedules) {
  test(`resume is bit-identical with a ${lrSchedule.kind} schedule`, () => {
    const config: TrainConfig = { ...preset("quick"), model: { ...preset("quick").model, channels: [4, 8], numResidualLayers: 1 }, batch: 4, steps: 12, lrSchedule, emaDecay: 0.9 };
    const data = tinyData();
    const a = new CfgTrainer(config, data);
    for (let i = 0; i < 12; i++) a.trainStep();
    const b = new CfgTrainer(config, data);
    for (let i = 0; i < 6; i++) b.trainStep();
    const c = new CfgTrainer(config, data, decodeCheckpoint(encodeCheckpoint(b.state()), "mem"));
    for (let i = 0; i < 6; i++) c.trainStep();
    assert.equal(c.step, 12);
    const wa = weights(a), wc = weights(c);
    for (const [k, v] of wa) assert.deepEqual(wc.get(k), v, k);
    for (const t of [a, b, c]) T.disposeAll(t.net.params);
  });
}

test("the cosine schedule changes the trajectory (the rate reaches Adam)", () => {
  const base: TrainConfig = { ...preset("quick"), model: { ...preset("quick").model, channels: [4, 8], numResidualLayers: 1 }, batch: 4, steps: 5, emaDecay: 0 };
  const data = tinyData();
  const a = new CfgTrainer({ ...base, lrSchedule: { kind: "constant" } }, data);
  const b = new CfgTrainer({ ...base, lrSchedule: { kind: "cosine", warmup: 2, floor: 0 } }, data);
  for (let i = 0; i < 5; i++) a.trainStep(), b.trainStep();
  const wa = weights(a), wb = weights(b);
  assert.ok([...wa].some(([k, v]) => v.some((x, i) => x !== wb.get(k)![i])));
});

test("trainStepAsync (the webgpu backend's step, which reads the loss back asynchronously) = trainStep bit for bit on wasm", async () => {
  const config: TrainConfig = { ...preset("quick"), model: { ...preset("quick").model, channels: [4, 8], numResidualLayers: 1 }, batch: 4, steps: 6, emaDecay: 0.9 };
  const data = tinyData();
  const a = new CfgTrainer(config, data), b = new CfgTrainer(config, data);
  const la: number[] = [], lb: number[] = [];
  for (let i = 0; i < 6; i++) {
    la.push(a.trainStep().loss);
    lb.push((await b.trainStepAsync()).loss);
  }
  assert.deepEqual(lb, la);
  assert.equal(b.step, 6);
  const wa = weights(a), wb = weights(b);
  for (const [k, v] of wa) assert.deepEqual(wb.get(k), v, k);
  const ea = new Map([...a.ema!].map(([k, v]) => [k, v.toArray()])), eb = new Map([...b.ema!].map(([k, v]) => [k, v.toArray()]));
  for (const [k, v] of ea) assert.deepEqual(eb.get(k), v, `ema.${k}`);
  for (const t of [a, b]) T.disposeAll([t.net.params, t.ema]);
});
