// Few-step models' w and d inputs: zero-initialised embeddings leave the teacher's field unchanged,
// gradients reach them, inputs are checked, and checkpoints keep the trained range.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { setup } from "../testing/helpers.js";
import * as T from "../tensor/index.js";
import { initUNet, unetForward } from "./unet.js";
import { parameters, stateDict } from "./state-dict.js";
import { studentFromTeacher } from "../train/distill.js";
import { encodeCheckpoint, decodeCheckpoint } from "../train/checkpoint.js";
import { parseSafetensors, serializeSafetensors } from "../io/safetensors.js";
import type { UNetConfig } from "./config.js";

before(() => setup(2));

const TINY: UNetConfig = { channels: [4, 8], numResidualLayers: 1, tEmbedDim: 8, yEmbedDim: 4, numClasses: 3 };
const FEW = { wMin: 1, wMax: 5, steps: [1, 2, 4] };
const row = (v: number[]) => T.tensor(v, [v.length, 1, 1, 1]);

test("a student made from the teacher computes the teacher's conditional field exactly, for any w and d", () => {
  const teacher = initUNet(TINY, 7);
  const student = studentFromTeacher(teacher, FEW, 7);
  T.tidy(() => {
    const rng = new T.Rng(1);
    const x = T.randn([3, 1, 32, 32], rng), t = row([0, 0.4, 1]), y = T.intTensor([0, 2, 3]);
    const want = unetForward(teacher, x, t, y, "eval").toFloat32Array();
    for (const [w, d] of [[1, 1], [3, 0.5], [5, 0.25]] as const) {
      const got = unetForward(student, x, t, y, "eval", { w: row([w, w, w]), d: row([d, d, d]) }).toFloat32Array();
      assert.deepEqual(got, want, `w = ${w}, d = ${d}`);
    }
  });
});

test("the embeddings' zero last layer still receives gradient (the student can learn w and d)", () => {
  const student = studentFromTeacher(initUNet(TINY, 2), FEW, 2);
  T.tidy(() => {
    const rng = new T.Rng(3);
    const x = T.randn([2, 1, 32, 32], rng);
    const out = unetForward(student, x, row([0.2, 0.7]), T.intTensor([1, 2]), "train", { w: row([2, 4]), d: row([1, 0.5]) });
    const p = parameters(student.params);
    const keys = ["w_embedder.3.weight", "d_embedder.3.weight", "w_embedder.1.weight"];
    const g = T.grad(T.mean(T.square(out)), keys.map((k) => p.get(k)!));
    const norm = (t: T.Tensor) => t.toFloat32Array().reduce((a, v) => a + v * v, 0);
    assert.ok(norm(g[0]!) > 0 && norm(g[1]!) > 0, "the last layers get gradient");
    assert.equal(norm(g[2]!), 0, "behind a zero layer, the first layer's gradient is zero at init");
  });
});

test("w and d inputs are checked: a plain model takes none, a few-step model needs both, w must be in range", () => {
  const plain = initUNet(TINY, 0), few = initUNet({ ...TINY, fewStep: FEW }, 0);
  T.tidy(() => {
    const x = T.zeros([1, 1, 32, 32]), t = row([0.5]), y = T.intTensor([0]);
    assert.throws(() => unetForward(plain, x, t, y, "eval", { w: row([3]), d: row([1]) }), /takes no w or d inputs/);
    assert.throws(() => unetForward(few, x, t, y, "eval"), /needs its w and d inputs/);
    assert.throws(() => unetForward(few, x, t, y, "eval", { w: row([5.5]), d: row([1]) }), /w\[0\] = 5.5 is outside the model's trained range \[1, 5\]/);
    assert.throws(() => unetForward(few, x, t, y, "eval", { w: row([3]), d: row([2]) }), /d\[0\] = 2 is outside \[0, 1\]/);
  });
  assert.throws(() => initUNet({ ...TINY, fewStep: { wMin: 5, wMax: 1, steps: [1] } }), /wMin < wMax/);
  assert.throws(() => initUNet({ ...TINY, fewStep: { wMin: 1, wMax: 5, steps: [2, 1] } }), /ascending/);
});

test("a few-step checkpoint keeps its range and step counts; without its metadata it is refused", () => {
  const net = initUNet({ ...TINY, fewStep: FEW }, 4);
  const bytes = encodeCheckpoint({ net, ema: null, adam: null, record: null });
  const back = decodeCheckpoint(bytes, "few.safetensors");
  assert.deepEqual(back.net.config, { ...TINY, fewStep: FEW });
  const a = stateDict(net.params), b = stateDict(back.net.params);
  const values = (t: T.Tensor) => (t.dtype === "i32" ? Array.from(t.idata) : Array.from(t.toFloat32Array()));
  for (const [k, v] of a) assert.deepEqual(values(b.get(k)!), values(v), k);
  const file = parseSafetensors(bytes, "few");
  const bare = serializeSafetensors([...file.tensors], {});
  assert.throws(() => decodeCheckpoint(bare, "bare.safetensors"), /bare\.safetensors is a few-step model but has no model_config metadata/);
  // the teacher's checkpoints are unchanged: no fewStep in their config
  assert.equal(decodeCheckpoint(encodeCheckpoint({ net: initUNet(TINY, 0), ema: null, adam: null, record: null }), "t").net.config.fewStep, undefined);
});
