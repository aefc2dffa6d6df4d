// The wasm backend against the reference backend on random, awkward shapes: a suite the two kernel
// builds (relaxed SIMD and plain SIMD128) both run, from backends.test.ts and backends-simd.test.ts.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as T from "./index.js";
import { maxAbsDiff, maxAbs } from "../testing/helpers.js";
import { backendCases } from "./backend-cases.js";

export function backendSuite(): void {
  /** Runs f on both backends with the same inputs; compares outputs and gradients. */
  function same(name: string, make: (r: T.Rng) => T.Tensor[], f: (xs: T.Tensor[]) => T.Tensor, rel = 1e-5): void {
    T.tidy(() => {
      const run = (backend: "wasm" | "ref") =>
        T.withBackend(backend, () => {
          const xs = make(new T.Rng(11)).map((x) => (x.dtype === "f32" ? T.variable(x) : x));
          const out = f(xs);
          const gy = T.randn(out.shape, new T.Rng(12));
          const grads = T.grad(out, xs.filter((x) => x.dtype === "f32"), gy);
          return [out, ...grads].map((t) => t.toFloat32Array());
        });
      const wasm = run("wasm"), ref = run("ref");
      wasm.forEach((a, i) => {
        const b = ref[i]!;
        const tol = rel * Math.max(1, maxAbs(b));
        const d = maxAbsDiff(a, b);
        assert.ok(d <= tol, `${name}: ${i === 0 ? "output" : `grad ${i - 1}`} differs by ${d.toExponential(2)} (tol ${tol.toExponential(1)})`);
      });
    });
  }

  for (const c of backendCases()) {
    test(`${c.name}: wasm = ref`, () => same(c.name, c.make, c.f, c.rel));
  }

  test("Adam: wasm = ref", () =>
    T.tidy(() => {
      const res = (["wasm", "ref"] as const).map((b) =>
        T.withBackend(b, () => {
          const r = new T.Rng(3);
          const p = T.randn([1001], r), g = T.randn([1001], r), m = T.zeros([1001]), v = T.zeros([1001]);
          for (let s = 1; s <= 3; s++) T.adamUpdate(p, g, m, v, { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, step: s });
          return p.toFloat32Array();
        }),
      );
      assert.ok(maxAbsDiff(res[0]!, res[1]!) <= 1e-7);
    }));
}
