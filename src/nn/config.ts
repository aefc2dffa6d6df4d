// The U-Net's architecture as data, with the lab's values as the default.
/** The U-Net's architecture as data. */
export interface UNetConfig {
  channels: number[];
  numResidualLayers: number;
  tEmbedDim: number;
  yEmbedDim: number;
  /** Real classes; the label `numClasses` is the null label ∅. */
  numClasses: number;
}

/** The images the lab's models take: one channel, 32×32 (MNIST resized from 28×28, as the lab does). */
export const IMAGE = Object.freeze({ channels: 1, height: 32, width: 32, pixels: 32 * 32 });

/** The shape of a batch of n images: [n, 1, 32, 32]. */
export function imageShape(n: number): number[] {
  return [n, IMAGE.channels, IMAGE.height, IMAGE.width];
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
}
