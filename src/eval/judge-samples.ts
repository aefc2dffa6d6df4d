// Samples → figures in one call: the judge reads the images, and score() compares them with the real
// digits (accuracy, confidence, Fréchet distance, diversity, per class).
import { judge } from "../judge/judge.js";
import { score, type RealDigits, type Report } from "./metrics.js";
import type { Classifier } from "../nn/classifier.js";

/**
 * Judges `images` ([N, 1, 32, 32] in [−1, 1]) asked to be `labels` against the real digits' judge
 * features; every class of the judge gets a per-class row.
 */
export function judgeSamples(judgeNet: Classifier, images: Float32Array, labels: ArrayLike<number>, real: RealDigits): Report {
  return score(judge(judgeNet, images), labels, images, real, judgeNet.config.numClasses);
}
