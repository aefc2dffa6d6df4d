// The lab's MNIST U-Net: Fourier time embedding, label embedding (∅ = numClasses), init conv,
// encoders (res layers, stride-2 conv), midcoder, decoders (×2 bilinear + conv, res layers), final conv.
// Images have channelsIn = channelsOut channels (1 for the lab, 3 for colour).
import * as T from "../tensor/index.js";
import { initBatchNorm, initConv, initEmbedding, batchNorm, conv, type BatchNorm2dP, type Conv2dP, type EmbeddingP, type Mode } from "./layers.js";
import { initFourier, fourier, type FourierP } from "./fourier.js";
import { initResidualLayer, residualLayer, type ResidualLayerP } from "./residual.js";
import { validateConfig, type UNetConfig } from "./config.js";
import { initCondEmbedder, condEmbed, type CondEmbedderP } from "./cond-embed.js";

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
  /** Few-step models only: the guidance scale's embedding, added to the time embedding. */
  w_embedder?: CondEmbedderP;
  /** Few-step models only: the step size's embedding, added to the time embedding. */
  d_embedder?: CondEmbedderP;
}

/** A few-step model's extra inputs, one value per row: the guidance scale w and the step size d. */
export interface FewStepInputs {
  w: T.Tensor; // [B, 1, 1, 1]
  d: T.Tensor; // [B, 1, 1, 1]
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
  const init_conv = { "0": initConv(config.channelsIn ?? 1, ch[0]!, rng), "1": initBatchNorm(ch[0]!) };
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
  const final_conv = initConv(ch[0]!, config.channelsOut ?? 1, rng);
  const params: UNetP = { init_conv, time_embedder, y_embedder, encoders, decoders, midcoder, final_conv };
  // drawn after every teacher parameter, so a few-step model's shared weights init as the teacher's would
  if (config.fewStep) Object.assign(params, { w_embedder: initCondEmbedder(td, rng), d_embedder: initCondEmbedder(td, rng) });
  const fewStep = config.fewStep ? { fewStep: { ...config.fewStep, steps: [...config.fewStep.steps] } } : {};
  const names = config.classNames ? { classNames: [...config.classNames] } : {};
  return { config: { ...config, channels: [...ch], ...fewStep, ...names }, params };
}

/** Checks the inputs a caller hands the model; errors say what was expected. */
export function checkUNetInputs(net: UNet, x: T.Tensor, t: T.Tensor, y: T.Tensor): void {
  const B = x.shape[0], C = net.config.channelsIn ?? 1;
  if (x.dtype !== "f32" || x.rank !== 4 || x.shape[1] !== C || x.shape[2]! % 2 ** (net.config.channels.length - 1) !== 0 || x.shape[3]! % 2 ** (net.config.channels.length - 1) !== 0) {
    throw new T.ShapeError(`unet: x must be f32 [B, ${C}, H, W] with H, W divisible by ${2 ** (net.config.channels.length - 1)}, got ${x.dtype} [${x.shape.join(", ")}]`);
  }
  if (t.dtype !== "f32" || t.size !== B || (t.rank !== 4 && t.rank !== 1)) throw new T.ShapeError(`unet: t must be f32 [${B}, 1, 1, 1], got ${t.dtype} [${t.shape.join(", ")}]`);
  if (y.dtype !== "i32" || y.rank !== 1 || y.shape[0] !== B) throw new T.ShapeError(`unet: y must be i32 [${B}], got ${y.dtype} [${y.shape.join(", ")}]`);
  // values newer on the GPU (webgpu: CFG's concatenated batch) are not on the host to check
  const td = t.onHost ? t.data : new Float32Array(0);
  for (let i = 0; i < td.length; i++) if (!(td[i]! >= 0 && td[i]! <= 1)) throw new RangeError(`unet: t[${i}] = ${td[i]} is outside [0, 1]`);
  const yd = y.onHost ? y.idata : new Int32Array(0);
  for (let i = 0; i < yd.length; i++) {
    if (yd[i]! < 0 || yd[i]! > net.config.numClasses) throw new RangeError(`unet: label y[${i}] = ${yd[i]} is outside 0..${net.config.numClasses} (${net.config.numClasses} = ∅)`);
  }
  T.assertFinite("unet", x, "x");
}

/** Checks a few-step model's w and d inputs (and that a plain model gets none). */
export function checkFewStepInputs(net: UNet, B: number, c: FewStepInputs | undefined): void {
  const f = net.config.fewStep;
  if (!f) {
    if (c) throw new RangeError("unet: this model takes no w or d inputs (it is not a few-step model)");
    return;
  }
  if (!c) throw new RangeError("unet: a few-step model needs its w and d inputs");
  for (const [name, v] of [["w", c.w], ["d", c.d]] as const) {
    if (v.dtype !== "f32" || v.size !== B) throw new T.ShapeError(`unet: ${name} must be f32 [${B}, 1, 1, 1], got ${v.dtype} [${v.shape.join(", ")}]`);
  }
  const wd = c.w.data, dd = c.d.data;
  for (let i = 0; i < B; i++) {
    if (!(wd[i]! >= f.wMin && wd[i]! <= f.wMax)) throw new RangeError(`unet: w[${i}] = ${wd[i]} is outside the model's trained range [${f.wMin}, ${f.wMax}]`);
    if (!(dd[i]! >= 0 && dd[i]! <= 1)) throw new RangeError(`unet: d[${i}] = ${dd[i]} is outside [0, 1]`);
  }
}

/** The time embedding, plus w's and d's embeddings on a few-step model. t: [B, 1, 1, 1] → [B, tDim] */
function timeEmbedding(net: UNet, t: T.Tensor, c: FewStepInputs | undefined): T.Tensor {
  const p = net.params, f = net.config.fewStep;
  const tEmb = fourier(p.time_embedder, t);
  if (!f || !c || !p.w_embedder || !p.d_embedder) return tEmb;
  const wUnit = T.affine(T.reshape(c.w, [-1, 1, 1, 1]), 1 / (f.wMax - f.wMin), -f.wMin / (f.wMax - f.wMin)); // w scaled to [0, 1]
  return T.add(T.add(tEmb, condEmbed(p.w_embedder, wUnit)), condEmbed(p.d_embedder, T.reshape(c.d, [-1, 1, 1, 1])));
}

/** Without a tape, each block's intermediates are freed as soon as the block returns. */
function scoped(fn: () => T.Tensor): T.Tensor {
  return T.isGradEnabled() ? fn() : T.tidy(fn);
}

/**
 * u_θ(x, t, y), or a few-step model's u_θ(x, t, y, w, d). x: [B, C, H, W], t: [B, 1, 1, 1], y: [B] i32
 * (w, d: [B, 1, 1, 1]) → [B, C, H, W]
 */
export function unetForward(net: UNet, x: T.Tensor, t: T.Tensor, y: T.Tensor, mode: Mode, cond?: FewStepInputs): T.Tensor {
  checkUNetInputs(net, x, t, y);
  checkFewStepInputs(net, x.shape[0]!, cond);
  const p = net.params;
  const tEmb = timeEmbedding(net, t, cond); // [B, tDim]
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
  return scoped(() => conv(p.final_conv, last)); // [B, C, H, W]
}
