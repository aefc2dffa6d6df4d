// The wasm backend against the reference backend on random, awkward shapes: a suite the two kernel
// builds (relaxed SIMD and plain SIMD128) both run, from backends.test.ts and backends-simd.test.ts.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as T from "./index.js";
import { maxAbsDiff, maxAbs } from "../testing/helpers.js";

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

  const shapes: [number, number, number, number, number][] = [
    // B, Cin, H, W, Cout
    [1, 1, 7, 7, 1],
    [1, 3, 7, 7, 5],
    [2, 1, 32, 32, 32],
    [3, 3, 9, 5, 7],
    [5, 17, 8, 8, 13],
    [4, 32, 16, 16, 64],
    [2, 64, 8, 8, 128],
    // Winograd edge cases: many images per tile block, tiles cut by the border, 1×1 images
    [70, 3, 4, 4, 6],
    [9, 2, 1, 1, 3],
    [33, 5, 2, 3, 9],
    [3, 4, 13, 17, 5],
  ];

  for (const [B, Cin, H, W, Cout] of shapes) {
    for (const stride of [1, 2]) {
      test(`conv2d B=${B} Cin=${Cin} ${H}×${W} Cout=${Cout} stride ${stride}: wasm = ref`, () =>
        same(`conv ${B},${Cin},${H},${W}->${Cout}/s${stride}`, (r) => [T.randn([B, Cin, H, W], r), T.randn([Cout, Cin, 3, 3], r, 0.2), T.randn([Cout], r)], ([x, w, b]) => T.conv2d(x!, w!, b!, stride), 2e-5));
    }
  }

  // the fused addend: a residual and a per-image shift, on shapes with full and border-cut tiles
  for (const [B, Cin, H, W, Cout] of [[3, 4, 8, 8, 5], [70, 3, 4, 4, 6], [3, 4, 13, 17, 5], [2, 32, 16, 16, 32]] as const) {
    for (const kind of ["residual", "shift"] as const) {
      for (const stride of [1, 2]) {
        const Ho = Math.floor((H - 1) / stride) + 1, Wo = Math.floor((W - 1) / stride) + 1;
        test(`conv2d + ${kind} B=${B} Cin=${Cin} ${H}×${W} Cout=${Cout} stride ${stride}: wasm = ref`, () =>
          same(`conv+${kind}`, (r) => [T.randn([B, Cin, H, W], r), T.randn([Cout, Cin, 3, 3], r, 0.2), T.randn([Cout], r), T.randn(kind === "residual" ? [B, Cout, Ho, Wo] : [B, Cout, 1, 1], r)],
            ([x, w, b, a]) => T.conv2d(x!, w!, b!, stride, a!), 2e-5));
      }
    }
  }

  // the fused input transform (eval BatchNorm after SiLU) with and without an addend
  for (const [B, Cin, H, W, Cout] of [[3, 4, 8, 8, 5], [70, 3, 4, 4, 6], [3, 4, 13, 17, 5], [2, 32, 16, 16, 32]] as const) {
    for (const silu of [false, true]) {
      for (const stride of [1, 2]) {
        test(`conv2d with fused input (silu=${silu}) B=${B} Cin=${Cin} ${H}×${W} Cout=${Cout} stride ${stride}: wasm = ref`, () =>
          same(`conv+pre`, (r) => [T.randn([B, Cin, H, W], r), T.randn([Cout, Cin, 3, 3], r, 0.2), T.randn([Cout], r), T.randn([B, Cout, 1, 1], r), T.randn([Cin], r), T.randn([Cin], r)],
            ([x, w, b, a, s, h]) => T.conv2d(x!, w!, b!, stride, a!, { scale: s!, shift: h!, silu }), 2e-5));
      }
    }
  }

  const mm: [number, number, number][] = [[1, 1, 1], [3, 5, 7], [13, 17, 9], [64, 300, 129], [130, 70, 260]];
  for (const [M, K, N] of mm) {
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      test(`matmul ${M}×${K}·${K}×${N} transA=${ta} transB=${tb}: wasm = ref`, () =>
        same(`mm`, (r) => [T.randn(ta ? [K, M] : [M, K], r), T.randn(tb ? [N, K] : [K, N], r)], ([a, b]) => T.matmul(a!, b!, ta, tb), 2e-5));
    }
  }

  for (const s of [[1, 1, 7, 7], [3, 5, 9, 1], [4, 32, 16, 16], [2, 6]]) {
    for (const silu of [false, true]) {
      test(`channelAffine ${s.join("×")} silu=${silu}: wasm = ref`, () =>
        same("channelAffine", (r) => [T.randn(s, r, 2), T.randn([s[1]!], r), T.randn([s[1]!], r)], ([x, a, b]) => T.channelAffine(x!, a!, b!, silu), 2e-5));
    }
  }

  const bn: number[][] = [[1, 1, 7, 7], [2, 3, 5, 5], [3, 7, 9, 1], [8, 32, 16, 16]];
  for (const s of bn) {
    test(`batchNormTrain ${s.join("×")}: wasm = ref`, () =>
      same("bn", (r) => [T.randn(s, r, 2), T.rand([s[1]!], r, 0.5, 1.5), T.randn([s[1]!], r)], ([x, g, b]) => T.batchNormTrain(x!, g!, b!, null), 2e-5));
  }

  const ew: [string, number[], number[]][] = [
    ["same shape odd", [3, 5, 7], [3, 5, 7]],
    ["channel bcast", [4, 32, 16, 16], [1, 32, 1, 1]],
    ["batch-channel bcast", [4, 32, 16, 16], [4, 32, 1, 1]],
    ["scalar", [3, 7], [1]],
    ["left bcast", [1, 3, 1, 1], [2, 3, 5, 5]],
    ["big same", [64, 32, 32, 8], [64, 32, 32, 8]],
  ];
  for (const [name, a, b] of ew) {
    for (const op of [T.add, T.sub, T.mul, T.div]) {
      test(`${op.name} ${name}: wasm = ref`, () =>
        same(`${op.name} ${name}`, (r) => [T.randn(a, r), T.rand(b, r, 0.5, 2)], ([x, y]) => op(x!, y!)));
    }
  }

  test("silu, upsample2x and sum on odd shapes: wasm = ref", () => {
    same("silu", (r) => [T.randn([3, 5, 7, 9], r, 3)], ([x]) => T.silu(x!));
    same("silu big", (r) => [T.randn([64, 32, 32, 17], r, 3)], ([x]) => T.silu(x!));
    same("upsample", (r) => [T.randn([2, 3, 5, 7], r)], ([x]) => T.upsample2x(x!));
    same("upsample 1×1", (r) => [T.randn([3, 2, 1, 1], r)], ([x]) => T.upsample2x(x!));
    same("upsample threaded", (r) => [T.randn([8, 32, 16, 16], r)], ([x]) => T.upsample2x(x!));
    same("upsample threaded, ragged rows", (r) => [T.randn([9, 17, 9, 13], r)], ([x]) => T.upsample2x(x!));
    same("sum", (r) => [T.randn([4, 5, 6, 7], r)], ([x]) => T.sum(x!, [0, 2, 3]));
  });

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
