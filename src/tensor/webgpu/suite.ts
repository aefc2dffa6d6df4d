// The webgpu conformance suite, run inside a browser with WebGPU (webgpu.test.ts drives Chromium):
// every backend case against ref/ (outputs and gradients), Adam, BatchNorm's running statistics, and
// the tape's gradients on webgpu against central finite differences.
import * as T from "../index.js";
import { backendCases, layoutCases, type BackendCase } from "../backend-cases.js";

/** One comparison: its largest absolute difference and the tolerance it must stay within. */
export interface Check {
  name: string;
  diff: number;
  tol: number;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (!(d <= m)) m = Number.isNaN(d) ? Infinity : d;
  }
  return m;
}
const maxAbs = (a: Float32Array) => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

/** Output and input gradients of one case on one backend, read back. */
async function outputs(backend: "ref" | "webgpu", c: BackendCase): Promise<Float32Array[]> {
  T.setBackend(backend);
  const ts = T.tidy(() => {
    const xs = c.make(new T.Rng(11)).map((x) => (x.dtype === "f32" ? T.variable(x) : x));
    const out = c.f(xs);
    const gy = T.randn(out.shape, new T.Rng(12));
    return [out, ...T.grad(out, xs.filter((x) => x.dtype === "f32"), gy)];
  });
  try {
    return await Promise.all(ts.map((t) => t.read()));
  } finally {
    T.disposeAll(ts);
  }
}

async function compareCase(c: BackendCase): Promise<Check[]> {
  const gpu = await outputs("webgpu", c);
  const ref = await outputs("ref", c);
  return ref.map((b, i) => ({ name: `${c.name}: ${i === 0 ? "output" : `grad ${i - 1}`}`, diff: maxAbsDiff(gpu[i]!, b), tol: c.rel * Math.max(1, maxAbs(b)) }));
}

async function adamCheck(): Promise<Check> {
  const res: Float32Array[] = [];
  for (const b of ["webgpu", "ref"] as const) {
    T.setBackend(b);
    const r = new T.Rng(3);
    const p = T.randn([1001], r), g = T.randn([1001], r), m = T.zeros([1001]), v = T.zeros([1001]);
    for (let s = 1; s <= 3; s++) T.adamUpdate(p, g, m, v, { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, step: s });
    res.push(await p.read());
    T.disposeAll([p, g, m, v]);
  }
  return { name: "Adam, 3 steps", diff: maxAbsDiff(res[0]!, res[1]!), tol: 1e-6 };
}

async function runningStatsCheck(): Promise<Check[]> {
  const res: Float32Array[][] = [];
  for (const b of ["webgpu", "ref"] as const) {
    T.setBackend(b);
    const r = new T.Rng(4);
    const x = T.randn([3, 5, 4, 6], r, 2), g = T.rand([5], r, 0.5, 1.5), bt = T.randn([5], r);
    const running = { mean: T.randn([5], r), var: T.rand([5], r, 0.5, 2), momentum: 0.1 };
    T.tidy(() => T.batchNormTrain(x, g, bt, running));
    res.push([await running.mean.read(), await running.var.read()]);
    T.disposeAll([x, g, bt, running.mean, running.var]);
  }
  return ["mean", "var"].map((what, i) => ({ name: `batchNormTrain running ${what}`, diff: maxAbsDiff(res[0]![i]!, res[1]![i]!), tol: 1e-5 }));
}

/** Finite-difference cases: the tape's gradient on webgpu against central differences of webgpu forwards. */
const FD_CASES: [string, (r: T.Rng) => T.Tensor[], (xs: T.Tensor[]) => T.Tensor, { eps: number; tol: number }][] = [
  ["conv2d stride 2, fused SiLU+BN input, shift", (r) => [T.randn([2, 3, 7, 9], r), T.randn([5, 3, 3, 3], r, 0.3), T.randn([5], r), T.randn([2, 5, 1, 1], r), T.randn([3], r), T.randn([3], r)],
    ([x, w, b, a, s, h]) => T.conv2d(x!, w!, b!, 2, a!, { scale: s!, shift: h!, silu: true }), { eps: 1e-2, tol: 2e-2 }],
  ["conv2d stride 1 + residual", (r) => [T.randn([2, 3, 6, 5], r), T.randn([4, 3, 3, 3], r, 0.3), T.randn([4], r), T.randn([2, 4, 6, 5], r)], ([x, w, b, a]) => T.conv2d(x!, w!, b!, 1, a!), { eps: 1e-2, tol: 2e-2 }],
  ["batchNormTrain", (r) => [T.randn([3, 4, 5, 6], r), T.rand([4], r, 0.5, 1.5), T.randn([4], r)], ([x, g, b]) => T.batchNormTrain(x!, g!, b!, null), { eps: 3e-3, tol: 3e-2 }],
  ["upsample2x", (r) => [T.randn([2, 3, 5, 4], r)], ([x]) => T.upsample2x(x!), { eps: 1e-2, tol: 2e-2 }],
  ["matmul transA", (r) => [T.randn([4, 3], r), T.randn([4, 5], r)], ([a, b]) => T.matmul(a!, b!, true, false), { eps: 1e-2, tol: 2e-2 }],
  ["channelAffine(SiLU)", (r) => [T.randn([2, 3, 7], r), T.randn([3], r), T.randn([3], r)], ([x, s, h]) => T.channelAffine(x!, s!, h!, true), { eps: 1e-2, tol: 2e-2 }],
  ["embedding", (r) => [T.randn([6, 4], r), T.intTensor([1, 3, 1, 0, 4])], ([w, i]) => T.embedding(w!, i!), { eps: 1e-2, tol: 2e-2 }],
];

async function finiteDifferences(): Promise<Check[]> {
  T.setBackend("webgpu");
  const checks: Check[] = [];
  for (const [name, make, f, { eps, tol }] of FD_CASES) {
    const rng = new T.Rng(5);
    const vars = make(rng).map((x) => (x.dtype === "f32" ? T.variable(x) : x));
    const R = T.tidy(() => T.randn(T.noGrad(() => f(vars)).shape, new T.Rng(99)));
    const loss = async () => {
      const l = T.tidy(() => T.noGrad(() => T.sum(T.mul(f(vars), R))));
      const v = (await l.read())[0]!;
      l.dispose();
      return v;
    };
    const wrt = vars.filter((v) => v.dtype === "f32");
    const grads = T.tidy(() => T.grad(T.sum(T.mul(f(vars), R)), wrt));
    for (let k = 0; k < wrt.length; k++) {
      const g = await grads[k]!.read();
      const v = wrt[k]!;
      const count = Math.min(v.size, 12);
      let worst = 0, scale = 1;
      const numeric: number[] = [];
      const idx = Array.from({ length: count }, (_, i) => Math.floor((i * v.size) / count));
      for (const i of idx) {
        const orig = v.data[i]!;
        v.data[i] = orig + eps;
        const up = await loss();
        v.data[i] = orig - eps;
        const down = await loss();
        v.data[i] = orig;
        numeric.push((up - down) / (2 * eps));
      }
      scale = Math.max(1, ...numeric.map(Math.abs));
      idx.forEach((i, j) => (worst = Math.max(worst, Math.abs(g[i]! - numeric[j]!))));
      checks.push({ name: `finite differences: ${name}, input ${k}`, diff: worst, tol: tol * scale });
    }
    T.disposeAll([vars, R, grads]);
  }
  return checks;
}

/** Runs every check on the webgpu backend (which must be open); `only` filters cases by name. */
export async function runConformance(only?: RegExp): Promise<Check[]> {
  const checks: Check[] = [];
  const pick = (name: string) => !only || only.test(name);
  for (const c of [...backendCases(), ...layoutCases()]) if (pick(c.name)) checks.push(...(await compareCase(c)));
  if (pick("Adam")) checks.push(await adamCheck());
  if (pick("running")) checks.push(...(await runningStatsCheck()));
  if (pick("finite differences")) checks.push(...(await finiteDifferences()));
  T.setBackend("wasm");
  return checks;
}
