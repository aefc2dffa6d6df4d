// The closed set of kernels every backend implements. The compiler checks both backends have all of them.
// Kernels write into preallocated outputs; ops (ops/*.ts) allocate, validate shapes and record gradients.
import type { Tensor } from "./tensor.js";

export type BinaryOp = "add" | "sub" | "mul" | "div";
export type UnaryOp = "neg" | "exp" | "log" | "sqrt" | "sin" | "cos" | "square" | "sigmoid" | "silu";

/** A per-channel transform of a convolution's input, applied before its zero padding. */
export interface ConvPre {
  scale: Tensor; // [Cin]
  shift: Tensor; // [Cin]
  /** SiLU before the affine: act(x)·scale + shift */
  silu: boolean;
}

export interface AdamHyper {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  /** 1-based step count after this update. */
  step: number;
}

export interface Backend {
  readonly name: "ref" | "wasm" | "webgpu";
  /** out = a op b with NumPy broadcasting; out has the broadcast shape. */
  binary(op: BinaryOp, a: Tensor, b: Tensor, out: Tensor): void;
  unary(op: UnaryOp, x: Tensor, out: Tensor): void;
  /** out = x·scale + shift */
  affine(x: Tensor, scale: number, shift: number, out: Tensor): void;
  siluBackward(x: Tensor, dy: Tensor, dx: Tensor): void;
  /** out[b, c, …] = act(x[b, c, …])·scale[c] + shift[c]; act = SiLU when `silu`, else identity. */
  channelAffine(x: Tensor, scale: Tensor, shift: Tensor, out: Tensor, silu: boolean): void;
  /** out = x summed over `axes` (sorted, unique); out.size = product of the kept dims. */
  sum(x: Tensor, axes: readonly number[], out: Tensor): void;
  /** Batched matmul over leading dims; b may be 2-D (shared). */
  matmul(a: Tensor, b: Tensor, out: Tensor, transA: boolean, transB: boolean): void;
  /**
   * 3×3 conv, padding 1. x [B,Cin,H,W], w [Cout,Cin,3,3], y [B,Cout,Ho,Wo]; then y += addend, which is
   * [B,Cout,Ho,Wo] (a residual) or [B,Cout,1,1] (a per-image, per-channel shift), when given.
   * With `pre`, the convolution's input is act(x)·scale[c] + shift[c] instead of x.
   */
  conv2d(x: Tensor, w: Tensor, bias: Tensor | null, y: Tensor, stride: number, addend: Tensor | null, pre: ConvPre | null): void;
  conv2dBackward(x: Tensor, w: Tensor, dy: Tensor, dx: Tensor | null, dw: Tensor, db: Tensor | null, stride: number): void;
  /** Bilinear ×2, align_corners=False. x [N,C,H,W] → y [N,C,2H,2W]. */
  upsample2x(x: Tensor, y: Tensor): void;
  upsample2xBackward(dy: Tensor, dx: Tensor): void;
  /** Train-mode BatchNorm2d; writes y and the batch mean, biased var and 1/sqrt(var+eps). */
  bnTrain(x: Tensor, gamma: Tensor, beta: Tensor, y: Tensor, mean: Tensor, varb: Tensor, invstd: Tensor, eps: number): void;
  bnTrainBackward(x: Tensor, dy: Tensor, gamma: Tensor, mean: Tensor, invstd: Tensor, dx: Tensor, dgamma: Tensor, dbeta: Tensor): void;
  /** out[i, :] = weight[idx[i], :] */
  embedding(weight: Tensor, idx: Tensor, out: Tensor): void;
  /** gw (zeroed here) accumulates gy rows at idx. */
  embeddingBackward(idx: Tensor, gy: Tensor, gw: Tensor): void;
  permute(x: Tensor, perm: readonly number[], out: Tensor): void;
  concat(xs: readonly Tensor[], axis: number, out: Tensor): void;
  /** out = x[starts : starts + out.shape] */
  slice(x: Tensor, starts: readonly number[], out: Tensor): void;
  /** out = x placed at offset `before` in a tensor filled with `value`. */
  pad(x: Tensor, before: readonly number[], value: number, out: Tensor): void;
  /** out = x, byte for byte (same size, any dtype): reshape's copy. */
  copy(x: Tensor, out: Tensor): void;
  /** In-place Adam (PyTorch's form) on p with moments m, v. */
  adam(p: Tensor, g: Tensor, m: Tensor, v: Tensor, h: AdamHyper): void;
}

/** A backend whose values live on a device (webgpu): it can wait for its queue and be closed. */
export interface DeviceBackend extends Backend {
  /** Resolves when everything queued so far has run. */
  finish(): Promise<void>;
  /** The first error the device reported, if any. */
  readonly deviceError: string | null;
  /** Releases the device; its tensors become invalid. */
  destroy(): void;
}
