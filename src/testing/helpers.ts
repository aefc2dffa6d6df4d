// Shared test helpers: engine start-up, golden files, comparisons and a finite-difference checker.
import { readFileSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import assert from "node:assert/strict";
import { initNodeEngine } from "../tensor/node.js";
import * as T from "../tensor/index.js";
import { parseSafetensors, toF32, toI32, type StFile } from "../io/safetensors.js";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const goldenDir = process.env["FLOWLAB_GOLDEN"] ?? path.join(repoRoot, "test", "golden");

export async function setup(threads = 2, kernels: "auto" | T.KernelSet = "auto"): Promise<void> {
  await initNodeEngine({ threads, kernels });
}

const cache = new Map<string, StFile>();
export function golden(file: string): StFile {
  let f = cache.get(file);
  if (!f) {
    const p = path.join(goldenDir, file);
    if (!existsSync(p)) throw new Error(`golden file ${p} is missing (set FLOWLAB_GOLDEN to the folder holding it)`);
    f = parseSafetensors(readFileSync(p), p);
    cache.set(file, f);
  }
  return f;
}

/** A golden entry as an engine tensor (f32, or i32 for integer dtypes). */
export function gt(file: string, key: string): T.Tensor {
  const t = golden(file).tensors.get(key);
  if (!t) throw new Error(`golden ${file} has no entry ${key}`);
  return t.dtype === "F32" ? T.tensor(toF32(t), t.shape) : T.intTensor(toI32(t), t.shape);
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length, "length mismatch");
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (!(d <= m)) m = Number.isNaN(d) ? Infinity : d;
  }
  return m;
}

export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}

export function assertClose(actual: T.Tensor | ArrayLike<number>, expected: T.Tensor | ArrayLike<number>, tol: number, what: string): void {
  const a = actual instanceof T.Tensor ? actual.data : actual;
  const e = expected instanceof T.Tensor ? expected.data : expected;
  if (actual instanceof T.Tensor && expected instanceof T.Tensor) assert.deepEqual(actual.shape, expected.shape, `${what}: shape`);
  const d = maxAbsDiff(a, e);
  assert.ok(d <= tol, `${what}: max abs error ${d.toExponential(3)} exceeds ${tol.toExponential(1)}`);
}

/**
 * Checks the tape's gradients of sum(f(inputs)·R) against central differences.
 * Computes in float32, so eps is moderate and the tolerance relative to the gradient's scale.
 */
export function gradCheck(name: string, f: (xs: T.Tensor[]) => T.Tensor, inputs: T.Tensor[], opts: { eps?: number; tol?: number; seed?: number } = {}): void {
  const eps = opts.eps ?? 1e-2;
  const tol = opts.tol ?? 2e-2;
  T.tidy(() => {
    const rng = new T.Rng(opts.seed ?? 99);
    const vars = inputs.map((x) => (x.dtype === "f32" ? T.variable(x) : x));
    const out0 = f(vars);
    const R = T.randn(out0.shape, rng);
    const loss = (xs: T.Tensor[]) => T.sum(T.mul(f(xs), R));
    const wrt = vars.filter((v) => v.dtype === "f32");
    const grads = T.grad(loss(vars), wrt);
    wrt.forEach((v, k) => {
      const g = grads[k]!.data;
      const d = v.data;
      const numeric = new Float64Array(v.size);
      const count = Math.min(v.size, 40);
      const idx = Array.from({ length: count }, (_, i) => Math.floor((i * v.size) / count));
      for (const i of idx) {
        const orig = d[i]!;
        d[i] = orig + eps;
        const up = T.tidy(() => T.noGrad(() => loss(vars).item()));
        d[i] = orig - eps;
        const down = T.tidy(() => T.noGrad(() => loss(vars).item()));
        d[i] = orig;
        numeric[i] = (up - down) / (2 * eps);
      }
      const scale = Math.max(1, ...idx.map((i) => Math.abs(numeric[i]!)));
      for (const i of idx) {
        const err = Math.abs(g[i]! - numeric[i]!);
        assert.ok(err <= tol * scale, `${name}: d/d input${k}[${i}] tape ${g[i]} vs finite difference ${numeric[i]} (err ${err.toExponential(2)}, scale ${scale.toFixed(3)})`);
      }
    });
  });
}
