// A small MLP that learns flow matching on 2-D points: u_θ(x, t, y) from x [B, 2], a Fourier embedding
// of t and a label embedding (∅ = numClasses), on flowlab's engine like the U-Net.
import * as T from "../tensor/index.js";
import { initLinear, linearLayer, initEmbedding, type LinearP, type EmbeddingP } from "../nn/layers.js";
import { initFourier, fourier, type FourierP } from "../nn/fourier.js";

/** The MLP's sizes: hidden width and depth, and the time and label embeddings' widths. */
export const TOY_NET_DEFAULTS = Object.freeze({ hidden: 64, layers: 3, timeDim: 16, labelDim: 8 });

/** The MLP's parameters and its number of real classes (the label numClasses is ∅). */
export interface ToyNet {
  numClasses: number;
  params: { time: FourierP; label: EmbeddingP; layers: LinearP[] };
}

/** A fresh MLP for `numClasses` classes plus ∅, PyTorch-style initialisation from `rng`. */
export function initToyNet(numClasses: number, rng: T.Rng, sizes: Partial<typeof TOY_NET_DEFAULTS> = {}): ToyNet {
  const s = { ...TOY_NET_DEFAULTS, ...sizes };
  const widths = [2 + s.timeDim + s.labelDim, ...new Array<number>(s.layers).fill(s.hidden), 2];
  return {
    numClasses,
    params: {
      time: initFourier(s.timeDim, rng),
      label: initEmbedding(numClasses + 1, s.labelDim, rng),
      layers: widths.slice(1).map((w, i) => initLinear(widths[i]!, w, rng)),
    },
  };
}

/** x [B, 2], t [B, 1], y [B] i32 (numClasses = ∅) → velocity [B, 2]. */
export function toyVelocity(net: ToyNet, x: T.Tensor, t: T.Tensor, y: T.Tensor): T.Tensor {
  const p = net.params;
  let h = T.concat([x, fourier(p.time, t), T.embedding(p.label.weight, y)], 1); // [B, 2 + timeDim + labelDim]
  p.layers.forEach((l, i) => {
    h = linearLayer(l, h);
    if (i < p.layers.length - 1) h = T.silu(h); // [B, hidden]
  });
  return h; // [B, 2]
}

/**
 * The guided velocity (1 − w)·u(x, t, ∅) + w·u(x, t, y) at one time t for one label y (∅ allowed) over
 * points x [B, 2]; one pass at w = 1 (u(x|y)) and at w = 0 or y = ∅ (u(x|∅)), else one batched pass of 2B.
 */
export function guidedToyVelocity(net: ToyNet, x: T.Tensor, t: number, y: number, w: number): T.Tensor {
  const B = x.shape[0]!, K = net.numClasses;
  const one = (label: number) => toyVelocity(net, x, T.full([B, 1], t), T.intTensor(new Array<number>(B).fill(label)));
  if (y === K || w === 0) return one(K);
  if (w === 1) return one(y);
  const both = toyVelocity(net, T.concat([x, x], 0), T.full([2 * B, 1], t), T.intTensor([...new Array<number>(B).fill(K), ...new Array<number>(B).fill(y)])); // [2B, 2]
  const uNull = T.slice(both, [0, 0], [B, 2]), uCond = T.slice(both, [B, 0], [B, 2]);
  return T.add(T.affine(uNull, 1 - w), T.affine(uCond, w));
}
