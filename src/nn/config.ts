// The U-Net's architecture as data, with the lab's values as the default.
/** The U-Net's architecture as data. */
export interface UNetConfig {
  channels: number[];
  numResidualLayers: number;
  tEmbedDim: number;
  yEmbedDim: number;
  /** Real classes; the label `numClasses` is the null label ∅. */
  numClasses: number;
  /** Image channels the model reads: 1 (grey, the lab's; the default when absent) or 3 (RGB). */
  channelsIn?: number;
  /** Image channels the model writes (its velocity): 1 (default) or 3; equal to channelsIn for a flow. */
  channelsOut?: number;
  /** Side of the square images the model samples (default 32); stored in the checkpoint's metadata. */
  imageSize?: number;
  /** Class names by label (an image folder's subfolders); stored in the checkpoint's metadata. */
  classNames?: string[];
  /** Present on few-step (distilled) models only: they take the guidance scale w and a step size d as inputs. */
  fewStep?: FewStepConfig;
}

/**
 * A few-step model's extra inputs: w (the guidance scale, trained over [wMin, wMax]; values outside are
 * rejected, not clamped) and the step size d = 1/steps for each step count it was trained for.
 */
export interface FewStepConfig {
  wMin: number;
  wMax: number;
  /** Step counts the model was trained to sample with, ascending (e.g. [1, 2, 4]). */
  steps: number[];
}

/** The images the lab's models take: one channel, 32×32 (MNIST resized from 28×28, as the lab does). */
export const IMAGE = Object.freeze({ channels: 1, height: 32, width: 32, pixels: 32 * 32 });

/** The shape of a batch of n images: [n, 1, 32, 32]. */
export function imageShape(n: number): number[] {
  return [n, IMAGE.channels, IMAGE.height, IMAGE.width];
}

/** The shape a model's samples take: [n, channelsOut, S, S] (the lab's [n, 1, 32, 32] by default). */
export function modelImageShape(c: Pick<UNetConfig, "channelsOut" | "imageSize">, n: number): number[] {
  const S = c.imageSize ?? IMAGE.height;
  return [n, c.channelsOut ?? IMAGE.channels, S, S];
}

/** The lab's architecture: channels [32, 64, 128], 2 residual layers, embeddings of 40. */
export const LAB_UNET: Readonly<UNetConfig> = Object.freeze({
  channels: [32, 64, 128],
  numResidualLayers: 2,
  tEmbedDim: 40,
  yEmbedDim: 40,
  numClasses: 10,
});

export function validateConfig(c: UNetConfig): void {
  const bad = (m: string) => {
    throw new RangeError(`U-Net config: ${m}`);
  };
  if (!Array.isArray(c.channels) || c.channels.length < 1 || c.channels.some((ch) => !Number.isInteger(ch) || ch < 1)) bad(`channels must be positive integers, got ${JSON.stringify(c.channels)}`);
  if (!Number.isInteger(c.numResidualLayers) || c.numResidualLayers < 0) bad(`numResidualLayers must be ≥ 0, got ${c.numResidualLayers}`);
  if (!Number.isInteger(c.tEmbedDim) || c.tEmbedDim < 2 || c.tEmbedDim % 2) bad(`tEmbedDim must be a positive even integer, got ${c.tEmbedDim}`);
  if (!Number.isInteger(c.yEmbedDim) || c.yEmbedDim < 1) bad(`yEmbedDim must be ≥ 1, got ${c.yEmbedDim}`);
  if (!Number.isInteger(c.numClasses) || c.numClasses < 1) bad(`numClasses must be ≥ 1, got ${c.numClasses}`);
  for (const k of ["channelsIn", "channelsOut"] as const) if (c[k] !== undefined && c[k] !== 1 && c[k] !== 3) bad(`${k} must be 1 or 3, got ${c[k]}`);
  if ((c.channelsIn ?? 1) !== (c.channelsOut ?? 1)) bad(`channelsIn (${c.channelsIn ?? 1}) and channelsOut (${c.channelsOut ?? 1}) must match: the model's velocity lives in image space`);
  if (c.imageSize !== undefined && (!Number.isInteger(c.imageSize) || c.imageSize < 2 ** (c.channels.length - 1) || c.imageSize % 2 ** (c.channels.length - 1))) {
    bad(`imageSize must be a positive multiple of ${2 ** (c.channels.length - 1)}, got ${c.imageSize}`);
  }
  if (c.classNames !== undefined && (!Array.isArray(c.classNames) || c.classNames.length !== c.numClasses || c.classNames.some((n) => typeof n !== "string" || !n))) {
    bad(`classNames must name each of the ${c.numClasses} classes, got ${JSON.stringify(c.classNames)}`);
  }
  if (c.fewStep !== undefined) {
    const f = c.fewStep;
    if (!(Number.isFinite(f.wMin) && Number.isFinite(f.wMax) && f.wMin < f.wMax)) bad(`fewStep w range must be finite with wMin < wMax, got [${f.wMin}, ${f.wMax}]`);
    if (!Array.isArray(f.steps) || !f.steps.length || f.steps.some((n, i) => !Number.isInteger(n) || n < 1 || (i > 0 && n <= f.steps[i - 1]!))) bad(`fewStep steps must be ascending integers ≥ 1, got ${JSON.stringify(f.steps)}`);
  }
}
