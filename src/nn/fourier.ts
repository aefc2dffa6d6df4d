// FourierEncoder: t ↦ √2·[sin(2π t w), cos(2π t w)] with learned frequencies w [1, dim/2].
import * as T from "../tensor/index.js";

export interface FourierP {
  weights: T.Tensor; // [1, dim/2]
}

export function initFourier(dim: number, rng: T.Rng): FourierP {
  if (dim % 2 !== 0 || dim <= 0) throw new RangeError(`FourierEncoder: dim must be a positive even number, got ${dim}`);
  return { weights: T.variable(T.randn([1, dim / 2], rng)).keep() };
}

/** t: [B, 1, 1, 1] → [B, dim] */
export function fourier(p: FourierP, t: T.Tensor): T.Tensor {
  const tb = T.reshape(t, [-1, 1]); // [B, 1]
  const f = T.mul(tb, T.affine(p.weights, 2 * Math.PI)); // [B, half]
  return T.affine(T.concat([T.sin(f), T.cos(f)], 1), Math.SQRT2); // [B, dim]
}
