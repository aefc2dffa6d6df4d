// Op-level parity with PyTorch 1.13 (test/golden/ops.safetensors), on both backends.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as T from "./index.js";
import { setup, gt, assertClose, maxAbs } from "../testing/helpers.js";

before(() => setup(2));

const F = "ops.safetensors";
const OUT_TOL = 1e-5;

function checkOp(name: string, n: number, f: (xs: T.Tensor[]) => T.Tensor): void {
  T.tidy(() => {
    const xs = Array.from({ length: n }, (_, i) => T.variable(gt(F, `${name}.in${i}`)));
    const out = f(xs);
    assertClose(out, gt(F, `${name}.out`), OUT_TOL, `${name} output`);
    const grads = T.grad(out, xs, gt(F, `${name}.gy`));
    grads.forEach((g, i) => {
      const ref = gt(F, `${name}.grad${i}`);
      assertClose(g, ref, 1e-4 * Math.max(1, maxAbs(ref.data)), `${name} grad${i}`);
    });
  });
}

for (const backend of ["wasm", "ref"] as const) {
  test(`[${backend}] conv2d stride 1 and 2 match PyTorch`, () =>
    T.withBackend(backend, () => {
      checkOp("conv2d_s1", 3, ([x, w, b]) => T.conv2d(x!, w!, b!, 1));
      checkOp("conv2d_s2", 3, ([x, w, b]) => T.conv2d(x!, w!, b!, 2));
    }));
  test(`[${backend}] upsample2x matches PyTorch`, () => T.withBackend(backend, () => checkOp("upsample2x", 1, ([x]) => T.upsample2x(x!))));
  test(`[${backend}] linear and silu match PyTorch`, () =>
    T.withBackend(backend, () => {
      checkOp("linear", 3, ([x, w, b]) => T.linear(x!, w!, b!));
      checkOp("silu", 1, ([x]) => T.silu(x!));
    }));
  test(`[${backend}] batchnorm train (with running-stat update) and eval match PyTorch`, () =>
    T.withBackend(backend, () =>
      T.tidy(() => {
        const rm = gt(F, "bn_train.running_mean_before"), rv = gt(F, "bn_train.running_var_before");
        checkOp("bn_train", 3, ([x, g, b]) => T.batchNormTrain(x!, g!, b!, { mean: rm, var: rv, momentum: 0.1 }));
        // checkOp ran the forward once, so the running stats were updated exactly once
        assertClose(rm, gt(F, "bn_train.running_mean_after"), 1e-6, "running_mean");
        assertClose(rv, gt(F, "bn_train.running_var_after"), 1e-6, "running_var");
        const em = gt(F, "bn_eval.running_mean"), ev = gt(F, "bn_eval.running_var");
        checkOp("bn_eval", 3, ([x, g, b]) => T.batchNormEval(x!, g!, b!, em, ev));
      })));
  test(`[${backend}] embedding matches PyTorch (repeated indices accumulate)`, () =>
    T.withBackend(backend, () =>
      T.tidy(() => {
        const w = T.variable(gt(F, "embedding.weight"));
        const out = T.embedding(w, gt(F, "embedding.idx"));
        assertClose(out, gt(F, "embedding.out"), OUT_TOL, "embedding out");
        const [gw] = T.grad(out, [w], gt(F, "embedding.gy"));
        assertClose(gw!, gt(F, "embedding.grad_weight"), 1e-5, "embedding grad");
      })));
}

test("golden comparison can fail: a perturbed weight is caught", () => {
  T.tidy(() => {
    const w = gt(F, "conv2d_s1.in1");
    w.data[0]! += 1e-2;
    const out = T.conv2d(gt(F, "conv2d_s1.in0"), w, gt(F, "conv2d_s1.in2"), 1);
    assert.throws(() => assertClose(out, gt(F, "conv2d_s1.out"), OUT_TOL, "perturbed"));
  });
});
