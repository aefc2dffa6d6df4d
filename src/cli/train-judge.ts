// flowlab train-judge: trains the classifier that judges generated images (models/judge.safetensors), on
// MNIST or any data set flowlab loads (--data, as flowlab train: grey or RGB, 32 or 64 px, any class count).
// Data without a test split gets a seeded hold-out per class; eval and calibrate use it as their reference.
import os from "node:os";
import { progressBar } from "./progress.js";
import * as T from "../tensor/index.js";
import { parse, num, str, seedFlag, UsageError } from "./args.js";
import { defaultJudge } from "../io/package-files.js";
import { ensureWritableFile } from "./writable.js";
import { DATA_FLAGS, DATA_HELP, dataFlags, loadDataFlag } from "./data-flags.js";
import { parseDataSpec } from "../data/spec.js";
import { PREPARE_DEFAULTS, type PrepareOptions } from "../data/prepare.js";
import { trainJudge, judge, accuracy, encodeJudge, JUDGE_TRAIN_DEFAULTS } from "../judge/judge.js";
import { judgeDataOf, judgeSplits, HOLDOUT_DEFAULTS, type JudgeData } from "../judge/split.js";
import { writeFileAtomic } from "../io/atomic.js";

/** Small sets: without --epochs, enough epochs for this many steps (at most SMALL_SET_MAX_EPOCHS). */
export const SMALL_SET_STEPS = 300, SMALL_SET_MAX_EPOCHS = 40;

export const TRAIN_JUDGE_HELP = `flowlab train-judge [flags]
  --epochs N (default ${JUDGE_TRAIN_DEFAULTS.epochs}; on small sets enough for ${SMALL_SET_STEPS} steps, at most ${SMALL_SET_MAX_EPOCHS})
  --batch N (default ${JUDGE_TRAIN_DEFAULTS.batch}, lowered to the training images on small sets) --lr X --seed N
${DATA_HELP.replace(/\n.*--flip.*$/m, "")}
  --flip / --no-flip     mirror training images left–right at random (default: on for folder: data, off for digits)
  --holdout F            data without a test split: the fraction of each class held out as reference (default ${HOLDOUT_DEFAULTS.fraction})
  --out FILE             (default models/judge.safetensors)`;

const FLAGS = { epochs: { type: "string" }, batch: { type: "string" }, lr: { type: "string" }, seed: { type: "string" }, ...DATA_FLAGS, "no-flip": { type: "boolean" }, holdout: { type: "string" }, out: { type: "string" }, threads: { type: "string" } } as const;

export interface TrainJudgeOptions {
  train: { epochs: number | null; batch: number | null; lr: number; seed: number; flip: boolean };
  data: string;
  prepare?: PrepareOptions;
  holdout: { fraction: number; seed: number };
  out: string;
}

/** Flags → validated options (no side effects); null epochs or batch: chosen from the data's size. */
export function parseTrainJudgeFlags(argv: string[]): TrainJudgeOptions | "help" {
  const v = parse("train-judge", argv, FLAGS);
  if (v["help"]) return "help";
  if (v["flip"] && v["no-flip"]) throw new UsageError("--flip and --no-flip contradict each other; give one");
  const { data, prepare } = dataFlags({ ...v, flip: false }, "mnist");
  const isFolder = parseDataSpec(data).kind === "folder";
  const train = {
    epochs: num("epochs", v["epochs"], { int: true, min: 1, max: 100 }) ?? null,
    batch: num("batch", v["batch"], { int: true, min: 2, max: 4096 }) ?? null,
    lr: num("lr", v["lr"], { min: Number.MIN_VALUE }) ?? JUDGE_TRAIN_DEFAULTS.lr,
    seed: seedFlag(v["seed"]) ?? JUDGE_TRAIN_DEFAULTS.seed,
    flip: v["flip"] === true || (isFolder && v["no-flip"] !== true),
  };
  const fraction = num("holdout", v["holdout"], { min: 0.01, max: 0.9 }) ?? HOLDOUT_DEFAULTS.fraction;
  return { train, data, ...(prepare ? { prepare } : {}), holdout: { fraction, seed: HOLDOUT_DEFAULTS.seed }, out: str(v["out"]) ?? defaultJudge };
}

/** Epochs and batch: given, or the defaults, adjusted to a small set (batch ≤ images, ≥ SMALL_SET_STEPS steps). */
export function judgeSchedule(count: number, given: { epochs: number | null; batch: number | null }): { epochs: number; batch: number } {
  const batch = given.batch ?? Math.max(2, Math.min(JUDGE_TRAIN_DEFAULTS.batch, count));
  if (given.epochs !== null) return { epochs: given.epochs, batch };
  const perEpoch = Math.max(1, Math.floor(count / batch));
  return { epochs: Math.max(JUDGE_TRAIN_DEFAULTS.epochs, Math.min(SMALL_SET_MAX_EPOCHS, Math.ceil(SMALL_SET_STEPS / perEpoch))), batch };
}

export async function trainJudgeCommand(argv: string[], log: (s: string) => void): Promise<number> {
  const parsed = parseTrainJudgeFlags(argv);
  if (parsed === "help") {
    log(TRAIN_JUDGE_HELP);
    return 0;
  }
  const { train: t, out } = parsed;
  ensureWritableFile(out, "--out");
  const record: JudgeData = judgeDataOf(parsed.data, parsed.prepare, parsed.holdout);
  let splits;
  try {
    splits = judgeSplits(record, (data, split, prepare) => loadDataFlag(data, split, { ...PREPARE_DEFAULTS, ...prepare, flip: false }, split === "train" ? log : () => {}));
  } catch (e) {
    if (e instanceof RangeError) throw new UsageError(`--data ${record.data}: ${e.message}`);
    throw e;
  }
  const { train, reference, how } = splits;
  const { epochs, batch } = judgeSchedule(train.count, t);
  if (train.count < batch) throw new UsageError(`--batch ${batch}: the ${record.data} train split holds ${train.count} images; a judge needs at least one batch (lower --batch)`);
  log(`judge: ${train.count} training images, ${reference.count} reference images (${how}); ${train.channels === 3 ? "RGB" : "grey"} ${train.size}×${train.size}, ${train.numClasses} classes; ${epochs} epochs of batch ${batch}${t.flip ? ", flips" : ""}`);
  const bar = progressBar("judge |{bar}| step {value}/{total} | loss {loss} | ETA {eta_formatted}");
  const t0 = performance.now();
  let smooth = NaN;
  bar.start(1, 0, { loss: "—" });
  const o = { epochs, batch, lr: t.lr, seed: t.seed, flip: t.flip };
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
  const acc = accuracy(judge(net, reference.images).predictions, reference.labels);
  const names = train.classNames ? { classNames: train.classNames } : {};
  const full = { command: `flowlab train-judge ${argv.join(" ")}`.trim(), ...o, ...record, ...names, testAccuracy: acc, reference: how, seconds, machine: `${os.cpus()[0]?.model ?? "cpu"} × ${T.engine().threads} threads` };
  writeFileAtomic(out, encodeJudge(net, full));
  log(`judge: ${how === "test split" ? "test" : "held-out"} accuracy ${(acc * 100).toFixed(2)} % on ${reference.count} images after ${seconds.toFixed(0)} s → ${out}`);
  return 0;
}
