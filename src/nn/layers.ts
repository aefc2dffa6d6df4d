// Layer parameters as plain typed objects, named like PyTorch's modules, with their forward functions
// and PyTorch's default initialisation (kaiming-uniform weights, uniform biases, BN 1/0/0/1).
import * as T from "../tensor/index.js";

export interface LinearP {
  weight: T.Tensor; // [out, in]
  bias: T.Tensor; // [out]
}
export interface Conv2dP {
  weight: T.Tensor; // [out, in, 3, 3]
  bias: T.Tensor; // [out]
}
export interface BatchNorm2dP {
  weight: T.Tensor; // [C]
  bias: T.Tensor; // [C]
  running_mean: T.Tensor; // [C] buffer
  running_var: T.Tensor; // [C] buffer
  num_batches_tracked: T.Tensor; // [] i32 buffer (I64 in PyTorch files)
}
export interface EmbeddingP {
  weight: T.Tensor; // [num, dim]
}

/** "train" (batch statistics, updates BatchNorm's running stats) or "eval" (running stats). */
export type Mode = "train" | "eval";

const param = (t: T.Tensor): T.Tensor => T.variable(t).keep();
const buffer = (t: T.Tensor): T.Tensor => t.keep();

function uniform(shape: number[], bound: number, rng: T.Rng): T.Tensor {
  return T.rand(shape, rng, -bound, bound);
}

export function initLinear(inF: number, outF: number, rng: T.Rng): LinearP {
  const b = 1 / Math.sqrt(inF);
  return { weight: param(uniform([outF, inF], b, rng)), bias: param(uniform([outF], b, rng)) };
}

export function initConv(inC: number, outC: number, rng: T.Rng): Conv2dP {
  const b = 1 / Math.sqrt(inC * 9);
  return { weight: param(uniform([outC, inC, 3, 3], b, rng)), bias: param(uniform([outC], b, rng)) };
}

export function initBatchNorm(c: number): BatchNorm2dP {
  return {
    weight: param(T.ones([c])),
    bias: param(T.zeros([c])),
    running_mean: buffer(T.zeros([c])),
    running_var: buffer(T.ones([c])),
    num_batches_tracked: buffer(T.intTensor([0], [])),
  };
}

export function initEmbedding(num: number, dim: number, rng: T.Rng): EmbeddingP {
  return { weight: param(T.randn([num, dim], rng)) };
}

export const linearLayer = (p: LinearP, x: T.Tensor): T.Tensor => T.linear(x, p.weight, p.bias);

/** Conv2d(x) (+ addend, fused: a residual or a [B, C, 1, 1] shift). */
export const conv = (p: Conv2dP, x: T.Tensor, stride = 1, addend: T.Tensor | null = null): T.Tensor => T.conv2d(x, p.weight, p.bias, stride, addend);

/**
 * Conv(BatchNorm(SiLU(x))) + addend, the lab's SiLU → BatchNorm → Conv block. In eval mode the SiLU and
 * the BatchNorm ride the convolution's input pass (one op); in train mode BatchNorm needs batch statistics.
 */
export function siluBatchNormConv(bn: BatchNorm2dP, cv: Conv2dP, x: T.Tensor, mode: Mode, addend: T.Tensor | null): T.Tensor {
  if (mode === "eval") {
    const { scale, shift } = T.batchNormEvalAffine(bn.weight, bn.bias, bn.running_mean, bn.running_var);
    return T.conv2d(x, cv.weight, cv.bias, 1, addend, { scale, shift, silu: true });
  }
  return conv(cv, batchNorm(bn, T.silu(x), mode), 1, addend);
}

/** BatchNorm2d; train mode also updates running stats and num_batches_tracked (momentum 0.1). */
export function batchNorm(p: BatchNorm2dP, x: T.Tensor, mode: Mode): T.Tensor {
  if (mode === "eval") return T.batchNormEval(x, p.weight, p.bias, p.running_mean, p.running_var);
  const y = T.batchNormTrain(x, p.weight, p.bias, { mean: p.running_mean, var: p.running_var, momentum: 0.1 });
  p.num_batches_tracked.idata[0]! += 1;
  return y;
}
