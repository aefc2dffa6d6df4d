// Loads the judge and the real images every evaluation compares against: the test split of the data
// set the judge was trained on (its file records the --data spec; MNIST for older judges), with judge
// features, and for eval the views' real side (with the training split for memorisation).
import { existsSync } from "node:fs";
import { readInputFile } from "../io/read-input.js";
import { decodeJudge, judge } from "../judge/judge.js";
import { loadDataset } from "../data/load.js";
import { InputError } from "../io/errors.js";
import type { Classifier } from "../nn/classifier.js";
import type { RealImages } from "./metrics.js";
import { viewContext, type ViewOptions } from "./views.js";
import type { JudgeSetup, Judging } from "./judging.js";

/** A judge and the data spec it was trained on. */
export interface JudgeFile {
  net: Classifier;
  /** The --data spec of flowlab train-judge ("mnist", "idx:DIR", …). */
  data: string;
}

/** Loads a judge written by `flowlab train-judge`, with the data spec it records. */
export function loadJudgeWithData(file: string): JudgeFile {
  if (!existsSync(file)) throw new InputError(file, "judge not found: train one with flowlab train-judge", "judge");
  const { net, record } = decodeJudge(readInputFile(file, { what: "judge", input: "judge" }), file);
  const data = typeof record["data"] === "string" && record["data"] ? record["data"] : "mnist";
  return { net, data };
}

/** Loads the judge classifier from a file written by `flowlab train-judge`. */
export function loadJudge(file: string): Classifier {
  return loadJudgeWithData(file).net;
}

/** Judge features, labels and images of a data set's test split (default MNIST's 10 000 digits). */
export function realImages(net: Classifier, data = "mnist"): RealImages {
  const test = loadDataset(data, "test");
  return { features: judge(net, test.images).features, labels: test.labels, images: test.images };
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
