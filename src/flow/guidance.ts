// Classifier-free guidance: ũ = (1 − w)·u(x, t, ∅) + w·u(x, t, y), with ∅ = numClasses.
// w = 1 is the plain conditional model; in the (1 + s)·c − s·u convention, s = w − 1.
import * as T from "../tensor/index.js";

/** u_θ(x, t, y) with x [B, C, H, W], t [B, 1, 1, 1], y [B] i32. */
export type ConditionalField = (x: T.Tensor, t: T.Tensor, y: T.Tensor) => T.Tensor;

export interface GuidanceOptions {
  /** One forward pass of 2B (default) instead of two of B. */
  batched?: boolean;
  /** Sees the two parts of each evaluation: u(x, t, ∅) (null at w = 1, where it is not computed) and u(x, t, y). */
  onParts?: (uncond: T.Tensor | null, cond: T.Tensor) => void;
}

/** The guided field at scale w; `nullLabel` is the ∅ class index (numClasses). */
export function guidedField(u: ConditionalField, x: T.Tensor, t: T.Tensor, y: T.Tensor, w: number, nullLabel: number, opts: GuidanceOptions = {}): T.Tensor {
  if (!Number.isFinite(w)) throw new RangeError(`guidance scale w must be a finite number, got ${w}`);
  const B = x.shape[0]!;
  const nulls = T.intTensor(new Array<number>(B).fill(nullLabel));
  if (w === 1) {
    const c = u(x, t, y);
    opts.onParts?.(null, c);
    return c;
  }
  if (opts.batched ?? true) {
    const both = u(T.concat([x, x], 0), T.concat([T.reshape(t, [B, 1, 1, 1]), T.reshape(t, [B, 1, 1, 1])], 0), T.concat([nulls, y], 0)); // [2B, ...]
    const rest = x.shape.slice(1);
    const uNull = T.slice(both, [0, ...rest.map(() => 0)], [B, ...rest]);
    const uCond = T.slice(both, [B, ...rest.map(() => 0)], [B, ...rest]);
    opts.onParts?.(uNull, uCond);
    return T.add(T.affine(uNull, 1 - w), T.affine(uCond, w));
  }
  const uNull = u(x, t, nulls), uCond = u(x, t, y);
  opts.onParts?.(uNull, uCond);
  return T.add(T.affine(uNull, 1 - w), T.affine(uCond, w));
}
