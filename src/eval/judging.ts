// Everything judging needs, set up once from a judge file: the judge, the test split of the data it
// was trained on as reference, and the views' real side (with its training split for memorisation).
// judgeSamples() then gives the classic report and every view of one set of samples.
import { judge } from "../judge/judge.js";
import { clampUnit } from "../sample/range.js";
import { loadDataset } from "../data/load.js";
import type { Classifier } from "../nn/classifier.js";
import { score, type Report, type Reference } from "./metrics.js";
import { loadJudgeWithData, reference } from "./reference.js";
import { viewContext, evaluateViews, type ViewContext, type ViewOptions, type Views } from "./views.js";

/** A judge ready to score samples on every view. */
export interface Judging {
  net: Classifier;
  /** The data spec the judge was trained on; its test split is the reference. */
  data: string;
  ref: Reference;
  views: ViewContext;
}

/** Loads a judge file and prepares its reference and views (seconds: the whole test split is judged). */
export function judging(judgeFile: string, options: Partial<ViewOptions> = {}): Judging {
  const { net, data } = loadJudgeWithData(judgeFile);
  const ref = reference(net, data);
  const train = loadDataset(data, "train");
  return { net, data, ref, views: viewContext(net, ref, { images: train.images, labels: train.labels }, options) };
}

/**
 * The classic report (accuracy, confidence, FD, diversity, per class) and every view, with intervals,
 * of the images as pictures show them: clamped to [−1, 1] (a few-step model's background lies far
 * below −1 in places; unclamped, the judge's FD of its one-evaluation digits was 48.8, clamped 117).
 */
export function judgeSamples(j: Judging, images: Float32Array, labels: ArrayLike<number>): { report: Report; views: Views } {
  const shown = clampUnit(images);
  return { report: score(judge(j.net, shown), labels, shown, j.ref, j.net.config.numClasses), views: evaluateViews(shown, labels, j.views) };
}
