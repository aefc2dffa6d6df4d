// flowlab train: CFG flow matching on MNIST (or any IDX data) with a progress bar, JSONL loss log,
// sample grids, atomic checkpoints every N steps and on Ctrl-C/SIGTERM, and bit-identical --resume.
import { appendFileSync, existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { progressBar } from "./progress.js";
import * as T from "../tensor/index.js";
import { parse, num, numList, str, UsageError } from "./args.js";
import { preset, type TrainConfig } from "../train/presets.js";
import { parseSchedule, CONSTANT } from "../train/schedule.js";
import { CfgTrainer, NonFiniteLossError } from "../train/trainer.js";
import { loadDataset } from "../data/load.js";
import { readCheckpoint, writeCheckpoint } from "./ckpt-io.js";
import { ensureWritableDir } from "./writable.js";
import { samplingNet } from "../train/checkpoint.js";
import { generate } from "../sample/generate.js";
import { trainingGridFigure } from "../viz/lab-figures.js";
import { svgToPng } from "../viz/raster.js";
import { writeFileAtomic } from "../io/atomic.js";

export const TRAIN_HELP = `flowlab train [flags]
  --preset quick|lab     starting point (default quick); every field below overrides it
  --steps N --batch N --lr X --eta X --channels 32,64,128 --res-layers N
  --lr-schedule S        constant, or cosine[:WARMUP[:FLOOR]] (linear warm-up, cosine decay to FLOOR × lr)
  --seed N --ema-decay X --data mnist|idx:DIR
  --out DIR              run folder: checkpoint.safetensors, log.jsonl, samples/ (default runs/<preset>)
  --resume               continue the run in --out from its checkpoint (bit-identical)
  --checkpoint-every N   steps between checkpoints (default from the preset)
  --sample-every N       write a sample grid PNG every N steps (0 = never)
  --stop-at STEP         checkpoint and stop at global step STEP, keeping the planned --steps
                         (and its lr schedule); continue later with --resume
  --threads N            engine threads (default: all cores)`;

const FLAGS = {
  preset: { type: "string" }, steps: { type: "string" }, batch: { type: "string" }, lr: { type: "string" }, "lr-schedule": { type: "string" },
  eta: { type: "string" }, channels: { type: "string" }, "res-layers": { type: "string" }, seed: { type: "string" },
  "ema-decay": { type: "string" }, data: { type: "string" }, out: { type: "string" }, resume: { type: "boolean" },
  "checkpoint-every": { type: "string" }, "sample-every": { type: "string" }, "stop-at": { type: "string" }, threads: { type: "string" },
} as const;

export interface TrainRun {
  config: TrainConfig;
  out: string;
  resume: boolean;
  sampleEvery: number;
  /** Stop (with a checkpoint) at this global step; the run's plan is unchanged. */
  stopAt?: number;
}

/** Flags → a validated run description (no side effects). */
export function trainRunFromArgs(argv: string[]): TrainRun & { threads?: number; help: boolean } {
  const v = parse("train", argv, FLAGS);
  const base = preset(str(v["preset"]) ?? "quick");
  const channels = numList("channels", v["channels"], { int: true, min: 1 });
  const res = num("res-layers", v["res-layers"], { int: true, min: 0 });
  const config: TrainConfig = {
    ...base,
    model: { ...base.model, ...(channels ? { channels } : {}), ...(res !== undefined ? { numResidualLayers: res } : {}) },
    steps: num("steps", v["steps"], { int: true, min: 0 }) ?? base.steps,
    batch: num("batch", v["batch"], { int: true, min: 2 }) ?? base.batch,
    lr: num("lr", v["lr"], { min: Number.MIN_VALUE }) ?? base.lr,
    lrSchedule: schedule(str(v["lr-schedule"])) ?? base.lrSchedule,
    eta: num("eta", v["eta"], { min: 0, max: 1 }) ?? base.eta,
    seed: num("seed", v["seed"], { int: true }) ?? base.seed,
    emaDecay: num("ema-decay", v["ema-decay"], { min: 0, max: 0.999999 }) ?? base.emaDecay,
    data: str(v["data"]) ?? base.data,
    checkpointEvery: num("checkpoint-every", v["checkpoint-every"], { int: true, min: 1 }) ?? base.checkpointEvery,
  };
  const threads = num("threads", v["threads"], { int: true, min: 1, max: 64 });
  const stopAt = num("stop-at", v["stop-at"], { int: true, min: 1 });
  return {
    ...(stopAt !== undefined ? { stopAt } : {}),
    config,
    out: str(v["out"]) ?? path.join("runs", str(v["preset"]) ?? "quick"),
    resume: v["resume"] === true,
    sampleEvery: num("sample-every", v["sample-every"], { int: true, min: 0 }) ?? 0,
    ...(threads !== undefined ? { threads } : {}),
    help: v["help"] === true,
  };
}

function schedule(text: string | undefined) {
  if (text === undefined) return undefined;
  try {
    return parseSchedule(text);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

async function sampleGrid(trainer: CfgTrainer, file: string): Promise<void> {
  const net = samplingNet(trainer.state());
  try {
    const grid = { classes: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], perClass: 6, w: 3, steps: 5, solver: "midpoint" as const };
    const g = generate(net, { ...grid, seed: 1 });
    const images = g.images.toFloat32Array();
    g.images.dispose();
    writeFileAtomic(file, await svgToPng(trainingGridFigure({ ...grid, images, step: trainer.step, totalSteps: trainer.config.steps, numClasses: net.config.numClasses })));
  } finally {
    if (net !== trainer.net) T.disposeAll(net.params);
  }
}

export async function trainCommand(argv: string[], log: (s: string) => void): Promise<number> {
  const run = trainRunFromArgs(argv);
  if (run.help) {
    log(TRAIN_HELP);
    return 0;
  }
  const ckptFile = path.join(run.out, "checkpoint.safetensors");
  const logFile = path.join(run.out, "log.jsonl");
  ensureWritableDir(run.out, "run folder");
  let trainer: CfgTrainer;
  let prev: Record<string, string> | undefined;
  if (run.resume) {
    if (!existsSync(ckptFile)) throw new UsageError(`--resume: no checkpoint at ${ckptFile}`);
    const state = readCheckpoint(ckptFile);
    if (!state.record) throw new UsageError(`--resume: ${ckptFile} holds weights only, no training state`);
    const architectureFlags = ["--channels", "--res-layers", "--batch", "--lr", "--lr-schedule", "--eta", "--seed", "--ema-decay", "--data", "--preset"];
    const clash = argv.filter((a) => architectureFlags.includes(a.split("=")[0]!));
    if (clash.length) throw new UsageError(`--resume continues the saved configuration; drop ${clash.join(", ")} (only --steps, --checkpoint-every, --sample-every may change)`);
    const config = { ...state.record.config, lrSchedule: (state.record.config.lrSchedule as TrainConfig["lrSchedule"] | undefined) ?? CONSTANT, steps: argv.some((a) => a.startsWith("--steps")) ? run.config.steps : state.record.config.steps, checkpointEvery: argv.some((a) => a.startsWith("--checkpoint-every")) ? run.config.checkpointEvery : state.record.config.checkpointEvery };
    trainer = new CfgTrainer(config, loadDataset(config.data, "train"), state);
    prev = state.record.notes;
    log(`resuming ${ckptFile} at step ${trainer.step} of ${config.steps}`);
  } else {
    if (existsSync(ckptFile)) throw new UsageError(`${ckptFile} exists: pass --resume to continue it, or choose another --out`);
    trainer = new CfgTrainer(run.config, loadDataset(run.config.data, "train"));
    const nParams = [...trainer.params.values()].reduce((a, p) => a + p.size, 0);
    log(`training ${JSON.stringify(run.config.model.channels)} × ${run.config.model.numResidualLayers} res layers (${(nParams / 1e6).toFixed(2)} M parameters), batch ${run.config.batch}, ${run.config.steps} steps → ${run.out}`);
  }
  const config = trainer.config;
  const notes: Record<string, string> = { command: prev?.["command"] ?? `flowlab train ${argv.join(" ")}`.trim(), resumed: String(Number(prev?.["resumed"] ?? (run.resume ? 0 : -1)) + 1), machine: `${os.cpus()[0]?.model ?? "cpu"} × ${T.engine().threads} threads, ${os.platform()} ${os.arch()}, node ${process.version}` };
  const save = () => writeCheckpoint(ckptFile, trainer.state(notes));
  let stop: string | null = null;
  const onSignal = (sig: string) => () => {
    stop = sig;
  };
  const sigint = onSignal("SIGINT"), sigterm = onSignal("SIGTERM");
  process.on("SIGINT", sigint);
  process.on("SIGTERM", sigterm);
  const bar = progressBar("step {value}/{total} |{bar}| loss {loss} | {sps} samples/s | ETA {eta_formatted}");
  bar.start(config.steps, trainer.step, { loss: "—", sps: "—" });
  let smooth: number | null = null;
  const t0 = performance.now();
  const startStep = trainer.step;
  try {
    const last = Math.min(config.steps, run.stopAt ?? Infinity);
    while (trainer.step < last && !stop) {
      let r;
      try {
        r = trainer.trainStep();
      } catch (e) {
        if (e instanceof NonFiniteLossError) {
          bar.stop();
          throw new Error(`${e.message}. The last good checkpoint (${existsSync(ckptFile) ? ckptFile : "none yet"}) was kept; lower --lr and --resume.`);
        }
        throw e;
      }
      smooth = smooth === null ? r.loss : 0.95 * smooth + 0.05 * r.loss;
      const sps = ((trainer.step - startStep) * config.batch) / ((performance.now() - t0) / 1000);
      appendFileSync(logFile, JSON.stringify({ step: r.step, loss: r.loss, smoothed: smooth, samples_per_s: sps, seconds: trainer.seconds }) + "\n");
      bar.tick(trainer.step, { loss: smooth.toFixed(1), sps: sps.toFixed(1) });
      if (trainer.step % config.checkpointEvery === 0) save();
      if (run.sampleEvery > 0 && trainer.step % run.sampleEvery === 0) await sampleGrid(trainer, path.join(run.out, "samples", `step-${String(trainer.step).padStart(6, "0")}.png`));
      await new Promise((res) => setImmediate(res)); // let Ctrl-C / SIGTERM handlers run
    }
  } finally {
    bar.stop();
    process.off("SIGINT", sigint);
    process.off("SIGTERM", sigterm);
  }
  save();
  if (stop) {
    log(`${stop}: checkpoint saved at step ${trainer.step} → ${ckptFile}; continue with: flowlab train --out ${run.out} --resume`);
    return stop === "SIGINT" ? 130 : 143;
  }
  if (trainer.step < config.steps) {
    log(`stopped at step ${trainer.step} of ${config.steps} (--stop-at) → ${ckptFile}; continue with: flowlab train --out ${run.out} --resume`);
    return 0;
  }
  log(`done: step ${trainer.step}, smoothed loss ${smooth?.toFixed(2) ?? "—"}, ${trainer.seconds.toFixed(0)} s of training → ${ckptFile}`);
  return 0;
}
