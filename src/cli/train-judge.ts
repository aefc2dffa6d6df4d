// flowlab train-judge: trains the classifier that judges generated images (models/judge.safetensors), on
// MNIST or any data set flowlab loads (--data, as flowlab train); eval and calibrate use its test split.
import os from "node:os";
import { progressBar } from "./progress.js";
import * as T from "../tensor/index.js";
import { parse, num, str, seedFlag, UsageError } from "./args.js";
import { defaultJudge } from "../io/package-files.js";
import { ensureWritableFile } from "./writable.js";
import { DATA_SPEC_FORMS } from "../data/spec.js";
import { dataFlags, loadDataFlag } from "./data-flags.js";
import { JUDGE_CONFIG } from "../nn/classifier.js";
import type { ImageDataset } from "../data/dataset.js";
import { trainJudge, judge, accuracy, encodeJudge, JUDGE_TRAIN_DEFAULTS } from "../judge/judge.js";
import { writeFileAtomic } from "../io/atomic.js";

export const TRAIN_JUDGE_HELP = `flowlab train-judge [flags]
  --epochs N (default ${JUDGE_TRAIN_DEFAULTS.epochs}) --batch N (default ${JUDGE_TRAIN_DEFAULTS.batch}) --lr X --seed N
  --data SPEC            ${DATA_SPEC_FORMS}; the judge reads grey 32×32 images in ${JUDGE_CONFIG.numClasses} classes
  --out FILE             (default models/judge.safetensors)`;

const FLAGS = { epochs: { type: "string" }, batch: { type: "string" }, lr: { type: "string" }, seed: { type: "string" }, data: { type: "string" }, out: { type: "string" }, threads: { type: "string" } } as const;

export interface TrainJudgeOptions {
  train: { epochs: number; batch: number; lr: number; seed: number };
  data: string;
  out: string;
}

/** Flags → validated options (no side effects). */
export function parseTrainJudgeFlags(argv: string[]): TrainJudgeOptions | "help" {
  const v = parse("train-judge", argv, FLAGS);
  if (v["help"]) return "help";
  const train = {
    epochs: num("epochs", v["epochs"], { int: true, min: 1, max: 100 }) ?? JUDGE_TRAIN_DEFAULTS.epochs,
    batch: num("batch", v["batch"], { int: true, min: 2, max: 4096 }) ?? JUDGE_TRAIN_DEFAULTS.batch,
    lr: num("lr", v["lr"], { min: Number.MIN_VALUE }) ?? JUDGE_TRAIN_DEFAULTS.lr,
    seed: seedFlag(v["seed"]) ?? JUDGE_TRAIN_DEFAULTS.seed,
  };
  return { train, data: dataFlags(v, "mnist").data, out: str(v["out"]) ?? defaultJudge };
}

/** A split the judge can read: grey 32×32 images in JUDGE_CONFIG.numClasses classes, else one line saying what it got. */
function judgeData(data: string, split: "train" | "test", log: (s: string) => void): ImageDataset {
  const ds = loadDataFlag(data, split, undefined, log);
  if (ds.channels !== 1 || ds.size !== 32 || ds.numClasses !== JUDGE_CONFIG.numClasses) {
    throw new UsageError(`--data ${data}: the judge reads grey 32×32 images in ${JUDGE_CONFIG.numClasses} classes; this data has ${ds.channels === 1 ? "grey" : "colour"} images in ${ds.numClasses} classes`);
  }
  return ds;
}

export async function trainJudgeCommand(argv: string[], log: (s: string) => void): Promise<number> {
  const parsed = parseTrainJudgeFlags(argv);
  if (parsed === "help") {
    log(TRAIN_JUDGE_HELP);
    return 0;
  }
  const { train: o, data, out } = parsed;
  ensureWritableFile(out, "--out");
  const train = judgeData(data, "train", log), test = judgeData(data, "test", log);
  if (train.count < o.batch) throw new UsageError(`--batch ${o.batch}: the ${data} train split holds ${train.count} images; a judge needs at least one batch (lower --batch)`);
  const bar = progressBar("judge |{bar}| step {value}/{total} | loss {loss} | ETA {eta_formatted}");
  const t0 = performance.now();
  let smooth = NaN;
  bar.start(1, 0, { loss: "—" });
  const net = trainJudge(train, {
    ...o,
    onStep: (s, total, loss) => {
      smooth = Number.isNaN(smooth) ? loss : 0.98 * smooth + 0.02 * loss;
      bar.setTotal(total);
      bar.tick(s, { loss: smooth.toFixed(4) });
    },
  });
  bar.stop();
  const seconds = (performance.now() - t0) / 1000;
  const acc = accuracy(judge(net, test.images).predictions, test.labels);
  const record = { command: `flowlab train-judge ${argv.join(" ")}`.trim(), ...o, data, testAccuracy: acc, seconds, machine: `${os.cpus()[0]?.model ?? "cpu"} × ${T.engine().threads} threads` };
  writeFileAtomic(out, encodeJudge(net, record));
  log(`judge: test accuracy ${(acc * 100).toFixed(2)} % on ${test.count} digits after ${seconds.toFixed(0)} s → ${out}`);
  return 0;
}
