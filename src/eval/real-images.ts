// Loads the judge and the real images every evaluation compares against: the test split (or the
// recorded hold-out) of the data set the judge was trained on (its file records how; MNIST for older
// judges), with judge features, and for eval the views' real side (with the training split for memorisation).
import { existsSync } from "node:fs";
import { readInputFile } from "../io/read-input.js";
import { decodeJudge, judge } from "../judge/judge.js";
import { loadDataset } from "../data/load.js";
import { InputError } from "../io/errors.js";
import type { Classifier } from "../nn/classifier.js";
import type { RealImages } from "./metrics.js";
import { viewContext, type ViewOptions } from "./views.js";
import type { JudgeSetup, Judging } from "./judging.js";
import { judgeReference, judgeSplits, type JudgeData } from "../judge/split.js";

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
export function realImages(net: Classifier, data = "mnist"): RealImages {
  const test = loadDataset(data, "test");
  return { features: judge(net, test.images).features, labels: test.labels, images: test.images };
}

function realOf(net: Classifier, images: Float32Array, labels: Int32Array): RealImages {
  return { features: judge(net, images).features, labels, images };
}

/**
 * Loads a judge file and its real images: the test split or the recorded hold-out (seconds: they are
 * all judged). `data` reads the judge's data from another spec (a moved folder), split as the judge records.
 */
export function judgeSetup(judgeFile: string | JudgeFile, data?: string): JudgeSetup {
  const j = typeof judgeFile === "string" ? loadJudgeWithData(judgeFile) : judgeFile;
  const { reference } = judgeReference(data ? { ...j.judgeData, data } : j.judgeData);
  return { net: j.net, data: data ?? j.data, real: realOf(j.net, reference.images, reference.labels) };
}

/** Loads a judge file and prepares its real images, its training split (for memorisation) and the views. */
export function judging(judgeFile: string | JudgeFile, options: Partial<ViewOptions> = {}, data?: string): Judging {
  const j = typeof judgeFile === "string" ? loadJudgeWithData(judgeFile) : judgeFile;
  const splits = judgeSplits(data ? { ...j.judgeData, data } : j.judgeData);
  const { train, reference } = splits;
  const real = realOf(j.net, reference.images, reference.labels);
  const views = viewContext(j.net, real, { images: train.images, labels: train.labels }, options);
  return { net: j.net, data: data ?? j.data, real, views, splits, ...(j.classNames ? { classNames: j.classNames } : {}) };
}
