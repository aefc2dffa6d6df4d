// The memorisation picture: each sample beside its nearest training image of the same class (pixel
// L2 in [−1, 1]), a row per class, with the share of samples closer to training than held-out images are.
import { gridFigure } from "../viz/image-grid.js";
import { svgToPng } from "../viz/raster.js";
import type { ImageGeometry } from "../nn/classifier.js";
import { nearestTrain, type MemorisationRealSide } from "./memorisation.js";

/** What the figure shows, besides the images. */
export interface NearestFigureData {
  images: Float32Array; // [N, C, S, S] samples in [−1, 1]
  labels: ArrayLike<number>;
  memo: MemorisationRealSide;
  geometry: ImageGeometry;
  /** Row labels by class (default the class numbers). */
  classNames?: readonly string[];
  /** Samples shown per class (default 4). */
  perClass?: number;
}

/** The figure as PNG bytes, and the share of samples nearer to training than the held-out threshold. */
export async function nearestFigure(d: NearestFigureData): Promise<{ png: Uint8Array; closer: number; shown: number }> {
  const { images, labels, memo, geometry: g } = d;
  const perClass = d.perClass ?? 4, P = g.pixels;
  const { index, distance } = nearestTrain(images, labels, memo.train, memo.trainLabels);
  const classes = [...new Set(Array.from(labels))].sort((a, b) => a - b);
  const left = new Float32Array(classes.length * perClass * P).fill(1), right = new Float32Array(classes.length * perClass * P).fill(1);
  classes.forEach((k, r) => {
    let c = 0;
    for (let i = 0; i < labels.length && c < perClass; i++) {
      if (labels[i] !== k) continue;
      left.set(images.subarray(i * P, (i + 1) * P), (r * perClass + c) * P);
      const t = index[i]!;
      if (t >= 0) right.set(memo.train.subarray(t * P, (t + 1) * P), (r * perClass + c) * P);
      c++;
    }
  });
  const closer = distance.filter((v) => v < memo.threshold).length / Math.max(1, distance.length);
  const names = classes.map((k) => d.classNames?.[k] ?? String(k));
  const svg = gridFigure({
    title: "Samples beside their nearest training image",
    subtitle: `nearest by pixel L2 within the class; ${(closer * 100).toFixed(1)} % of all ${distance.length} samples are closer to a training image than the closest ${(memo.quantile * 100).toFixed(0)} % of held-out real images are (those: ${(memo.quantile * 100).toFixed(0)} % by construction)`,
    panels: [
      { title: "sample", images: left, rows: classes.length, cols: perClass },
      { title: "nearest training image", images: right, rows: classes.length, cols: perClass },
    ],
    rowLabels: names,
    rowHeader: "class",
    size: g.size,
    channels: g.channels,
  });
  return { png: await svgToPng(svg), closer, shown: classes.length * perClass };
}
