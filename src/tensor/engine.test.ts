// Engine behaviour: determinism, bad input errors, tidy/dispose, and flat memory over 1000 steps.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as T from "./index.js";
import { setup } from "../testing/helpers.js";

before(() => setup(2));

function tinyStep(params: T.Tensor[], moments: T.Tensor[][], step: number, rng: T.Rng): number {
  return T.tidy(() => {
    const [w1, b1, g, be, w2] = params as [T.Tensor, T.Tensor, T.Tensor, T.Tensor, T.Tensor];
    const x = T.randn([4, 3, 12, 12], rng);
    const h = T.silu(T.batchNormTrain(T.conv2d(x, w1, b1, 2), g, be, null));
    const y = T.conv2d(T.upsample2x(h), w2, null, 1);
    const loss = T.mean(T.square(T.sub(y, x)));
    const grads = T.grad(loss, params);
    params.forEach((p, i) => T.adamUpdate(p, grads[i]!, moments[i]![0]!, moments[i]![1]!, { lr: 1e-2, beta1: 0.9, beta2: 0.999, eps: 1e-8, step }));
    return loss.item();
  });
}

function makeTiny(seed: number): { params: T.Tensor[]; moments: T.Tensor[][] } {
  const r = new T.Rng(seed);
  const params = [T.randn([8, 3, 3, 3], r, 0.3), T.zeros([8]), T.ones([8]), T.zeros([8]), T.randn([3, 8, 3, 3], r, 0.2)].map((p) => T.variable(p).keep());
  const moments = params.map((p) => [T.zeros(p.shape).keep(), T.zeros(p.shape).keep()]);
  return { params, moments };
}

test("same seed and thread count give bit-identical training", () => {
  const run = () => {
    const { params, moments } = makeTiny(1);
    const rng = new T.Rng(2);
    const losses: number[] = [];
    for (let s = 1; s <= 5; s++) losses.push(tinyStep(params, moments, s, rng));
    const out = params.map((p) => Array.from(p.data));
    T.disposeAll([params, moments]);
    return { losses, out };
  };
  const a = run(), b = run();
  assert.deepEqual(a.losses, b.losses);
  assert.deepEqual(a.out, b.out);
  assert.ok(a.losses[4]! < a.losses[0]!, `loss should fall: ${a.losses.join(", ")}`);
});

// forward convolutions share their images dynamically between threads (assembly/claim.ts): each
// image must be computed exactly once, with the same bits whichever thread takes it
const claimCases: [string, number[], number, number][] = [
  ["Winograd, 32×32, one image per block", [7, 3, 32, 32], 5, 1],
  ["Winograd, 8×8, 16 images per block, a partial last block", [37, 4, 8, 8], 6, 1],
  ["Winograd, 6×6 (tiles past the edge)", [5, 2, 6, 6], 3, 1],
  ["im2col, stride 2", [9, 3, 16, 16], 4, 2],
];
for (const [name, xShape, cout, stride] of claimCases) {
  test(`forward conv on 2 threads equals 1 thread bit for bit: ${name}`, () => T.tidy(() => {
    const r = new T.Rng(11);
    const x = T.randn(xShape, r), w = T.randn([cout, xShape[1]!, 3, 3], r, 0.3), b = T.randn([cout], r);
    const pool = T.engine().pool;
    const out = [xShape[0]!, cout, xShape[2]! / stride, xShape[3]! / stride];
    const run = (limit: number) => {
      pool.limit = limit;
      // the output reuses this freed block (exact-size free lists): an image left out stays NaN
      T.full(out, NaN).dispose();
      try {
        return T.noGrad(() => T.conv2d(x, w, b, stride)).toFloat32Array();
      } finally {
        pool.limit = Infinity;
      }
    };
    const one = run(1), two = run(2), again = run(2);
    assert.ok(one.every(Number.isFinite) && two.every(Number.isFinite), "every image was computed (none left NaN)");
    assert.ok(one.some((v) => v !== 0), "the output is not all zeros");
    assert.deepEqual(two, one);
    assert.deepEqual(again, one);
  }));
}

test("1000 training steps keep memory flat", () => {
  const { params, moments } = makeTiny(3);
  const rng = new T.Rng(4);
  const heap = T.engine().heap;
  for (let s = 1; s <= 100; s++) tinyStep(params, moments, s, rng);
  const live0 = heap.liveBytes, reserved0 = heap.reservedBytes;
  const rss0 = process.memoryUsage().rss;
  for (let s = 101; s <= 1000; s++) tinyStep(params, moments, s, rng);
  assert.equal(heap.liveBytes, live0, "live tensor bytes grew: a leak");
  assert.ok(heap.reservedBytes <= reserved0 * 1.05, `heap grew from ${reserved0} to ${heap.reservedBytes}`);
  const rss1 = process.memoryUsage().rss;
  assert.ok(rss1 <= rss0 * 1.05 + 8 * 2 ** 20, `process RSS grew from ${rss0} to ${rss1}`);
  T.disposeAll([params, moments]);
});

test("tidy disposes intermediates and keeps the result", () => {
  const heap = T.engine().heap;
  const before = heap.liveBytes;
  const out = T.tidy(() => T.add(T.ones([100]), T.ones([100])));
  assert.equal(out.data[0], 2);
  out.dispose();
  assert.equal(heap.liveBytes, before);
  assert.throws(() => out.data, /after dispose/);
});

type Bad = [string, () => unknown, RegExp];
const bad: Bad[] = [
  ["broadcast mismatch", () => T.add(T.zeros([2, 3]), T.zeros([4])), /add: shapes \[2, 3\] and \[4\] do not broadcast/],
  ["matmul inner dims", () => T.matmul(T.zeros([2, 3]), T.zeros([4, 5])), /matmul: .*inner dims 3 and 4 differ/],
  ["conv weight shape", () => T.conv2d(T.zeros([1, 3, 8, 8]), T.zeros([4, 2, 3, 3])), /conv2d: got x \[1, 3, 8, 8\], weight \[4, 2, 3, 3\].*expected/],
  ["conv stride", () => T.conv2d(T.zeros([1, 1, 8, 8]), T.zeros([1, 1, 3, 3]), null, 3), /stride must be 1 or 2/],
  ["i32 into add", () => T.add(T.intTensor([1, 2]), T.zeros([2])), /add: left operand must be f32, got i32/],
  ["embedding out of range", () => T.embedding(T.zeros([11, 4]), T.intTensor([3, 11])), /index 11 at position 1 is outside 0..10/],
  ["embedding f32 indices", () => T.embedding(T.zeros([11, 4]), T.zeros([2])), /indices must be i32/],
  ["reshape size", () => T.reshape(T.zeros([2, 3]), [4, 2]), /cannot reshape \[2, 3\]/],
  ["bn channels", () => T.batchNormTrain(T.zeros([2, 3, 4, 4]), T.ones([4]), T.zeros([4]), null), /batchNormTrain: parameter \[4\] does not match 3 channels/],
  ["non-finite affine", () => T.affine(T.zeros([2]), NaN), /affine: scale and shift must be finite/],
  ["non-finite check", () => T.assertFinite("model", T.tensor([1, NaN])), /model: input \[2\] has a non-finite value \(NaN\) at flat index 1/],
  ["tensor data size", () => T.tensor([1, 2, 3], [2, 2]), /3 values do not fill shape \[2, 2\]/],
  ["negative dim", () => T.zeros([2, -1]), /invalid shape/],
  ["grad of non-scalar", () => T.grad(T.variable(T.zeros([3])), []), /scalar/],
];
for (const [name, f, re] of bad) {
  test(`bad input: ${name}`, () => T.tidy(() => assert.throws(f, re)));
}

test("tensors above 2 GiB in the heap compute correctly (unsigned pointers)", () => {
  const heap = T.engine().heap;
  const need = 2 ** 31 + 2 ** 20 - heap.reservedBytes;
  const filler = need > 0 ? T.empty([Math.ceil(need / 4)]) : null;
  T.tidy(() => {
    const r = new T.Rng(8);
    const x = T.randn([2, 3, 8, 8], r), w = T.randn([4, 3, 3, 3], r);
    assert.ok(x.ptr >= 2 ** 31, `x.ptr ${x.ptr} should be above 2 GiB`);
    const wasm = T.withBackend("wasm", () => T.add(T.conv2d(x, w), T.ones([1, 4, 1, 1]))).toFloat32Array();
    const ref = T.withBackend("ref", () => T.add(T.conv2d(x, w), T.ones([1, 4, 1, 1]))).toFloat32Array();
    assert.ok(wasm.every((v, i) => Math.abs(v - ref[i]!) < 1e-4 && Number.isFinite(v)));
    assert.equal(T.sum(x).item().toFixed(3), Array.from(x.data).reduce((a, b) => a + b, 0).toFixed(3));
  });
  filler?.dispose();
});
