// Everything judging needs, set up once from a judge file: the judge, the real images (the test split
// of the data it was trained on) and, for eval, the views' real side (with its training split for
// memorisation). judgeReport() gives the classic report, judgeSamples() that and every view.
import { judge } from "../judge/judge.js";
import { clampUnit } from "../sample/range.js";
import { loadDataset } from "../data/load.js";
import type { Classifier } from "../nn/classifier.js";
import { score, type Report, type RealImages } from "./metrics.js";
import { loadJudgeWithData, realImages } from "./real-images.js";
import { viewContext, evaluateViews, type ViewContext, type ViewOptions, type Views } from "./views.js";

/** A judge and the real images its figures compare with (what the studies' classic reports need). */
export interface JudgeSetup {
  net: Classifier;
  /** The data spec the judge was trained on; its test split is the real images. */
  data: string;
  real: RealImages;
}

/** A judge ready to score samples on every view. */
export interface Judging extends JudgeSetup {
  views: ViewContext;
}

/** Loads a judge file and its real images (seconds: the whole test split is judged). */
export function judgeSetup(judgeFile: string): JudgeSetup {
  const { net, data } = loadJudgeWithData(judgeFile);
  return { net, data, real: realImages(net, data) };
}

/** Loads a judge file and prepares its real images and views. */
export function judging(judgeFile: string, options: Partial<ViewOptions> = {}): Judging {
  const s = judgeSetup(judgeFile);
  const train = loadDataset(s.data, "train");
  return { ...s, views: viewContext(s.net, s.real, { images: train.images, labels: train.labels }, options) };
}

/**
 * The classic report (accuracy, confidence, FD, diversity, per class) of the images as pictures show
 * them: clamped to [−1, 1] (a few-step model's background lies far below −1 in places; unclamped,
 * the judge's FD of its one-evaluation digits was 48.8, clamped 117).
 */
export function judgeReport(j: JudgeSetup, images: Float32Array, labels: ArrayLike<number>): Report {
  const shown = clampUnit(images);
  return score(judge(j.net, shown), labels, shown, j.real, j.net.config.numClasses);
}

/** The classic report and every view, with intervals, of the images clamped to [−1, 1]. */
export function judgeSamples(j: Judging, images: Float32Array, labels: ArrayLike<number>): { report: Report; views: Views } {
  return { report: judgeReport(j, images, labels), views: evaluateViews(clampUnit(images), labels, j.views) };
}
