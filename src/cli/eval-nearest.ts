// flowlab eval --nearest: the first run's samples beside their nearest training image (the memorisation
// view as a picture), written after scoring.
import { UsageError } from "./args.js";
import { clampUnit } from "../sample/range.js";
import { nearestFigure } from "../eval/nearest-figure.js";
import { writeFileAtomic } from "../io/atomic.js";
import type { Judging } from "../eval/judging.js";

/** One run's samples, kept for the figure. */
export interface KeptSamples {
  label: string;
  images: Float32Array; // [N, C, S, S]
  labels: Int32Array;
}

/** Draws `first` beside its nearest training images into `file`, and says how many sit closer than held-out images. */
export async function writeNearest(file: string, first: KeptSamples, j: Judging, log: (s: string) => void): Promise<void> {
  const memo = j.views.memo;
  if (!memo) throw new UsageError("--nearest: the judge's data has no training images to search");
  const f = await nearestFigure({ images: clampUnit(first.images), labels: first.labels, memo, geometry: j.views.geometry, ...(j.classNames ? { classNames: j.classNames } : {}) });
  writeFileAtomic(file, f.png);
  log(`wrote ${file}: ${first.label}, ${f.shown} samples beside their nearest training image; ${(f.closer * 100).toFixed(1)} % of its samples are closer to training than ${(memo.quantile * 100).toFixed(0)} % of held-out real images`);
}
