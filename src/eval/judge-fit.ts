// Whether a judge can read a model's images: the same channels, side and classes (and class names,
// when both name them). Checked before any slow setup, so a mismatch is one line.
import { classifierImage, type Classifier } from "../nn/classifier.js";
import { modelImageShape, type UNetConfig } from "../nn/config.js";

/** What a model draws, as the judge needs to know it. */
export interface DrawnImages {
  channels: number;
  size: number;
  numClasses: number;
  classNames?: readonly string[] | undefined;
}

const kind = (c: number, s: number, k: number) => `${c === 1 ? "grey" : "colour"} ${s}×${s} images in ${k} classes`;

/** null when `judge` reads what the model draws, else why not (a sentence naming both sides). */
export function judgeMismatch(judge: { net: Classifier; classNames?: readonly string[] | undefined }, m: DrawnImages): string | null {
  const g = classifierImage(judge.net.config), K = judge.net.config.numClasses;
  if (m.channels !== g.channels || m.size !== g.size || m.numClasses !== K) {
    return `draws ${kind(m.channels, m.size, m.numClasses)}; the judge reads ${kind(g.channels, g.size, K)} (train one on this data with flowlab train-judge --data …)`;
  }
  if (m.classNames && judge.classNames && m.classNames.join("\u0000") !== judge.classNames.join("\u0000")) {
    return `names its classes ${m.classNames.join(", ")}; the judge was trained on ${judge.classNames.join(", ")}`;
  }
  return null;
}

/** judgeMismatch for the images a U-Net of this config draws. */
export function judgeMismatchOf(judge: { net: Classifier; classNames?: readonly string[] | undefined }, c: UNetConfig): string | null {
  const [, C, S] = modelImageShape(c, 1);
  return judgeMismatch(judge, { channels: C!, size: S!, numClasses: c.numClasses, classNames: c.classNames });
}
