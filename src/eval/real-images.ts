// The judge and the real images every evaluation compares against: the test split of the data set
// the judge was trained on (its file records the --data spec; MNIST for older judges), with judge features.
import { existsSync } from "node:fs";
import { readInputFile } from "../io/read-input.js";
import { decodeJudge, judge } from "../judge/judge.js";
import { loadDataset } from "../data/load.js";
import { InputError } from "../io/errors.js";
import type { Classifier } from "../nn/classifier.js";
import type { RealImages } from "./metrics.js";

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
