// DistillTrainer: resumed from an encoded checkpoint, a run matches a straight run bit for bit (both
// methods); the student starts as the teacher; the teacher's trajectory keeps the grid's states.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { setup } from "../testing/helpers.js";
import * as T from "../tensor/index.js";
import { DistillTrainer, isDistillRecord } from "./distill.js";
import { encodeCheckpoint, decodeCheckpoint } from "./checkpoint.js";
import { teacherTrajectory, teacherGuided, perRow } from "./distill-targets.js";
import { makeDataset } from "../data/dataset.js";
import { initUNet, unetForward } from "../nn/unet.js";
import { stateDict } from "../nn/state-dict.js";
import type { DistillConfig, DistillMethod } from "./distill-config.js";
import type { UNetConfig } from "../nn/config.js";

before(() => setup(2));

const ARCH: UNetConfig = { channels: [4, 8], numResidualLayers: 1, tEmbedDim: 8, yEmbedDim: 4, numClasses: 10 };

function tinyData() {
  const n = 16, px = new Uint8Array(n * 8 * 8);
  for (let i = 0; i < px.length; i++) px[i] = (i * 37 + (i >> 6) * 11) & 255;
  return makeDataset("tiny", { count: n, rows: 8, cols: 8, pixels: px }, Uint8Array.from({ length: n }, (_, i) => i % 10), 8);
}

function config(method: DistillMethod): DistillConfig {
  return {
    model: { ...ARCH, fewStep: { wMin: 1, wMax: 5, steps: [1, 2, 4] } },
    steps: 6, batch: method === "trajectory" ? 2 : 8, lr: 1e-3, lrSchedule: { kind: "cosine", warmup: 2, floor: 0.1 }, eta: 0.2, seed: 5,
    emaDecay: 0.9, data: "tiny", checkpointEvery: 1, method, teacher: "teacher.safetensors", teacherSha256: "0", teacherSteps: 4,
  };
}

const weights = (t: DistillTrainer) => new Map([...stateDict(t.net.params)].map(([k, v]) => [k, v.dtype === "i32" ? Array.from(v.idata) : Array.from(v.toFloat32Array())]));

for (const method of ["trajectory", "shortcut"] as const) {
  test(`distillation (${method}) resumed from a checkpoint is bit-identical to a straight run`, () => {
    const teacher = initUNet(ARCH, 1);
    const data = tinyData();
    const a = new DistillTrainer(config(method), teacher, data);
    const losses = Array.from({ length: 6 }, () => a.trainStep().loss);
    assert.ok(losses.every(Number.isFinite));
    const b = new DistillTrainer(config(method), teacher, data);
    for (let i = 0; i < 3; i++) b.trainStep();
    const saved = decodeCheckpoint(encodeCheckpoint(b.state()), "mid.safetensors");
    assert.ok(isDistillRecord(saved.record));
    const c = new DistillTrainer(config(method), teacher, data, saved);
    for (let i = 0; i < 3; i++) c.trainStep();
    assert.equal(c.step, 6);
    const wa = weights(a), wc = weights(c);
    for (const [k, v] of wa) assert.deepEqual(wc.get(k), v, `${k} differs after resume`);
    assert.deepEqual(c.rng.state(), a.rng.state());
  });
}

test("the student starts as the teacher; a teacher that is itself few-step, or another architecture, is refused", () => {
  const teacher = initUNet(ARCH, 3);
  const s = new DistillTrainer(config("trajectory"), teacher, null);
  const ts = stateDict(teacher.params);
  for (const [k, v] of stateDict(s.net.params)) {
    if (k.startsWith("w_embedder") || k.startsWith("d_embedder")) continue;
    assert.deepEqual(v.dtype === "i32" ? Array.from(v.idata) : Array.from(v.data), Array.from(ts.get(k)!.dtype === "i32" ? ts.get(k)!.idata : ts.get(k)!.data), k);
  }
  assert.throws(() => new DistillTrainer(config("trajectory"), initUNet({ ...ARCH, channels: [4, 16] }, 0), null), /differs from the teacher's/);
  assert.throws(() => new DistillTrainer(config("shortcut"), teacher, null), /shortcut method needs training data/);
  assert.throws(() => new DistillTrainer({ ...config("trajectory"), teacherSteps: 6 }, teacher, null), /teacherSteps must be a positive multiple of 4/);
});

test("teacherTrajectory keeps x0 and every k-th midpoint step of the guided ODE; teacherGuided is (1 − w)·u(∅) + w·u(y) per row", () => {
  const teacher = initUNet(ARCH, 2);
  T.tidy(() => {
    const rng = new T.Rng(0);
    const x0 = T.randn([2, 1, 32, 32], rng), y = T.intTensor([3, 10]), w = perRow([2, 4]);
    const states = teacherTrajectory(teacher, x0, y, w, 4, 2);
    assert.equal(states.length, 3);
    assert.deepEqual(states[0]!.toFloat32Array(), x0.toFloat32Array());
    // by hand: two midpoint steps of size 1/4 from x0
    let x = x0;
    for (const t of [0, 0.25]) {
      const k1 = teacherGuided(teacher, x, T.full([2, 1, 1, 1], t), y, w);
      const k2 = teacherGuided(teacher, T.add(x, T.affine(k1, 0.125)), T.full([2, 1, 1, 1], t + 0.125), y, w);
      x = T.add(x, T.affine(k2, 0.25));
    }
    assert.deepEqual(states[1]!.toFloat32Array(), x.toFloat32Array());
    const xt = T.randn([2, 1, 32, 32], rng), t = perRow([0.3, 0.6]);
    const g = teacherGuided(teacher, xt, t, y, w).toFloat32Array();
    const c = unetForward(teacher, xt, t, y, "eval").toFloat32Array(), u = unetForward(teacher, xt, t, T.intTensor([10, 10]), "eval").toFloat32Array();
    for (const i of [0, 500, 1023]) assert.ok(Math.abs(g[i]! - (u[i]! + 2 * (c[i]! - u[i]!))) < 1e-4, `row 0, pixel ${i}`);
    for (const i of [1024, 2047]) assert.ok(Math.abs(g[i]! - u[i]!) < 1e-4, `∅ row: guidance leaves u(∅), pixel ${i}`);
    T.disposeAll(states);
  });
});
