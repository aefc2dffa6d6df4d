// Likelihoods on fields with closed-form answers: a flow between two Gaussians (exact and Hutchinson
// against log N(x; μ, Σ)), and the exact divergence against a finite-difference Jacobian's trace.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as T from "../tensor/index.js";
import { setup } from "../testing/helpers.js";
import { logLikelihood, velocityAndDivergence, type VelocityField } from "./likelihood.js";
import { initUNet, unetForward } from "../nn/unet.js";

before(() => setup(2));

const D = 6;
const rng = new T.Rng(11);
const mu = Array.from({ length: D }, () => rng.normal());
const sigma = Array.from({ length: D }, (_, i) => 0.3 + (1.2 * i) / (D - 1));
/** A random rotation (Gram–Schmidt on Gaussian columns), row-major R[i][j]. */
const R: number[][] = (() => {
  const cols: number[][] = [];
  while (cols.length < D) {
    let v = Array.from({ length: D }, () => rng.normal());
    for (const c of cols) {
      const d = v.reduce((a, x, i) => a + x * c[i]!, 0);
      v = v.map((x, i) => x - d * c[i]!);
    }
    const n = Math.hypot(...v);
    cols.push(v.map((x) => x / n));
  }
  return Array.from({ length: D }, (_, i) => cols.map((c) => c[i]!));
})();

/**
 * Data N(μ, Σ), Σ = R diag(σ²) Rᵀ, on the linear path x_t = t z + (1 − t) ε: p_t = N(tμ, R diag(t²σ² + (1 − t)²) Rᵀ)
 * and its velocity u(x, t) = μ + A_t (x − tμ), A_t = R diag((tσ² − (1 − t)) / (t²σ² + (1 − t)²)) Rᵀ.
 */
const gaussianFlow: VelocityField = (x, t) => {
  const c = sigma.map((s) => (t * s * s - (1 - t)) / (t * t * s * s + (1 - t) ** 2));
  const A = new Float32Array(D * D);
  for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) A[i * D + j] = R[i]!.reduce((a, r, k) => a + r * c[k]! * R[j]![k]!, 0);
  const m = T.tensor(Float32Array.from(mu), [1, D]);
  return T.add(T.matmul(T.sub(x, T.affine(m, t)), T.tensor(A, [D, D])), m); // A is symmetric
};

function gaussianLogPdf(x: ArrayLike<number>): number {
  let q = 0;
  for (let k = 0; k < D; k++) {
    let r = 0;
    for (let i = 0; i < D; i++) r += R[i]![k]! * (x[i]! - mu[i]!);
    q += (r / sigma[k]!) ** 2;
  }
  return -0.5 * q - sigma.reduce((a, s) => a + Math.log(s), 0) - 0.5 * D * Math.log(2 * Math.PI);
}

/** Samples of the data distribution, [B, D]. */
function data(B: number): T.Tensor {
  const out = new Float32Array(B * D);
  for (let b = 0; b < B; b++) {
    const e = sigma.map((s) => s * rng.normal());
    for (let i = 0; i < D; i++) out[b * D + i] = mu[i]! + R[i]!.reduce((a, r, k) => a + r * e[k]!, 0);
  }
  return T.tensor(out, [B, D]);
}

test("exact divergence: the flow between two Gaussians recovers log N(x; μ, Σ)", () => {
  T.tidy(() => {
    const x = data(16);
    const { logp, nfe } = logLikelihood(gaussianFlow, x, { steps: 40, solver: "rk4", divergence: { kind: "exact" } });
    assert.equal(nfe, 160);
    for (let b = 0; b < 16; b++) {
      const want = gaussianLogPdf(x.data.subarray(b * D, (b + 1) * D));
      assert.ok(Math.abs(logp[b]! - want) < 2e-3, `row ${b}: ${logp[b]} vs closed form ${want}`);
    }
  });
});

test("Hutchinson (Rademacher probes): unbiased around the closed form, and tighter with more probes", () => {
  T.tidy(() => {
    const B = 64;
    const x = data(B);
    const want = Array.from({ length: B }, (_, b) => gaussianLogPdf(x.data.subarray(b * D, (b + 1) * D)));
    const errs = (probes: number) => {
      const { logp } = logLikelihood(gaussianFlow, x, { steps: 20, solver: "rk4", divergence: { kind: "hutchinson", probes, seed: 3 } });
      return Array.from(logp, (v, b) => v - want[b]!);
    };
    const one = errs(1);
    const mean = one.reduce((a, e) => a + e, 0) / B;
    const sd = Math.sqrt(one.reduce((a, e) => a + (e - mean) ** 2, 0) / (B - 1));
    assert.ok(sd > 1e-3, `one probe is a noisy estimate (sd ${sd})`);
    assert.ok(Math.abs(mean) < 4 * (sd / Math.sqrt(B)), `mean error ${mean} is within 4 standard errors (${sd / Math.sqrt(B)})`);
    const many = errs(32);
    const rms = Math.sqrt(many.reduce((a, e) => a + e * e, 0) / B);
    assert.ok(rms < sd / 3, `32 probes: rms error ${rms} vs one probe's sd ${sd}`);
  });
});

test("exact divergence equals the trace of a finite-difference Jacobian on a tiny U-Net", () => {
  T.tidy(() => {
    const net = initUNet({ channels: [2, 4], numResidualLayers: 1, tEmbedDim: 4, yEmbedDim: 4, numClasses: 10 }, 7);
    const y = T.intTensor([3, 10]);
    const field: VelocityField = (x, t) => unetForward(net, x, T.full([2, 1, 1, 1], t), y, "eval");
    const x = T.randn([2, 1, 8, 8], new T.Rng(4));
    const t = 0.4, h = 1e-2, N = 64;
    const { div } = velocityAndDivergence(field, x, t, "exact");
    const xd = x.data;
    for (let b = 0; b < 2; b++) {
      let trace = 0;
      for (let i = 0; i < N; i++) {
        const k = b * N + i, orig = xd[k]!;
        xd[k] = orig + h;
        const up = T.tidy(() => T.noGrad(() => field(x, t)).data[k]!);
        xd[k] = orig - h;
        const down = T.tidy(() => T.noGrad(() => field(x, t)).data[k]!);
        xd[k] = orig;
        trace += (up - down) / (2 * h);
      }
      assert.ok(Math.abs(div[b]! - trace) < 2e-2 * Math.max(1, Math.abs(trace)), `image ${b}: exact ${div[b]} vs finite differences ${trace}`);
    }
  });
});
