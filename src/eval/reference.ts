// The judge and the reference statistics every evaluation compares against: the test split (or the
// recorded hold-out) of the data set the judge was trained on (its file records how; MNIST for older judges).
import { existsSync } from "node:fs";
import { readInputFile } from "../io/read-input.js";
import { decodeJudge, judge } from "../judge/judge.js";
import { loadDataset } from "../data/load.js";
import { InputError } from "../io/errors.js";
import type { Classifier } from "../nn/classifier.js";
import type { Reference } from "./metrics.js";
import type { JudgeData } from "../judge/split.js";

/** A judge and the data spec it was trained on. */
export interface JudgeFile {
  net: Classifier;
  /** The --data spec of flowlab train-judge ("mnist", "idx:DIR", …). */
  data: string;
  /** How its data is prepared and split (spec, image size, background, hold-out). */
  judgeData: JudgeData;
  /** The class names it was trained on, when the data names them. */
  classNames?: string[];
}

/** Loads a judge written by `flowlab train-judge`, with the data spec it records. */
export function loadJudgeWithData(file: string): JudgeFile {
  if (!existsSync(file)) throw new InputError(file, "judge not found: train one with flowlab train-judge", "judge");
  const { net, record } = decodeJudge(readInputFile(file, { what: "judge", input: "judge" }), file);
  const data = typeof record["data"] === "string" && record["data"] ? record["data"] : "mnist";
  const h = record["holdout"] as { fraction?: unknown; seed?: unknown } | undefined;
  const holdout = h && typeof h.fraction === "number" && typeof h.seed === "number" ? { holdout: { fraction: h.fraction, seed: h.seed } } : {};
  const size = typeof record["imageSize"] === "number" ? { imageSize: record["imageSize"] } : {};
  const bg = record["background"];
  const background = Array.isArray(bg) && bg.length === 3 && bg.every((v) => typeof v === "number") ? { background: [bg[0] as number, bg[1] as number, bg[2] as number] as const } : {};
  const names = record["classNames"];
  const classNames = Array.isArray(names) && names.every((n) => typeof n === "string") ? { classNames: names as string[] } : {};
  return { net, data, judgeData: { data, ...size, ...background, ...holdout }, ...classNames };
}

/** Loads the judge classifier from a file written by `flowlab train-judge`. */
export function loadJudge(file: string): Classifier {
  return loadJudgeWithData(file).net;
}

/** Judge features, labels and images of a data set's test split (default MNIST's 10 000 digits). */
export function reference(net: Classifier, data = "mnist"): Reference {
  const test = loadDataset(data, "test");
  return { features: judge(net, test.images).features, labels: test.labels, images: test.images };
}
