// ResidualLayer: block1 (SiLU → BN → Conv), + time and label adapters, block2 (SiLU → BN → Conv), + input.
import * as T from "../tensor/index.js";
import { initBatchNorm, initConv, initLinear, siluBatchNormConv, linearLayer, type BatchNorm2dP, type Conv2dP, type LinearP, type Mode } from "./layers.js";

/** nn.Sequential(SiLU, BatchNorm2d, Conv2d): index 0 (SiLU) has no parameters. */
export interface ConvBlockP {
  "1": BatchNorm2dP;
  "2": Conv2dP;
}
/** nn.Sequential(Linear, SiLU, Linear) */
export interface AdapterP {
  "0": LinearP;
  "2": LinearP;
}
export interface ResidualLayerP {
  block1: ConvBlockP;
  block2: ConvBlockP;
  time_adapter: AdapterP;
  y_adapter: AdapterP;
}

export function initResidualLayer(c: number, tDim: number, yDim: number, rng: T.Rng): ResidualLayerP {
  const block = (): ConvBlockP => ({ "1": initBatchNorm(c), "2": initConv(c, c, rng) });
  const block1 = block();
  const block2 = block();
  const time_adapter: AdapterP = { "0": initLinear(tDim, tDim, rng), "2": initLinear(tDim, c, rng) };
  const y_adapter: AdapterP = { "0": initLinear(yDim, yDim, rng), "2": initLinear(yDim, c, rng) };
  return { block1, block2, time_adapter, y_adapter };
}

/** Conv(BN(SiLU(x))) + addend, the addend fused into the convolution's output pass. */
function convBlock(p: ConvBlockP, x: T.Tensor, mode: Mode, addend: T.Tensor): T.Tensor {
  return siluBatchNormConv(p["1"], p["2"], x, mode, addend);
}

function adapter(p: AdapterP, e: T.Tensor): T.Tensor {
  const h = linearLayer(p["2"], T.silu(linearLayer(p["0"], e))); // [B, C]
  return T.reshape(h, [h.shape[0]!, h.shape[1]!, 1, 1]); // [B, C, 1, 1]
}

/** x: [B, C, H, W], tEmb: [B, tDim], yEmb: [B, yDim] → [B, C, H, W] */
export function residualLayer(p: ResidualLayerP, x: T.Tensor, tEmb: T.Tensor, yEmb: T.Tensor, mode: Mode): T.Tensor {
  const emb = T.add(adapter(p.time_adapter, tEmb), adapter(p.y_adapter, yEmb)); // [B, C, 1, 1]
  const h = convBlock(p.block1, x, mode, emb); // [B, C, H, W]
  return convBlock(p.block2, h, mode, x); // + x, the residual
}
