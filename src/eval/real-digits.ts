// The judge and the real digits every evaluation compares against: the MNIST test digits, with their
// judge features.
import { existsSync } from "node:fs";
import { readInputFile } from "../io/read-input.js";
import { decodeJudge, judge } from "../judge/judge.js";
import { loadDataset } from "../data/load.js";
import { InputError } from "../io/errors.js";
import type { Classifier } from "../nn/classifier.js";
import type { RealDigits } from "./metrics.js";

/** Loads the judge classifier from a file written by `flowlab train-judge`. */
export function loadJudge(file: string): Classifier {
  if (!existsSync(file)) throw new InputError(file, "judge not found: train one with flowlab train-judge", "judge");
  return decodeJudge(readInputFile(file, { what: "judge", input: "judge" }), file).net;
}

/** Judge features, labels and images of the 10 000 MNIST test digits. */
export function realDigits(net: Classifier): RealDigits {
  const test = loadDataset("mnist", "test");
  return { features: judge(net, test.images).features, labels: test.labels, images: test.images };
}
