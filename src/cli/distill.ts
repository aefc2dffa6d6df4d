// flowlab distill: a few-step student (w and step-size inputs) from a CFG teacher, with a progress bar,
// JSONL loss log, sample grids, atomic checkpoints every N steps and on Ctrl-C/SIGTERM, and bit-identical --resume.
import { existsSync } from "node:fs";
import { createHash } from "node:crypto";
import path from "node:path";
import * as T from "../tensor/index.js";
import { parse, num, numList, str, UsageError, type Flags, seedFlag, pathFlag } from "./args.js";
import { parseSchedule } from "../train/schedule.js";
import { releaseRunLocks } from "../io/run-lock.js";
import { openInFolder, claimRunFolder, openedRun, reportOutcome, trainLoop, SECONDS_PER_STEP, type LoopRun } from "./train-loop.js";
import { DistillTrainer, isDistillRecord, studentConfig } from "../train/distill.js";
import { DISTILL_DEFAULTS, type DistillConfig, type DistillMethod } from "../train/distill-config.js";
import { loadDataFlag } from "./data-flags.js";
import { modelImageShape } from "../nn/config.js";
import { fitModelToData, dataDrift } from "../train/fit-data.js";
import type { TrainConfig } from "../train/presets.js";
import type { ImageDataset } from "../data/dataset.js";
import { readCheckpoint, verifyingChecksums } from "./ckpt-io.js";
import { readCheckpointBytes } from "../train/checkpoint-file.js";
import { ensureReadableFile } from "./writable.js";
import { decodeCheckpoint, samplingNet } from "../train/checkpoint.js";
import { generate } from "../sample/generate.js";
import { fewStepGridFigure } from "../viz/lab-figures.js";
import { svgToPng } from "../viz/raster.js";
import { writeFileAtomic } from "../io/atomic.js";
import { truncateLog, restartKilledRun } from "./run-log.js";
import { defaultModel } from "../io/package-files.js";
import type { UNet } from "../nn/unet.js";

const D = DISTILL_DEFAULTS;

export const DISTILL_HELP = `flowlab distill [flags]   a few-step model (1, 2, 4 network evaluations) with guidance w as an input
  --method trajectory|shortcut   trajectory (default): regress chords of the teacher's guided ODE solves;
                         shortcut: teacher velocity at d = 0 plus step-size self-consistency
  --teacher FILE         CFG model to distil (default: the shipped models/mnist-cfg.safetensors)
  --w-range LO,HI        guidance scales to train over, w ~ U[LO, HI] (default ${D.wMin},${D.wMax}); the
                         model rejects w outside it
  --teacher-steps N      teacher midpoint steps per trajectory (default ${D.teacherSteps}, a multiple of 4)
  --steps N --batch N --lr X --lr-schedule S --ema-decay X --seed N
                         (defaults ${D.steps}, trajectory ${D.batch.trajectory} solves (5 rows each) / shortcut ${D.batch.shortcut} rows, ${D.lr}, cosine:${D.lrSchedule.warmup}:${D.lrSchedule.floor}, ${D.emaDecay}, ${D.seed})
  --out DIR              run folder: checkpoint.safetensors, log.jsonl, samples/ (default runs/distill-<method>)
  --resume               continue the run in --out (bit-identical); only --steps, --checkpoint-every,
                         --sample-every, --stop-at may be given again
  --checkpoint-every N   (default ${D.checkpointEvery})   --sample-every N   grid PNG every N steps (0 = never)
  --stop-at STEP         checkpoint and stop at global step STEP; continue later with --resume
  --threads N`;

const FLAGS = {
  method: { type: "string" }, teacher: { type: "string" }, "w-range": { type: "string" }, "teacher-steps": { type: "string" },
  steps: { type: "string" }, batch: { type: "string" }, lr: { type: "string" }, "lr-schedule": { type: "string" },
  "ema-decay": { type: "string" }, seed: { type: "string" }, out: { type: "string" }, resume: { type: "boolean" },
  "checkpoint-every": { type: "string" }, "sample-every": { type: "string" }, "stop-at": { type: "string" }, threads: { type: "string" },
} as const;

/** Flags a resumed run may change; every other configuration flag is fixed by the checkpoint. */
const RESUMABLE = new Set(["steps", "checkpoint-every", "sample-every", "stop-at", "threads", "out", "resume"]);

export interface DistillOptions {
  method: DistillMethod;
  teacher: string;
  wRange: [number, number];
  teacherSteps: number;
  steps: number;
  batch: number;
  lr: number;
  lrSchedule: DistillConfig["lrSchedule"];
  emaDecay: number;
  seed: number;
  out: string;
  resume: boolean;
  checkpointEvery: number;
  sampleEvery: number;
  stopAt?: number;
  given: ReadonlySet<string>;
}

function method(v: Flags): DistillMethod {
  const m = str(v["method"]) ?? D.method;
  if (m !== "trajectory" && m !== "shortcut") throw new UsageError(`--method must be trajectory or shortcut, got "${m}"`);
  return m;
}

/** Flags → validated options (no side effects). */
export function parseDistillFlags(argv: string[]): DistillOptions | "help" {
  const v = parse("distill", argv, FLAGS);
  if (v["help"]) return "help";
  const given = new Set(Object.keys(v).filter((k) => v[k] !== undefined && k !== "verbose" && k !== "no-verify"));
  const m = method(v);
  const range = numList("w-range", v["w-range"], { min: -100, max: 100 }) ?? [D.wMin, D.wMax];
  if (range.length !== 2 || !(range[0]! < range[1]!)) throw new UsageError(`--w-range must be two numbers LO,HI with LO < HI, got "${String(v["w-range"])}"`);
  let lrSchedule: DistillConfig["lrSchedule"] = { ...D.lrSchedule } as DistillConfig["lrSchedule"];
  if (v["lr-schedule"] !== undefined) {
    try {
      lrSchedule = parseSchedule(String(v["lr-schedule"]));
    } catch (e) {
      throw new UsageError(`--lr-schedule: ${(e as Error).message}`);
    }
  }
  const teacherSteps = num("teacher-steps", v["teacher-steps"], { int: true, min: 4, max: 1000 }) ?? D.teacherSteps;
  if (teacherSteps % 4 !== 0) throw new UsageError(`--teacher-steps must be a multiple of 4 (the student's 4-step grid), got ${teacherSteps}`);
  const steps = num("steps", v["steps"], { int: true, min: 1 }) ?? D.steps;
  const stopAt = num("stop-at", v["stop-at"], { int: true, min: 1 });
  const resume = v["resume"] === true;
  if (stopAt !== undefined && (!resume || given.has("steps")) && stopAt > steps) throw new UsageError(`--stop-at ${stopAt} is beyond --steps ${steps}`);
  return {
    method: m,
    teacher: str(v["teacher"]) ?? defaultModel,
    wRange: [range[0]!, range[1]!],
    teacherSteps,
    steps,
    batch: num("batch", v["batch"], { int: true, min: 2, max: 4096 }) ?? D.batch[m],
    lr: num("lr", v["lr"], { min: Number.MIN_VALUE }) ?? D.lr,
    lrSchedule,
    emaDecay: num("ema-decay", v["ema-decay"], { min: 0, max: 0.999999 }) ?? D.emaDecay,
    seed: seedFlag(v["seed"]) ?? D.seed,
    out: pathFlag("out", v["out"]) ?? path.join("runs", `distill-${m}`),
    resume,
    checkpointEvery: num("checkpoint-every", v["checkpoint-every"], { int: true, min: 1 }) ?? D.checkpointEvery,
    sampleEvery: num("sample-every", v["sample-every"], { int: true, min: 0 }) ?? 0,
    ...(stopAt !== undefined ? { stopAt } : {}),
    given,
  };
}

/** The teacher's sampling weights and the SHA-256 of its file. */
/** The shortcut method's real data: the teacher's training data, checked against the teacher's architecture. */
function shortcutData(c: Pick<TrainConfig, "data" | "prepare">, teacher: UNet, log: (s: string) => void): ImageDataset {
  const ds = loadDataFlag(c.data, "train", c.prepare, log);
  const drift = dataDrift(teacher.config, fitModelToData(teacher.config, ds));
  if (drift.length) throw new UsageError(`the teacher's data ${c.data} no longer matches the teacher (${drift.join("; ")})`);
  return ds;
}

/** The data a teacher was trained on (its record's spec and preparation), MNIST when it has no record. */
function teacherData(state: ReturnType<typeof decodeCheckpoint>): Pick<TrainConfig, "data" | "prepare"> {
  const c = state.record?.config as Partial<TrainConfig> | undefined;
  return { data: typeof c?.data === "string" ? c.data : "mnist", ...(c?.prepare ? { prepare: c.prepare } : {}) };
}

function loadTeacher(file: string): { net: UNet; sha: string; data: Pick<TrainConfig, "data" | "prepare"> } {
  ensureReadableFile(file, "--teacher", "checkpoint");
  const bytes = readCheckpointBytes(file);
  const state = decodeCheckpoint(bytes, file, { verify: verifyingChecksums() });
  if (state.net.config.fewStep) throw new UsageError(`--teacher ${file} is a few-step model; distil from a flow-matching (CFG) checkpoint`);
  const net = samplingNet(state);
  if (net !== state.net) T.disposeAll(state.net.params);
  T.disposeAll([state.ema, state.adam]);
  return { net, sha: createHash("sha256").update(bytes).digest("hex"), data: teacherData(state) };
}

function configOf(o: DistillOptions, teacher: UNet, sha: string, data: Pick<TrainConfig, "data" | "prepare">): DistillConfig {
  return {
    model: studentConfig(teacher.config, { wMin: o.wRange[0], wMax: o.wRange[1], steps: [...D.studentSteps] }),
    steps: o.steps, batch: o.batch, lr: o.lr, lrSchedule: o.lrSchedule, eta: D.eta, seed: o.seed, emaDecay: o.emaDecay,
    ...data, checkpointEvery: o.checkpointEvery,
    method: o.method, teacher: o.teacher, teacherSha256: sha, teacherSteps: o.teacherSteps,
  };
}

type Run = LoopRun<DistillTrainer>;

function openRun(o: DistillOptions, argv: readonly string[], log: (s: string) => void): Run {
  const ckptFile = path.join(o.out, "checkpoint.safetensors");
  const logFile = path.join(o.out, "log.jsonl");
  claimRunFolder(o.out, `flowlab distill ${argv.join(" ")}`.trim(), log);
  let trainer: DistillTrainer;
  let prev: Record<string, string> | undefined;
  if (o.resume) {
    if (!existsSync(ckptFile)) throw new UsageError(`--resume: no checkpoint at ${ckptFile}`);
    const clash = [...o.given].filter((f) => !RESUMABLE.has(f));
    if (clash.length) throw new UsageError(`--resume continues the saved configuration; drop --${clash.join(", --")} (only --steps, --checkpoint-every, --sample-every, --stop-at may change)`);
    const state = readCheckpoint(ckptFile);
    if (!isDistillRecord(state.record)) throw new UsageError(`--resume: ${ckptFile} is not a distillation run (continue a training run with flowlab train --resume)`);
    const saved = state.record.config;
    const { net: teacher, sha } = loadTeacher(saved.teacher);
    if (sha !== saved.teacherSha256) throw new UsageError(`--resume: the teacher ${saved.teacher} changed since the run started (SHA-256 differs); the run cannot continue bit for bit`);
    const config: DistillConfig = { ...saved, steps: o.given.has("steps") ? o.steps : saved.steps, checkpointEvery: o.given.has("checkpoint-every") ? o.checkpointEvery : saved.checkpointEvery };
    const step = state.record.step;
    if (config.steps < step) throw new UsageError(`--steps ${config.steps} is below the checkpoint's step ${step}`);
    if (o.stopAt !== undefined && (o.stopAt <= step || o.stopAt > config.steps)) throw new UsageError(`--stop-at must be in ${step + 1}..${config.steps} (the checkpoint is at step ${step}), got ${o.stopAt}`);
    const dropped = truncateLog(logFile, step);
    if (dropped) log(`${logFile}: removed ${dropped} line(s) after step ${step}, logged after the checkpoint before the run stopped`);
    trainer = new DistillTrainer(config, teacher, config.method === "shortcut" ? shortcutData(config, teacher, log) : null, state);
    prev = state.record.notes;
    log(`resuming ${ckptFile} at step ${trainer.step} of ${config.steps}`);
  } else {
    if (existsSync(ckptFile)) throw new UsageError(`${ckptFile} exists: pass --resume to continue it, or choose another --out`);
    restartKilledRun(logFile, log);
    const { net: teacher, sha, data } = loadTeacher(o.teacher);
    const config = configOf(o, teacher, sha, data);
    trainer = new DistillTrainer(config, teacher, o.method === "shortcut" ? shortcutData(config, teacher, log) : null);
    log(`distilling ${o.teacher} by the ${o.method} method: w ~ U[${o.wRange.join(", ")}], steps ${D.studentSteps.join(", ")}, batch ${o.batch}, ${o.steps} steps → ${o.out}`);
  }
  return openedRun(trainer, { ckptFile, logFile }, `flowlab distill ${argv.join(" ")}`.trim(), prev, o.resume, log);
}

/** The grid: w = 3 (inside the range, else its middle), one panel per step count, the same noise. */
async function sampleGrid(trainer: DistillTrainer, file: string): Promise<void> {
  const net = samplingNet(trainer.state());
  try {
    const f = net.config.fewStep!;
    const w = f.wMin <= 3 && 3 <= f.wMax ? 3 : (f.wMin + f.wMax) / 2;
    const classes = Array.from({ length: net.config.numClasses + 1 }, (_, i) => i), perClass = 6;
    const [, C, S] = modelImageShape(net.config, 1) as [number, number, number];
    const look = { channels: C, size: S, ...(net.config.classNames ? { classNames: net.config.classNames } : {}) };
    const images = f.steps.map((steps) => {
      const g = generate(net, { classes, perClass, w, steps, seed: 1 });
      const a = g.images.toFloat32Array(); // [(K + 1)·6, C, S, S]
      g.images.dispose();
      return a;
    });
    writeFileAtomic(file, await svgToPng(fewStepGridFigure({ images, stepCounts: f.steps, step: trainer.step, totalSteps: trainer.config.steps, w, classes, numClasses: net.config.numClasses, perClass, ...look })));
  } finally {
    if (net !== trainer.net) T.disposeAll(net.params);
  }
}

export async function distillCommand(argv: string[], log: (s: string) => void): Promise<number> {
  const o = parseDistillFlags(argv);
  if (o === "help") {
    log(DISTILL_HELP);
    return 0;
  }
  try {
    const r = openInFolder(o.out, () => openRun(o, argv, log));
    return reportOutcome("distill", await trainLoop(o, r, SECONDS_PER_STEP, "distillation", sampleGrid), r, o.out, log);
  } finally {
    releaseRunLocks();
  }
}
