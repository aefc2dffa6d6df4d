// What judging needs, set up once (real-images.ts loads it from a judge file): the judge, its real
// images and, for eval, the views' real side. judgeReport() gives the classic report of a set of
// samples, judgeSamples() that and every view. No node: imports (the browser entry reaches it).
import { judge } from "../judge/judge.js";
import { clampUnit } from "../sample/range.js";
import type { Classifier } from "../nn/classifier.js";
import type { JudgeSplits } from "../judge/split.js";
import { score, SCORE_DEFAULTS, type Report, type RealImages } from "./metrics.js";
import { evaluateViews, type ViewContext, type Views } from "./views.js";

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
  /** The judge's training split (what the memorisation check searches) and how its real images were chosen. */
  splits: JudgeSplits;
  /** Class names the judge was trained on, when its data names them. */
  classNames?: string[];
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

/**
 * The classic report and every view, with intervals, of the images clamped to [−1, 1]. When the views
 * bootstrap their judge FD as score() would (same resamples and seed), the report takes that estimate.
 */
export function judgeSamples(j: Judging, images: Float32Array, labels: ArrayLike<number>): { report: Report; views: Views } {
  const shown = clampUnit(images);
  const views = evaluateViews(shown, labels, j.views);
  const same = j.views.options.bootstrap === SCORE_DEFAULTS.bootstrap && j.views.options.seed === SCORE_DEFAULTS.seed;
  return { report: score(judge(j.net, shown), labels, shown, j.real, j.net.config.numClasses, {}, same ? views.fdJudge : undefined), views };
}
