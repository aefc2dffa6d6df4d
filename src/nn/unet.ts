// The lab's MNIST U-Net: Fourier time embedding, label embedding (∅ = numClasses), init conv,
// encoders (res layers, stride-2 conv), midcoder, decoders (×2 bilinear + conv, res layers), final conv.
import * as T from "../tensor/index.js";
import { initBatchNorm, initConv, initEmbedding, batchNorm, conv, type BatchNorm2dP, type Conv2dP, type EmbeddingP, type Mode } from "./layers.js";
import { initFourier, fourier, type FourierP } from "./fourier.js";
import { initResidualLayer, residualLayer, type ResidualLayerP } from "./residual.js";
import { validateConfig, type UNetConfig } from "./config.js";

export interface EncoderP {
  res_blocks: ResidualLayerP[];
  downsample: Conv2dP;
}
export interface MidcoderP {
  res_blocks: ResidualLayerP[];
}
export interface DecoderP {
  /** nn.Sequential(Upsample, Conv2d): index 1 is the conv. */
  upsample: { "1": Conv2dP };
  res_blocks: ResidualLayerP[];
}
/** The U-Net's parameters, nested as PyTorch's state_dict keys. */
export interface UNetP {
  init_conv: { "0": Conv2dP; "1": BatchNorm2dP };
  time_embedder: FourierP;
  y_embedder: EmbeddingP;
  encoders: EncoderP[];
  decoders: DecoderP[];
  midcoder: MidcoderP;
  final_conv: Conv2dP;
}

/** The lab's U-Net: its architecture and its parameters. */
export interface UNet {
  config: UNetConfig;
  params: UNetP;
}

/** A freshly initialised U-Net (PyTorch's default init, seeded). */
export function initUNet(config: UNetConfig, seed = 0): UNet {
  validateConfig(config);
  const rng = new T.Rng(seed);
  const { channels: ch, numResidualLayers: n, tEmbedDim: td, yEmbedDim: yd } = config;
  const res = (c: number) => Array.from({ length: n }, () => initResidualLayer(c, td, yd, rng));
  const init_conv = { "0": initConv(1, ch[0]!, rng), "1": initBatchNorm(ch[0]!) };
  const time_embedder = initFourier(td, rng);
  const y_embedder = initEmbedding(config.numClasses + 1, yd, rng);
  const encoders: EncoderP[] = [];
  const decoders: DecoderP[] = [];
  for (let i = 0; i + 1 < ch.length; i++) {
    const [cur, next] = [ch[i]!, ch[i + 1]!];
    encoders.push({ res_blocks: res(cur), downsample: initConv(cur, next, rng) });
    decoders.push({ upsample: { "1": initConv(next, cur, rng) }, res_blocks: res(cur) });
  }
  decoders.reverse();
  const midcoder = { res_blocks: res(ch[ch.length - 1]!) };
  const final_conv = initConv(ch[0]!, 1, rng);
  return { config: { ...config, channels: [...ch] }, params: { init_conv, time_embedder, y_embedder, encoders, decoders, midcoder, final_conv } };
}

/** Checks the inputs a caller hands the model; errors say what was expected. */
export function checkUNetInputs(net: UNet, x: T.Tensor, t: T.Tensor, y: T.Tensor): void {
  const B = x.shape[0];
  if (x.dtype !== "f32" || x.rank !== 4 || x.shape[1] !== 1 || x.shape[2]! % 2 ** (net.config.channels.length - 1) !== 0 || x.shape[3]! % 2 ** (net.config.channels.length - 1) !== 0) {
    throw new T.ShapeError(`unet: x must be f32 [B, 1, H, W] with H, W divisible by ${2 ** (net.config.channels.length - 1)}, got ${x.dtype} [${x.shape.join(", ")}]`);
  }
  if (t.dtype !== "f32" || t.size !== B || (t.rank !== 4 && t.rank !== 1)) throw new T.ShapeError(`unet: t must be f32 [${B}, 1, 1, 1], got ${t.dtype} [${t.shape.join(", ")}]`);
  if (y.dtype !== "i32" || y.rank !== 1 || y.shape[0] !== B) throw new T.ShapeError(`unet: y must be i32 [${B}], got ${y.dtype} [${y.shape.join(", ")}]`);
  const td = t.data;
  for (let i = 0; i < td.length; i++) if (!(td[i]! >= 0 && td[i]! <= 1)) throw new RangeError(`unet: t[${i}] = ${td[i]} is outside [0, 1]`);
  const yd = y.idata;
  for (let i = 0; i < yd.length; i++) {
    if (yd[i]! < 0 || yd[i]! > net.config.numClasses) throw new RangeError(`unet: label y[${i}] = ${yd[i]} is outside 0..${net.config.numClasses} (${net.config.numClasses} = ∅)`);
  }
  T.assertFinite("unet", x, "x");
}

/** Without a tape, each block's intermediates are freed as soon as the block returns. */
function scoped(fn: () => T.Tensor): T.Tensor {
  return T.isGradEnabled() ? fn() : T.tidy(fn);
}

/** u_θ(x, t, y). x: [B, 1, H, W], t: [B, 1, 1, 1], y: [B] i32 → [B, 1, H, W] */
export function unetForward(net: UNet, x: T.Tensor, t: T.Tensor, y: T.Tensor, mode: Mode): T.Tensor {
  checkUNetInputs(net, x, t, y);
  const p = net.params;
  const tEmb = fourier(p.time_embedder, t); // [B, tDim]
  const yEmb = T.embedding(p.y_embedder.weight, y); // [B, yDim]
  let h = scoped(() => T.silu(batchNorm(p.init_conv["1"], conv(p.init_conv["0"], x), mode))); // [B, c0, H, W]
  const skips: T.Tensor[] = [];
  const res = (r: Parameters<typeof residualLayer>[0]) => {
    const prev = h;
    h = scoped(() => residualLayer(r, prev, tEmb, yEmb, mode));
  };
  for (const enc of p.encoders) {
    enc.res_blocks.forEach(res);
    const prev = h;
    h = scoped(() => conv(enc.downsample, prev, 2)); // [B, c_{i+1}, H/2, W/2]
    skips.push(h);
  }
  p.midcoder.res_blocks.forEach(res);
  for (const dec of p.decoders) {
    const prev = h, skip = skips.pop()!;
    h = scoped(() => conv(dec.upsample["1"], T.upsample2x(T.add(prev, skip)))); // [B, c_{i-1}, 2H, 2W]
    dec.res_blocks.forEach(res);
  }
  const last = h;
  return scoped(() => conv(p.final_conv, last)); // [B, 1, H, W]
}
