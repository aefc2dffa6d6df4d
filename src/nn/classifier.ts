// The judge: a small CNN classifier over 32×32 (or 64×64) grey or RGB images in [−1, 1]. Four 3×3 convs
// (three stride 2) with BatchNorm and SiLU, then a 128-d feature layer (used for Fréchet distances) and the logits.
import * as T from "../tensor/index.js";
import { IMAGE } from "./config.js";
import { initBatchNorm, initConv, initLinear, batchNorm, conv, linearLayer, type BatchNorm2dP, type Conv2dP, type LinearP, type Mode } from "./layers.js";

/** The classifier's architecture as data. */
export interface ClassifierConfig {
  channels: [number, number, number, number];
  features: number;
  numClasses: number;
  /** Image channels it reads: 1 (grey, the default when absent, as in the shipped MNIST judge) or 3. */
  channelsIn?: number;
  /** Side of the square images it reads: 32 (the default when absent) or 64. */
  imageSize?: number;
}

/** Images of one kind: channels C, side S, and values per image C·S·S. */
export interface ImageGeometry {
  channels: number;
  size: number;
  pixels: number;
}

/** The images a classifier reads. */
export function classifierImage(c: Pick<ClassifierConfig, "channelsIn" | "imageSize">): ImageGeometry {
  const channels = c.channelsIn ?? IMAGE.channels, size = c.imageSize ?? IMAGE.height;
  return { channels, size, pixels: channels * size * size };
}

/** Checks a classifier config read from a file or flags; throws a RangeError naming the field. */
export function validateClassifierConfig(c: ClassifierConfig): void {
  const bad = (m: string) => {
    throw new RangeError(`judge config: ${m}`);
  };
  if (!Array.isArray(c.channels) || c.channels.length !== 4 || c.channels.some((ch) => !Number.isInteger(ch) || ch < 1)) bad(`channels must be 4 positive integers, got ${JSON.stringify(c.channels)}`);
  if (!Number.isInteger(c.features) || c.features < 1) bad(`features must be a positive integer, got ${c.features}`);
  if (!Number.isInteger(c.numClasses) || c.numClasses < 2) bad(`numClasses must be an integer ≥ 2, got ${c.numClasses}`);
  if (c.channelsIn !== undefined && c.channelsIn !== 1 && c.channelsIn !== 3) bad(`channelsIn must be 1 or 3, got ${c.channelsIn}`);
  if (c.imageSize !== undefined && c.imageSize !== 32 && c.imageSize !== 64) bad(`imageSize must be 32 or 64, got ${c.imageSize}`);
}

/** The judge's architecture. */
export const JUDGE_CONFIG: Readonly<ClassifierConfig> = Object.freeze({ channels: [32, 32, 64, 64] as [number, number, number, number], features: 128, numClasses: 10 });

export interface ClassifierP {
  convs: { conv: Conv2dP; bn: BatchNorm2dP }[];
  fc: LinearP;
  head: LinearP;
}

/** A small MNIST CNN: its architecture and parameters. */
export interface Classifier {
  config: ClassifierConfig;
  params: ClassifierP;
}

const STRIDES = [1, 2, 2, 2];

/** A freshly initialised classifier. */
export function initClassifier(config: ClassifierConfig, seed = 0): Classifier {
  const rng = new T.Rng(seed);
  const { channels: C, size: S } = classifierImage(config);
  let cin = C;
  const convs = config.channels.map((c) => {
    const layer = { conv: initConv(cin, c, rng), bn: initBatchNorm(c) };
    cin = c;
    return layer;
  });
  const flat = cin * (S / 8) * (S / 8); // three stride-2 convs: S → S/8
  return { config, params: { convs, fc: initLinear(flat, config.features, rng), head: initLinear(config.features, config.numClasses, rng) } };
}

/** x: [B, C, S, S] → features [B, F] and logits [B, K] */
export function classify(net: Classifier, x: T.Tensor, mode: Mode): { features: T.Tensor; logits: T.Tensor } {
  const { channels: C, size: S } = classifierImage(net.config);
  if (x.rank !== 4 || x.shape[1] !== C || x.shape[2] !== S || x.shape[3] !== S) {
    throw new T.ShapeError(`judge: expected images [B, ${C}, ${S}, ${S}], got [${x.shape.join(", ")}]`);
  }
  let h = x;
  net.params.convs.forEach((l, i) => {
    h = T.silu(batchNorm(l.bn, conv(l.conv, h, STRIDES[i]), mode)); // → [B, C, 32|16|8|4, …]
  });
  const flat = T.reshape(h, [h.shape[0]!, -1]); // [B, C·(S/8)²]
  const features = T.silu(linearLayer(net.params.fc, flat)); // [B, F]
  return { features, logits: linearLayer(net.params.head, features) };
}

/** Mean cross-entropy of logits [B, K] against labels (i32 [B]); stable log-sum-exp. */
export function crossEntropy(logits: T.Tensor, labels: T.Tensor): T.Tensor {
  const [B, K] = logits.shape as [number, number];
  const L = logits.data, y = labels.idata;
  const max = new Float32Array(B), onehot = new Float32Array(B * K);
  for (let b = 0; b < B; b++) {
    let m = -Infinity;
    for (let k = 0; k < K; k++) m = Math.max(m, L[b * K + k]!);
    max[b] = m;
    const c = y[b]!;
    if (!(c >= 0 && c < K)) throw new RangeError(`crossEntropy: label ${c} at ${b} outside 0..${K - 1}`);
    onehot[b * K + c] = 1;
  }
  const shifted = T.sub(logits, T.tensor(max, [B, 1])); // the shift is a constant: same value and gradient
  const lse = T.log(T.sum(T.exp(shifted), 1, true)); // [B, 1]
  const picked = T.sum(T.mul(shifted, T.tensor(onehot, [B, K])), 1, true); // [B, 1]
  return T.mean(T.sub(lse, picked));
}
