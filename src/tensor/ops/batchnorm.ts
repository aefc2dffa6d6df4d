// BatchNorm2d. Train mode normalises with batch statistics (biased variance) and updates the running
// statistics as PyTorch does (momentum, unbiased variance); eval mode uses the running statistics.
import type { Tensor } from "../tensor.js";
import { apply, type OpDef } from "./op.js";
import { empty, assertF32 } from "./create.js";
import { shapeError, fmtShape } from "../errors.js";
import { engine } from "../engine.js";
import type { Backend } from "../backend.js";
import { mul, sub, affine, sqrt, div } from "./elementwise.js";
import { channelAffine } from "./channel-affine.js";

/** BatchNorm's running statistics, updated by train-mode passes. */
export interface BatchNormRunning {
  mean: Tensor;
  var: Tensor;
  momentum: number;
}

function check(op: string, x: Tensor, params: readonly Tensor[]): number {
  assertF32(op, x);
  const C = x.shape[1];
  if (x.rank !== 4 || C === undefined) throw shapeError(op, `expected x [B, C, H, W], got ${fmtShape(x.shape)}`);
  for (const p of params) if (p.rank !== 1 || p.shape[0] !== C) throw shapeError(op, `parameter ${fmtShape(p.shape)} does not match ${C} channels of x ${fmtShape(x.shape)}`);
  return C;
}

export const batchNormTrainDef: OpDef<{ eps: number; running: BatchNormRunning | null }> = {
  name: "batchNormTrain",
  forward(be, [x, gamma, beta], { eps, running }) {
    const C = check("batchNormTrain", x!, running ? [gamma!, beta!, running.mean, running.var] : [gamma!, beta!]);
    const n = x!.size / C;
    if (n < 2 && running) throw shapeError("batchNormTrain", `needs more than one value per channel in train mode, got x ${fmtShape(x!.shape)}`);
    const out = empty(x!.shape);
    const mean = empty([C]), varb = empty([C]), invstd = empty([C]);
    be.bnTrain(x!, gamma!, beta!, out, mean, varb, invstd, eps);
    if (running && be.name === "webgpu") updateRunningOnDevice(be, running, mean, varb, n);
    else if (running) {
      const m = running.momentum;
      const rm = running.mean.data, rv = running.var.data, bm = mean.data, bv = varb.data;
      for (let c = 0; c < C; c++) {
        rm[c] = (1 - m) * rm[c]! + m * bm[c]!;
        rv[c] = (1 - m) * rv[c]! + m * bv[c]! * (n / (n - 1));
      }
    }
    varb.dispose();
    return { out, saved: [mean, invstd] };
  },
  backward(gy, { inputs: [x, gamma], saved: [mean, invstd] }) {
    const dx = empty(x!.shape), dg = empty(gamma!.shape), db = empty(gamma!.shape);
    engine().backend.bnTrainBackward(x!, gy, gamma!, mean!, invstd!, dx, dg, db);
    return [dx, dg, db];
  },
};

/** The running statistics' update with kernels, for a backend whose outputs stay on the GPU. */
function updateRunningOnDevice(be: Backend, running: BatchNormRunning, mean: Tensor, varb: Tensor, n: number): void {
  const m = running.momentum;
  const tmp = empty(mean.shape);
  be.affine(running.mean, 1 - m, 0, running.mean);
  be.affine(mean, m, 0, tmp);
  be.binary("add", running.mean, tmp, running.mean);
  be.affine(running.var, 1 - m, 0, running.var);
  be.affine(varb, m * (n / (n - 1)), 0, tmp);
  be.binary("add", running.var, tmp, running.var);
  tmp.dispose();
}

/** Train-mode BatchNorm2d over (N, H, W); updates `running` in place when given (momentum 0.1). */
export function batchNormTrain(x: Tensor, gamma: Tensor, beta: Tensor, running: BatchNormRunning | null, eps = 1e-5): Tensor {
  return apply(batchNormTrainDef, [x, gamma, beta], { eps, running });
}

/**
 * Eval mode: (x − running_mean)/sqrt(running_var + eps)·γ + β as one per-channel affine pass; with
 * `preSilu` the input is SiLU(x) (the lab's SiLU → BatchNorm pair) in the same pass.
 */
export function batchNormEval(x: Tensor, gamma: Tensor, beta: Tensor, runMean: Tensor, runVar: Tensor, eps = 1e-5, preSilu = false): Tensor {
  check("batchNormEval", x, [gamma, beta, runMean, runVar]);
  const { scale, shift } = batchNormEvalAffine(gamma, beta, runMean, runVar, eps);
  return channelAffine(x, scale, shift, preSilu);
}

/** Eval BatchNorm as a per-channel affine: scale = γ/sqrt(var + eps), shift = β − mean·scale ([C] each). */
export function batchNormEvalAffine(gamma: Tensor, beta: Tensor, runMean: Tensor, runVar: Tensor, eps = 1e-5): { scale: Tensor; shift: Tensor } {
  const scale = div(gamma, sqrt(affine(runVar, 1, eps)));
  return { scale, shift: sub(beta, mul(runMean, scale)) };
}

