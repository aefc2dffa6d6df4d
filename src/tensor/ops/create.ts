// Tensor constructors: from data, constant fills and seeded random draws.
import { Tensor, sizeOf, type Shape, type DType } from "../tensor.js";
import { shapeError, fmtShape } from "../errors.js";
import type { Rng } from "../random.js";

export function empty(shape: Shape, dtype: DType = "f32"): Tensor {
  return new Tensor(shape, dtype);
}

/** A tensor filled with one value. */
export function full(shape: Shape, value: number): Tensor {
  const t = new Tensor(shape);
  t.data.fill(value);
  return t;
}

/** A tensor of zeros. */
export const zeros = (shape: Shape): Tensor => full(shape, 0);
/** A tensor of ones. */
export const ones = (shape: Shape): Tensor => full(shape, 1);
export const zerosLike = (t: Tensor): Tensor => full(t.shape, 0);
export const onesLike = (t: Tensor): Tensor => full(t.shape, 1);
export const scalar = (v: number): Tensor => full([], v);

/** An f32 tensor holding `data` (copied); shape defaults to [data.length]. */
export function tensor(data: ArrayLike<number>, shape: Shape = [data.length]): Tensor {
  if (sizeOf(shape) !== data.length) throw shapeError("tensor", `${data.length} values do not fill shape ${fmtShape(shape)}`);
  const t = new Tensor(shape, "f32");
  t.data.set(data);
  return t;
}

/** An i32 tensor (labels, indices). */
export function intTensor(data: ArrayLike<number>, shape: Shape = [data.length]): Tensor {
  if (sizeOf(shape) !== data.length) throw shapeError("intTensor", `${data.length} values do not fill shape ${fmtShape(shape)}`);
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (!Number.isInteger(v) || v < -(2 ** 31) || v >= 2 ** 31) throw new Error(`intTensor: value ${v} at ${i} is not a 32-bit integer`);
  }
  const t = new Tensor(shape, "i32");
  t.idata.set(data);
  return t;
}

/** A tensor of N(0, std²) samples from `rng`. */
export function randn(shape: Shape, rng: Rng, std = 1): Tensor {
  const t = new Tensor(shape);
  rng.fillNormal(t.data, std);
  return t;
}

/** A tensor of U(lo, hi) samples from `rng`. */
export function rand(shape: Shape, rng: Rng, lo = 0, hi = 1): Tensor {
  const t = new Tensor(shape);
  rng.fillUniform(t.data, lo, hi);
  return t;
}

/** Throws if any value is NaN or infinite (unchecked while the tensor is newer on the GPU). */
export function assertFinite(op: string, t: Tensor, what = "input"): void {
  // a GPU-newer tensor's values are not on the host; the trainers check the loss they read back instead
  if (t.dtype !== "f32" || !t.onHost) return;
  const d = t.data;
  for (let i = 0; i < d.length; i++) {
    if (!Number.isFinite(d[i]!)) throw new RangeError(`${op}: ${what} ${fmtShape(t.shape)} has a non-finite value (${d[i]}) at flat index ${i}`);
  }
}

export function assertF32(op: string, t: Tensor, what = "input"): void {
  if (t.dtype !== "f32") throw shapeError(op, `${what} must be f32, got ${t.dtype} ${fmtShape(t.shape)}`);
}
