// flowlab train: CFG flow matching on MNIST, IDX data or an image folder (grey or colour) with a progress bar, JSONL loss log,
// sample grids, atomic checkpoints every N steps and on Ctrl-C/SIGTERM, and bit-identical --resume.
import { existsSync } from "node:fs";
import path from "node:path";
import * as T from "../tensor/index.js";
import { parse, num, numList, str, UsageError, type Flags, seedFlag, pathFlag } from "./args.js";
import { preset, type TrainConfig } from "../train/presets.js";
import { IMAGE } from "../nn/config.js";
import { parseSchedule, CONSTANT } from "../train/schedule.js";
import { parseTimeSampling, UNIFORM_TIMES } from "../train/time-sampling.js";
import { CfgTrainer } from "../train/trainer.js";
import { releaseRunLocks } from "../io/run-lock.js";
import { openInFolder, claimRunFolder, openedRun, reportOutcome, trainLoop, SAMPLES_PER_S, type LoopRun } from "./train-loop.js";
import { DATA_FLAGS, DATA_HELP, dataFlags, loadDataFlag } from "./data-flags.js";
import { fitModelToData, dataDrift } from "../train/fit-data.js";
import { readCheckpoint } from "./ckpt-io.js";
import { samplingNet } from "../train/checkpoint.js";
import { isDistillRecord } from "../train/distill.js";
import { generate } from "../sample/generate.js";
import { trainingGridFigure } from "../viz/lab-figures.js";
import { svgToPng } from "../viz/raster.js";
import { writeFileAtomic } from "../io/atomic.js";
import { truncateLog, restartKilledRun } from "./run-log.js";
import { holdOut, HOLDOUT_DEFAULTS } from "../judge/split.js";
import { hasTestSplit } from "../data/load.js";
import type { ImageDataset } from "../data/dataset.js";

export const TRAIN_HELP = `flowlab train [flags]
  --preset quick|lab     starting point (default quick); every field below overrides it
  --steps N --batch N --lr X --eta X --channels 32,64,128 --res-layers N (≥ 1)
  --lr-schedule S        constant, or cosine[:WARMUP[:FLOOR]] (linear warm-up, cosine decay to FLOOR × lr)
  --t-sampling S         how each example's t is drawn: uniform (default), or logit-normal[:MEAN[:STD]]
                         (t = sigmoid(MEAN + STD·n), default 0:1, as SD3: more of the batch at mid t)
  --seed N --ema-decay X
${DATA_HELP}
  --out DIR              run folder: checkpoint.safetensors, log.jsonl, samples/ (default runs/<preset>)
  --resume               continue the run in --out from its checkpoint (bit-identical); the log is cut
                         back to the checkpoint's step, so no step appears twice
  --checkpoint-every N   steps between checkpoints (default from the preset)
  --sample-every N       also write a sample grid PNG every N steps (default 0: only the finished run's,
                         samples/step-N.png, a row per class)
  --keep-every N         keep the EMA weights every N steps in snapshots/step-N.safetensors (0 = never),
                         for flowlab eval --study training (the time-to-quality curve)
  --stop-at STEP         checkpoint and stop at global step STEP (≤ --steps), keeping the planned --steps
                         (and its lr schedule); continue later with --resume
  --holdout F            keep the fraction F of each class out of training (seed 0): the very images that
                         flowlab train-judge --holdout F holds out, so eval's real side and memorisation
                         check compare against images the model never saw (image folders without a test split)
  --threads N            engine threads (default: all cores)
  --backend B            wasm (default) or webgpu (in Node: needs the optional webgpu package, Dawn, and a Vulkan driver)`;

export const TRAIN_DEFAULTS = { preset: "quick", sampleEvery: 0, keepEvery: 0 } as const;

const FLAGS = {
  preset: { type: "string" }, steps: { type: "string" }, batch: { type: "string" }, lr: { type: "string" }, "lr-schedule": { type: "string" },
  "t-sampling": { type: "string" }, eta: { type: "string" }, channels: { type: "string" }, "res-layers": { type: "string" }, seed: { type: "string" },
  "ema-decay": { type: "string" }, ...DATA_FLAGS, out: { type: "string" }, resume: { type: "boolean" },
  "checkpoint-every": { type: "string" }, "sample-every": { type: "string" }, "keep-every": { type: "string" }, "stop-at": { type: "string" },
  threads: { type: "string" }, holdout: { type: "string" }, backend: { type: "string" },
} as const;

/** The flags that set the saved configuration, each with where its value lives in a TrainConfig. */
const CONFIG_FLAGS = {
  preset: null,
  channels: (c: TrainConfig) => c.model.channels,
  "res-layers": (c: TrainConfig) => c.model.numResidualLayers,
  batch: (c: TrainConfig) => c.batch,
  lr: (c: TrainConfig) => c.lr,
  "lr-schedule": (c: TrainConfig) => c.lrSchedule,
  "t-sampling": (c: TrainConfig) => c.timeSampling ?? UNIFORM_TIMES,
  eta: (c: TrainConfig) => c.eta,
  seed: (c: TrainConfig) => c.seed,
  "ema-decay": (c: TrainConfig) => c.emaDecay,
  data: (c: TrainConfig) => c.data,
  "image-size": (c: TrainConfig) => c.prepare?.size ?? 32,
  background: (c: TrainConfig) => c.prepare?.background.join() ?? "255,255,255",
  flip: (c: TrainConfig) => c.prepare?.flip ?? false,
  holdout: (c: TrainConfig) => c.holdout ?? null,
} as const;
type ConfigFlag = keyof typeof CONFIG_FLAGS;

/** A validated run description: the typed values of the flags, and which of them were given. */
export interface TrainOptions {
  config: TrainConfig;
  out: string;
  resume: boolean;
  sampleEvery: number;
  /** Keep a weights-only snapshot every N steps (0 = never). */
  keepEvery: number;
  /** Stop (with a checkpoint) at this global step; the run's plan is unchanged. */
  stopAt?: number;
  threads?: number;
  /** Flags given on the command line (by name, without --). */
  given: ReadonlySet<string>;
}

/** A flag's text through its parser, or undefined when not given; the parser's error names the flag. */
function flagValue<T>(flag: string, text: string | undefined, parse: (text: string) => T): T | undefined {
  if (text === undefined) return undefined;
  try {
    return parse(text);
  } catch (e) {
    throw new UsageError(`--${flag}: ${(e as Error).message}`);
  }
}

function presetFlag(name: string): TrainConfig {
  try {
    return preset(name);
  } catch (e) {
    throw new UsageError(`--preset: ${(e as Error).message}`);
  }
}

function configFromFlags(v: Flags): TrainConfig {
  // the preset's time distribution is replaced, not merged: --t-sampling uniform must drop demo's logit-normal
  const { timeSampling: presetTimes, ...base } = presetFlag(str(v["preset"]) ?? TRAIN_DEFAULTS.preset);
  const channels = numList("channels", v["channels"], { int: true, min: 1, max: 1024 });
  const levels = Math.log2(IMAGE.height) + 1; // each level after the first halves the image
  if (channels && channels.length > levels) throw new UsageError(`--channels gives ${channels.length} levels; ${IMAGE.height}×${IMAGE.height} images allow at most ${levels} (each level halves the image), e.g. 32,64,128`);
  const res = num("res-layers", v["res-layers"], { int: true, min: 1, max: 64 }); // t and y enter only through residual layers
  return {
    ...base,
    model: { ...base.model, ...(channels ? { channels } : {}), ...(res !== undefined ? { numResidualLayers: res } : {}) },
    steps: num("steps", v["steps"], { int: true, min: 1 }) ?? base.steps,
    batch: num("batch", v["batch"], { int: true, min: 2, max: 65536 }) ?? base.batch,
    lr: num("lr", v["lr"], { min: Number.MIN_VALUE }) ?? base.lr,
    lrSchedule: flagValue("lr-schedule", str(v["lr-schedule"]), parseSchedule) ?? base.lrSchedule,
    ...timeSamplingField(flagValue("t-sampling", str(v["t-sampling"]), parseTimeSampling) ?? presetTimes),
    eta: num("eta", v["eta"], { min: 0, max: 1 }) ?? base.eta,
    seed: seedFlag(v["seed"]) ?? base.seed,
    emaDecay: num("ema-decay", v["ema-decay"], { min: 0, max: 0.999999 }) ?? base.emaDecay,
    ...dataFlags(v, base.data),
    checkpointEvery: num("checkpoint-every", v["checkpoint-every"], { int: true, min: 1 }) ?? base.checkpointEvery,
    ...holdoutFlag(v),
  };
}

/** The config's timeSampling field: absent for uniform, so a uniform run's checkpoint reads as before. */
function timeSamplingField(t: TrainConfig["timeSampling"]): Pick<TrainConfig, "timeSampling"> {
  return t && t.kind !== "uniform" ? { timeSampling: t } : {};
}

/** --holdout F: the judge's hold-out (seed 0). */
function holdoutFlag(v: Flags): { holdout?: { fraction: number; seed: number } } {
  const fraction = num("holdout", v["holdout"], { min: 0.01, max: 0.9 });
  return fraction === undefined ? {} : { holdout: { fraction, seed: HOLDOUT_DEFAULTS.seed } };
}

/** Flags → a validated run description (no side effects). */
export function parseTrainFlags(argv: string[]): TrainOptions | "help" {
  const v = parse("train", argv, FLAGS);
  if (v["help"]) return "help";
  const given = new Set(Object.keys(v).filter((k) => v[k] !== undefined && k !== "verbose" && k !== "no-verify"));
  const config = configFromFlags(v);
  const threads = num("threads", v["threads"], { int: true, min: 1, max: 64 });
  const stopAt = num("stop-at", v["stop-at"], { int: true, min: 1 });
  const resume = v["resume"] === true;
  // a fresh run's data; on --resume the saved data counts, and a changed --holdout is refused once it is read
  if (config.holdout && !resume && hasTestSplit(config.data)) throw new UsageError(`--holdout: --data ${config.data} has its own test split, which training never sees; drop --holdout`);
  // on --resume the planned steps may come from the checkpoint: checked once it is read
  if (stopAt !== undefined && (!resume || given.has("steps")) && stopAt > config.steps) {
    throw new UsageError(`--stop-at ${stopAt} is beyond --steps ${config.steps}: the run would end at step ${config.steps} first`);
  }
  return {
    config,
    out: pathFlag("out", v["out"]) ?? path.join("runs", str(v["preset"]) ?? TRAIN_DEFAULTS.preset),
    resume,
    sampleEvery: num("sample-every", v["sample-every"], { int: true, min: 0 }) ?? TRAIN_DEFAULTS.sampleEvery,
    keepEvery: num("keep-every", v["keep-every"], { int: true, min: 0 }) ?? TRAIN_DEFAULTS.keepEvery,
    ...(stopAt !== undefined ? { stopAt } : {}),
    ...(threads !== undefined ? { threads } : {}),
    given,
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The given flags whose typed values differ from the saved configuration (what --resume cannot change). */
export function changedConfigFlags(o: TrainOptions, saved: TrainConfig): string[] {
  const changed = (flag: ConfigFlag): boolean => {
    const at = CONFIG_FLAGS[flag];
    if (at) return !same(at(o.config), at(saved));
    return Object.values(CONFIG_FLAGS).some((f) => f !== null && !same(f(o.config), f(saved)));
  };
  return (Object.keys(CONFIG_FLAGS) as ConfigFlag[]).filter((f) => o.given.has(f) && changed(f)).map((f) => `--${f}`);
}

type Run = LoopRun<CfgTrainer>;

interface Opened {
  trainer: CfgTrainer;
  /** The notes of the run resumed. */
  prev?: Record<string, string>;
}

function resumeRun(o: TrainOptions, ckptFile: string, logFile: string, log: (s: string) => void): Opened {
  if (!existsSync(ckptFile)) throw new UsageError(`--resume: no checkpoint at ${ckptFile}`);
  const state = readCheckpoint(ckptFile);
  if (!state.record) throw new UsageError(`--resume: ${ckptFile} holds weights only, no training state`);
  if (isDistillRecord(state.record)) throw new UsageError(`--resume: ${ckptFile} is a distillation run; continue it with flowlab distill --out ${o.out} --resume`);
  const saved: TrainConfig = { ...state.record.config, lrSchedule: (state.record.config.lrSchedule as TrainConfig["lrSchedule"] | undefined) ?? CONSTANT };
  const clash = changedConfigFlags(o, saved);
  if (clash.length) throw new UsageError(`--resume continues the saved configuration; drop ${clash.join(", ")} (only --steps, --checkpoint-every, --sample-every, --keep-every, --stop-at may change)`);
  const config: TrainConfig = {
    ...saved,
    steps: o.given.has("steps") ? o.config.steps : saved.steps,
    checkpointEvery: o.given.has("checkpoint-every") ? o.config.checkpointEvery : saved.checkpointEvery,
  };
  const step = state.record.step;
  if (config.steps < step) throw new UsageError(`--steps ${config.steps} is below the checkpoint's step ${step}`);
  if (o.stopAt !== undefined && (o.stopAt <= step || o.stopAt > config.steps)) {
    throw new UsageError(`--stop-at must be in ${step + 1}..${config.steps} (the checkpoint is at step ${step}), got ${o.stopAt}`);
  }
  const dropped = truncateLog(logFile, step);
  if (dropped) log(`${logFile}: removed ${dropped} line(s) after step ${step}, logged after the checkpoint before the run stopped`);
  const ds = datasetFor(config, log);
  const drift = dataDrift(config.model, fitModelToData(config.model, ds));
  if (drift.length) throw new UsageError(`--resume: --data ${config.data} no longer matches the checkpoint's model (${drift.join("; ")})`);
  const trainer = new CfgTrainer(config, ds, state);
  log(`resuming ${ckptFile} at step ${trainer.step} of ${config.steps}`);
  return { trainer, ...(state.record.notes ? { prev: state.record.notes } : {}) };
}

function freshRun(o: TrainOptions, ckptFile: string, logFile: string, log: (s: string) => void): Opened {
  if (existsSync(ckptFile)) throw new UsageError(`${ckptFile} exists: pass --resume to continue it, or choose another --out`);
  restartKilledRun(logFile, log);
  const ds = datasetFor(o.config, log);
  const c: TrainConfig = { ...o.config, model: fitModelToData(o.config.model, ds) };
  const trainer = new CfgTrainer(c, ds);
  const nParams = [...trainer.params.values()].reduce((a, p) => a + p.size, 0);
  log(`training ${JSON.stringify(c.model.channels)} × ${c.model.numResidualLayers} res layers (${(nParams / 1e6).toFixed(2)} M parameters), batch ${c.batch}, ${c.steps} steps → ${o.out}`);
  return { trainer };
}

function datasetFor(c: TrainConfig, log: (s: string) => void) {
  const all = loadDataFlag(c.data, "train", c.prepare, log);
  const ds = c.holdout ? trainingPart(all, c.holdout) : all;
  if (c.holdout) log(`holding out ${Math.round(c.holdout.fraction * 100)} % per class (seed ${c.holdout.seed}): training on ${ds.count} of ${all.count} images`);
  if (c.batch > ds.count) throw new UsageError(`--batch ${c.batch} is larger than the ${ds.count} training images of --data ${c.data}`);
  return ds;
}

/** The judge's training split of the data; a class too small to split is named with the flag. */
function trainingPart(all: ImageDataset, h: { fraction: number; seed: number }): ImageDataset {
  try {
    return holdOut(all, h.fraction, h.seed).train;
  } catch (e) {
    throw new UsageError(`--holdout ${h.fraction}: ${(e as Error).message}`);
  }
}

/** Opens the run: a fresh trainer or the resumed one, after clearing leftovers of a killed run. */
function openRun(o: TrainOptions, argv: readonly string[], log: (s: string) => void): Run {
  const ckptFile = path.join(o.out, "checkpoint.safetensors");
  const logFile = path.join(o.out, "log.jsonl");
  claimRunFolder(o.out, `flowlab train ${argv.join(" ")}`.trim(), log);
  const { trainer, prev } = o.resume ? resumeRun(o, ckptFile, logFile, log) : freshRun(o, ckptFile, logFile, log);
  return openedRun(trainer, { ckptFile, logFile }, `flowlab train ${argv.join(" ")}`.trim(), prev, o.resume, log);
}

async function sampleGrid(trainer: CfgTrainer, file: string): Promise<void> {
  const net = samplingNet(trainer.state());
  try {
    const K = net.config.numClasses;
    const grid = { classes: Array.from({ length: K + 1 }, (_, c) => c), perClass: 6, w: 3, steps: 5, solver: "midpoint" as const };
    const g = generate(net, { ...grid, seed: 1 });
    const images = g.images.toFloat32Array(); // [(K + 1)·6, C, S, S]
    const look = { size: g.images.shape[2]!, channels: g.images.shape[1]!, ...(net.config.classNames ? { classNames: net.config.classNames } : {}) };
    g.images.dispose();
    writeFileAtomic(file, await svgToPng(trainingGridFigure({ ...grid, images, step: trainer.step, totalSteps: trainer.config.steps, numClasses: K, ...look })));
  } finally {
    if (net !== trainer.net) T.disposeAll(net.params);
  }
}

/** A finished run's grid of its final model, rows labelled by class, unless --sample-every drew it already. */
async function finalGrid(o: TrainOptions, trainer: CfgTrainer, log: (s: string) => void): Promise<void> {
  const file = path.join(o.out, "samples", `step-${String(trainer.step).padStart(6, "0")}.png`);
  if (o.sampleEvery > 0 && trainer.step % o.sampleEvery === 0 && existsSync(file)) return;
  await sampleGrid(trainer, file);
  log(`wrote ${file}: samples of the final model, a row per class`);
}

export async function trainCommand(argv: string[], log: (s: string) => void): Promise<number> {
  const o = parseTrainFlags(argv);
  if (o === "help") {
    log(TRAIN_HELP);
    return 0;
  }
  try {
    const r = openInFolder(o.out, () => openRun(o, argv, log));
    const outcome = await trainLoop(o, r, SAMPLES_PER_S, "training", sampleGrid);
    if (!outcome.signal && r.trainer.step === r.trainer.config.steps) await finalGrid(o, r.trainer, log);
    return reportOutcome("train", outcome, r, o.out, log);
  } finally {
    releaseRunLocks();
  }
}
