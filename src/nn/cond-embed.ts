// A scalar input's embedding for few-step models (the guidance scale w, the step size d):
// nn.Sequential(FourierEncoder, Linear, SiLU, Linear), the last Linear zero at init so it adds nothing.
import * as T from "../tensor/index.js";
import { initFourier, fourier, type FourierP } from "./fourier.js";
import { initLinear, linearLayer, type LinearP } from "./layers.js";

/** Keys "0.weights", "1.weight", "1.bias", "3.weight", "3.bias" (index 2 is the SiLU). */
export interface CondEmbedderP {
  "0": FourierP;
  "1": LinearP;
  "3": LinearP;
}

/** A fresh embedder of width `dim` whose output is exactly zero (last layer zeroed). */
export function initCondEmbedder(dim: number, rng: T.Rng): CondEmbedderP {
  const last = initLinear(dim, dim, rng);
  last.weight.data.fill(0);
  last.bias.data.fill(0);
  return { "0": initFourier(dim, rng), "1": initLinear(dim, dim, rng), "3": last };
}

/** s: [B, 1, 1, 1] (scaled to about [0, 1]) → [B, dim] */
export function condEmbed(p: CondEmbedderP, s: T.Tensor): T.Tensor {
  return linearLayer(p["3"], T.silu(linearLayer(p["1"], fourier(p["0"], s))));
}
