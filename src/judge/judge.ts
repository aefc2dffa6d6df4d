// Training, saving and applying the judge classifier; the judge is how flowlab measures samples. A judge
// reads grey or RGB images of 32 or 64 px in any number of classes; its file records which, checked on load.
import * as T from "../tensor/index.js";
import { initClassifier, classify, crossEntropy, classifierImage, validateClassifierConfig, JUDGE_CONFIG, type Classifier, type ClassifierConfig } from "../nn/classifier.js";
import { parameters, stateDict, loadStateDict, toSafetensorsEntries } from "../nn/state-dict.js";
import { parseSafetensors, serializeSafetensors } from "../io/safetensors.js";
import { adam } from "../train/adam.js";
import type { ImageDataset } from "../data/dataset.js";
import { distinctIndices } from "../data/dataset.js";

/** How to train the judge. */
export interface JudgeTrainOptions {
  epochs: number;
  batch: number;
  lr: number;
  seed: number;
  /** Largest random shift in pixels, each way (default 2). */
  shift?: number;
  /** Mirror images left–right at random (default off: digits are not mirror-symmetric). */
  flip?: boolean;
  /** Called after each step with (step, total, loss). */
  onStep?: (step: number, total: number, loss: number) => void;
}

/** The judge's training defaults. */
export const JUDGE_TRAIN_DEFAULTS: Readonly<JudgeTrainOptions> = Object.freeze({ epochs: 3, batch: 128, lr: 2e-3, seed: 0 });

/**
 * Augmentation in place on images [B, C, S, S]: a random shift of up to ±`shift` px (edges repeated
 * into the gap; MNIST's black borders make that black) and, with `flip`, a left–right mirror half the time.
 */
function augmentBatch(z: T.Tensor, rng: T.Rng, shift: number, flip: boolean): void {
  const [B, C, H, W] = z.shape as [number, number, number, number];
  const d = z.data, P = H * W;
  const tmp = new Float32Array(P);
  for (let b = 0; b < B; b++) {
    const dx = rng.int(2 * shift + 1) - shift, dy = rng.int(2 * shift + 1) - shift;
    const mirror = flip && rng.int(2) === 1;
    if (!dx && !dy && !mirror) continue;
    for (let c = 0; c < C; c++) {
      const img = d.subarray((b * C + c) * P, (b * C + c + 1) * P);
      for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
        const sy = Math.min(H - 1, Math.max(0, y - dy)), sx0 = Math.min(W - 1, Math.max(0, x - dx));
        tmp[y * W + x] = img[sy * W + (mirror ? W - 1 - sx0 : sx0)]!;
      }
      img.set(tmp);
    }
  }
}

/** The judge's architecture for a data set: JUDGE_CONFIG's layers, the data's channels, size and classes (MNIST's stays JUDGE_CONFIG exactly). */
export function judgeConfigFor(data: Pick<ImageDataset, "channels" | "size" | "numClasses">): ClassifierConfig {
  const { channels, size, numClasses } = data;
  return { ...JUDGE_CONFIG, numClasses, ...(channels !== 1 ? { channelsIn: channels } : {}), ...(size !== 32 ? { imageSize: size } : {}) };
}

/** Trains the classifier that judges generated images of `train`'s kind. */
export function trainJudge(train: ImageDataset, o: JudgeTrainOptions): Classifier {
  const net = initClassifier(judgeConfigFor(train), o.seed);
  const shift = o.shift ?? 2, flip = o.flip ?? false;
  const params = parameters(net.params);
  const opt = adam({ lr: o.lr });
  const state = opt.init(params);
  const rng = new T.Rng(o.seed + 1);
  const perEpoch = Math.floor(train.count / o.batch);
  const total = perEpoch * o.epochs;
  for (let step = 1; step <= total; step++) {
    // cosine decay of the learning rate
    const lr = 0.5 * o.lr * (1 + Math.cos((Math.PI * (step - 1)) / total));
    const loss = T.tidy(() => {
      const { z, y } = train.batch(distinctIndices(train.count, o.batch, rng));
      augmentBatch(z, rng, shift, flip);
      const l = crossEntropy(classify(net, z, "train").logits, y);
      const grads = T.grad(l, [...params.values()]);
      opt.update(params, grads, state, lr);
      return l.item();
    });
    o.onStep?.(step, total, loss);
  }
  return net;
}

/** The judge's verdict on a batch: predictions, confidence, features. */
export interface Judged {
  predictions: Int32Array;
  confidence: Float32Array; // softmax probability of the prediction
  /** Probability the judge gives to a class, per image. */
  probOf: (i: number, k: number) => number;
  features: Float32Array; // [N, F]
}

/** Runs the judge (eval mode) over images [N, C, S, S] of its kind in batches. */
export function judge(net: Classifier, images: Float32Array, batch = 500): Judged {
  const { channels: C, size: S, pixels: P } = classifierImage(net.config);
  if (images.length % P) throw new RangeError(`judge: ${images.length} values are not whole images of [${C}, ${S}, ${S}]`);
  const N = images.length / P;
  const K = net.config.numClasses, F = net.config.features;
  const probs = new Float32Array(N * K), features = new Float32Array(N * F);
  for (let s = 0; s < N; s += batch) {
    const n = Math.min(batch, N - s);
    T.tidy(() =>
      T.noGrad(() => {
        const x = T.tensor(images.subarray(s * P, (s + n) * P), [n, C, S, S]);
        const { features: f, logits } = classify(net, x, "eval");
        features.set(f.data, s * F);
        const L = logits.data;
        for (let b = 0; b < n; b++) {
          let m = -Infinity;
          for (let k = 0; k < K; k++) m = Math.max(m, L[b * K + k]!);
          let z = 0;
          for (let k = 0; k < K; k++) z += Math.exp(L[b * K + k]! - m);
          for (let k = 0; k < K; k++) probs[(s + b) * K + k] = Math.exp(L[b * K + k]! - m) / z;
        }
      }),
    );
  }
  const predictions = new Int32Array(N), confidence = new Float32Array(N);
  for (let i = 0; i < N; i++) {
    let best = 0;
    for (let k = 1; k < K; k++) if (probs[i * K + k]! > probs[i * K + best]!) best = k;
    predictions[i] = best;
    confidence[i] = probs[i * K + best]!;
  }
  return { predictions, confidence, probOf: (i, k) => probs[i * K + k]!, features };
}

/** The fraction of predictions equal to the labels. */
export function accuracy(pred: Int32Array, labels: ArrayLike<number>): number {
  let ok = 0;
  for (let i = 0; i < pred.length; i++) if (pred[i] === labels[i]) ok++;
  return ok / pred.length;
}

/** A judge as safetensors bytes, with its training record. */
export function encodeJudge(net: Classifier, record: Record<string, unknown>): Uint8Array {
  return serializeSafetensors(toSafetensorsEntries(stateDict(net.params)), { judge_config: JSON.stringify(net.config), flowlab_judge: JSON.stringify(record) });
}

/** A judge from safetensors bytes; errors name `source`. */
export function decodeJudge(bytes: Uint8Array, source: string): { net: Classifier; record: Record<string, unknown> } {
  const f = parseSafetensors(bytes, source);
  const cfgRaw = f.metadata["judge_config"];
  if (!cfgRaw) throw new Error(`${source} is not a flowlab judge (no judge_config metadata)`);
  let config: ClassifierConfig;
  try {
    config = JSON.parse(cfgRaw) as ClassifierConfig;
    validateClassifierConfig(config);
  } catch (e) {
    throw new Error(`${source}: bad judge_config metadata: ${(e as Error).message}`);
  }
  const net = initClassifier(config);
  loadStateDict(stateDict(net.params), f.tensors, source);
  return { net, record: JSON.parse(f.metadata["flowlab_judge"] ?? "{}") as Record<string, unknown> };
}
