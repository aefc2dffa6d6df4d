// Exact log-likelihoods of a flow model by the instantaneous change of variables: x runs from the
// data (t = 1) back to noise (t = 0) along dx/dt = u, and log p₁(x₁) = log p₀(x₀) − ∫₀¹ div u(x_t, t) dt.
import * as T from "../tensor/index.js";
import { ODE_SOLVERS, type OdeSolverName } from "../solvers/steppers.js";
import { simulate, timeGrid } from "../solvers/simulate.js";
import type { ODE } from "../solvers/types.js";

/** A velocity field over a batch: x [B, …] at one time t → u with x's shape. */
export type VelocityField = (x: T.Tensor, t: number) => T.Tensor;

/** How the divergence is taken: exactly (one vector–Jacobian product per dimension) or by Hutchinson. */
export type DivergenceMethod = { kind: "exact" } | { kind: "hutchinson"; probes: number; seed: number };

/** Options of logLikelihood(). */
export interface LikelihoodOptions {
  /** Solver steps from t = 1 back to t = 0. */
  steps: number;
  solver: OdeSolverName;
  divergence: DivergenceMethod;
  /** Called after each solver step with (done, total). */
  onStep?: (done: number, total: number) => void;
}

/** logLikelihood()'s result, per row of the batch. */
export interface Likelihood {
  /** log p₁(x₁) in nats. */
  logp: Float64Array;
  /** Velocity evaluations (each one also takes a divergence). */
  nfe: number;
}

/** A batch of Rademacher vectors (±1 with equal odds), shaped like x. */
export function rademacher(shape: T.Shape, rng: T.Rng): T.Tensor {
  const u = T.rand(shape, rng, 0, 1);
  const d = u.data;
  for (let i = 0; i < d.length; i++) d[i] = d[i]! < 0.5 ? -1 : 1;
  return u;
}

/** Per-row sums of a [B, …] tensor, in float64. */
function rowSums(t: T.Tensor): Float64Array {
  const B = t.shape[0]!, D = t.size / B, d = t.data, out = new Float64Array(B);
  for (let b = 0; b < B; b++) {
    let s = 0;
    for (let i = 0; i < D; i++) s += d[b * D + i]!;
    out[b] = s;
  }
  return out;
}

/**
 * u(x, t) and div u(x, t) per row. Exact: D vector–Jacobian products with the basis vectors (row i of
 * each image's Jacobian at once, since rows are independent). Hutchinson: the mean of εᵀ(∂u/∂x)ε over
 * the given Rademacher probes (each [B, …] like x), one product each.
 */
export function velocityAndDivergence(field: VelocityField, x: T.Tensor, t: number, method: "exact" | readonly T.Tensor[]): { u: T.Tensor; div: Float64Array } {
  const B = x.shape[0]!, D = x.size / B;
  const xv = T.variable(T.affine(x, 1));
  const u = T.withGrad(() => field(xv, t)); // u: [B, …] on the tape
  const div = new Float64Array(B);
  if (method === "exact") {
    const seed = T.zeros(x.shape);
    for (let i = 0; i < D; i++) {
      const s = seed.data;
      for (let b = 0; b < B; b++) s[b * D + i] = 1;
      T.tidy(() => {
        const g = T.grad(u, [xv], seed)[0]!.data; // row i of each Jacobian
        for (let b = 0; b < B; b++) div[b]! += g[b * D + i]!;
      });
      for (let b = 0; b < B; b++) s[b * D + i] = 0;
    }
    seed.dispose();
  } else {
    for (const eps of method) {
      T.tidy(() => {
        const vj = T.grad(u, [xv], eps)[0]!; // εᵀ J
        const q = rowSums(T.mul(vj, eps));
        for (let b = 0; b < B; b++) div[b]! += q[b]! / method.length;
      });
    }
  }
  const out = T.noGrad(() => T.affine(u, 1)); // detached from the tape
  xv.dispose();
  return { u: out, div };
}

/** log N(x; 0, I) per row. */
function standardNormalLogPdf(x: T.Tensor): Float64Array {
  const B = x.shape[0]!, D = x.size / B, d = x.data, out = new Float64Array(B);
  for (let b = 0; b < B; b++) {
    let s = 0;
    for (let i = 0; i < D; i++) s += d[b * D + i]! ** 2;
    out[b] = -0.5 * s - 0.5 * D * Math.log(2 * Math.PI);
  }
  return out;
}

/**
 * log p₁(x₁) of data x₁ [B, …] under the flow dx/dt = field(x, t) from N(0, I) at t = 0: the state
 * [x, ∫div] is integrated from t = 1 back to t = 0 with the chosen solver.
 */
export function logLikelihood(field: VelocityField, x1: T.Tensor, o: LikelihoodOptions): Likelihood {
  if (!Number.isInteger(o.steps) || o.steps < 1) throw new RangeError(`steps must be ≥ 1, got ${o.steps}`);
  const B = x1.shape[0]!, D = x1.size / B;
  const rng = o.divergence.kind === "hutchinson" ? new T.Rng(o.divergence.seed) : null;
  const probes = o.divergence.kind === "hutchinson" ? Array.from({ length: o.divergence.probes }, () => rademacher(x1.shape, rng!).keep()) : null;
  let nfe = 0;
  // the augmented state s = [x, ℓ]: [B, D + 1], dℓ/dt = div u
  const ode: ODE<null> = {
    drift(s, t) {
      nfe++;
      const x = T.reshape(T.slice(s, [0, 0], [B, D]), x1.shape);
      const { u, div } = velocityAndDivergence(field, x, t, probes ?? "exact");
      return T.concat([T.reshape(u, [B, D]), T.tensor(Float32Array.from(div), [B, 1])], 1);
    },
  };
  const s1 = T.concat([T.reshape(x1, [B, D]), T.zeros([B, 1])], 1);
  const ts = timeGrid(o.steps + 1, 1, 0);
  const s0 = simulate(ODE_SOLVERS[o.solver](ode), s1, ts, null, o.onStep ? { onStep: (d, n) => o.onStep!(d, n) } : {});
  const x0 = T.slice(s0, [0, 0], [B, D]);
  const l0 = T.slice(s0, [0, D], [B, 1]).data; // ℓ(0) − ℓ(1) = −∫₀¹ div u dt
  const logp0 = standardNormalLogPdf(x0);
  const logp = new Float64Array(B);
  for (let b = 0; b < B; b++) logp[b] = logp0[b]! + l0[b]!;
  T.disposeAll([s1, s0, x0, probes]);
  return { logp, nfe };
}

/**
 * Bits per dimension of 8-bit images from log p(x) (nats) of their dequantized values
 * x = 2·(p + u)/256 − 1, u ~ U(0, 1)ᴰ: log P(p) ≥ E[log p(x)] + D·log 2 − D·log 256, the first
 * term's Jacobian being that of x = 2y − 1 on y = (p + u)/256.
 */
export function bitsPerDim(logpX: number, D: number): number {
  return -(logpX + D * Math.LN2 - D * Math.log(256)) / (D * Math.LN2);
}

/** Uniformly dequantized 8-bit pixels scaled to [−1, 1): x = 2·(p + u)/256 − 1. */
export function dequantize(pixels: Uint8Array, rng: T.Rng): Float32Array {
  const u = new Float32Array(pixels.length);
  rng.fillUniform(u, 0, 1);
  for (let i = 0; i < u.length; i++) u[i] = (2 * (pixels[i]! + u[i]!)) / 256 - 1;
  return u;
}
