// The loop `flowlab train` and `flowlab distill` share: step, log a JSON line, move the progress bar,
// checkpoint every N steps, draw a sample grid every M, stop on SIGINT/SIGTERM or --stop-at, checkpoint.
import { appendFileSync, existsSync, rmdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import * as T from "../tensor/index.js";
import { removeStaleTemps } from "../io/atomic.js";
import { lockRunFolder, releaseRunLocks } from "../io/run-lock.js";
import { ensureWritableDir } from "./writable.js";
import { NonFiniteLossError, type ModelTrainer, type StepResult } from "../train/model-trainer.js";
import { writeCheckpoint } from "./ckpt-io.js";
import { progressBar } from "./progress.js";
import { OutputError } from "../io/errors.js";
import { describeFsError } from "../io/output-path.js";

/** A run being trained: its trainer, the notes its checkpoints carry, and its two files. */
export interface LoopRun<Tr extends ModelTrainer> {
  trainer: Tr;
  notes: Record<string, string>;
  ckptFile: string;
  logFile: string;
}

/**
 * A run ready for the loop: removes the temporary files a killed run left beside its checkpoint and
 * log, and makes the notes its checkpoints carry (the first command, how often it was resumed, the machine).
 */
export function openedRun<Tr extends ModelTrainer>(
  trainer: Tr, files: { ckptFile: string; logFile: string }, command: string, prev: Record<string, string> | undefined, resumed: boolean, log: (s: string) => void,
): LoopRun<Tr> {
  const stale = [...removeStaleTemps(files.ckptFile), ...removeStaleTemps(files.logFile)];
  if (stale.length) log(`removed ${stale.length} unfinished write(s) left by a killed run: ${stale.join(", ")}`);
  const machine = `${os.cpus()[0]?.model ?? "cpu"} × ${T.engine().threads} threads, ${os.platform()} ${os.arch()}, node ${process.version}`;
  const notes = { command: prev?.["command"] ?? command, resumed: String(Number(prev?.["resumed"] ?? (resumed ? 0 : -1)) + 1), machine };
  return { trainer, notes, ...files };
}

/** Makes the run folder (or checks it is writable) and takes its lock: a second trainer in it stops with one line. */
export function claimRunFolder(dir: string, command: string, log: (s: string) => void): void {
  ensureWritableDir(dir, "run folder");
  lockRunFolder(dir, command, log);
}

/**
 * Opens a run in `dir`. If opening fails (a missing teacher, bad data, …), the folders it created for
 * the run are removed again, deepest first and only while empty: a failed command leaves nothing behind.
 */
export function openInFolder<R>(dir: string, open: () => R): R {
  const created: string[] = [];
  for (let d = path.resolve(dir); !existsSync(d); d = path.dirname(d)) created.push(d);
  try {
    return open();
  } catch (e) {
    releaseRunLocks();
    for (const d of created) {
      try {
        rmdirSync(d);
      } catch {
        break; // not empty (or gone): keep it and its parents
      }
    }
    throw e;
  }
}

/**
 * How the loop runs: where to stop, a sample grid every `sampleEvery` steps (0 = never) into `out`/samples,
 * and a kept snapshot every `keepEvery` steps (0 = never) into `out`/snapshots, for a time-to-quality curve.
 */
export interface LoopOptions {
  out: string;
  stopAt?: number;
  sampleEvery: number;
  keepEvery?: number;
}

/** A kept snapshot's file: the EMA weights and the run's record at `step`, never overwritten by later steps. */
export function snapshotFile(out: string, step: number): string {
  return path.join(out, "snapshots", `step-${String(step).padStart(6, "0")}.safetensors`);
}

/** The speed the bar and the log report: samples/s for training, seconds per step for distillation. */
export interface LoopSpeed {
  /** The bar's unit and the log's key. */
  unit: string;
  key: string;
  digits: number;
  value: (steps: number, seconds: number, batch: number) => number;
}

export const SAMPLES_PER_S: LoopSpeed = { unit: "samples/s", key: "samples_per_s", digits: 1, value: (steps, seconds, batch) => (steps * batch) / seconds };
export const SECONDS_PER_STEP: LoopSpeed = { unit: "s/step", key: "seconds_per_step", digits: 2, value: (steps, seconds) => seconds / steps };

/** How the loop ended: the signal that stopped it (if any) and the smoothed loss. */
export interface Outcome {
  signal: string | null;
  smoothed: number | null;
}

function appendLog(file: string, line: object, what: string): void {
  try {
    appendFileSync(file, JSON.stringify(line) + "\n");
  } catch (e) {
    throw new OutputError(file, `${what} log: ${describeFsError(e)}`);
  }
}

function step(r: LoopRun<ModelTrainer>): StepResult {
  try {
    return r.trainer.trainStep();
  } catch (e) {
    if (!(e instanceof NonFiniteLossError)) throw e;
    throw new Error(`${e.message}. The last good checkpoint (${existsSync(r.ckptFile) ? r.ckptFile : "none yet"}) was kept; lower --lr and --resume.`);
  }
}

/** Trains until the configured steps, --stop-at or a signal; `what` names the run in errors ("training", "distillation"). */
export async function trainLoop<Tr extends ModelTrainer>(
  o: LoopOptions, r: LoopRun<Tr>, speed: LoopSpeed, what: string, sampleGrid: (trainer: Tr, file: string) => Promise<void>,
): Promise<Outcome> {
  const { trainer } = r;
  const config = trainer.config;
  let signal: string | null = null;
  const onSignal = (sig: string) => () => void (signal = sig);
  const sigint = onSignal("SIGINT"), sigterm = onSignal("SIGTERM");
  process.on("SIGINT", sigint);
  process.on("SIGTERM", sigterm);
  const bar = progressBar(`step {value}/{total} |{bar}| loss {loss} | {sps} ${speed.unit} | ETA {eta_formatted}`);
  bar.start(config.steps, trainer.step, { loss: "—", sps: "—" });
  let smoothed: number | null = null;
  const t0 = performance.now(), startStep = trainer.step;
  try {
    const last = Math.min(config.steps, o.stopAt ?? Infinity);
    while (trainer.step < last && !signal) {
      const s = step(r);
      smoothed = smoothed === null ? s.loss : 0.95 * smoothed + 0.05 * s.loss;
      const sps = speed.value(trainer.step - startStep, (performance.now() - t0) / 1000, config.batch);
      appendLog(r.logFile, { step: s.step, loss: s.loss, smoothed, [speed.key]: sps, seconds: trainer.seconds }, what);
      bar.tick(trainer.step, { loss: smoothed.toFixed(1), sps: sps.toFixed(speed.digits) });
      if (trainer.step % config.checkpointEvery === 0) writeCheckpoint(r.ckptFile, trainer.state(r.notes));
      if (o.keepEvery && trainer.step % o.keepEvery === 0) writeCheckpoint(snapshotFile(o.out, trainer.step), trainer.state(r.notes), { weightsOnly: true });
      if (o.sampleEvery > 0 && trainer.step % o.sampleEvery === 0) await sampleGrid(trainer, path.join(o.out, "samples", `step-${String(trainer.step).padStart(6, "0")}.png`));
      await new Promise((res) => setImmediate(res)); // let Ctrl-C / SIGTERM handlers run
    }
  } finally {
    bar.stop();
    process.off("SIGINT", sigint);
    process.off("SIGTERM", sigterm);
  }
  writeCheckpoint(r.ckptFile, trainer.state(r.notes));
  return { signal, smoothed };
}

/** The loop's last line and exit code: 130/143 after SIGINT/SIGTERM, 0 when stopped by --stop-at or done. */
export function reportOutcome(command: string, out: Outcome, r: LoopRun<ModelTrainer>, runFolder: string, log: (s: string) => void): number {
  const { trainer, ckptFile } = r;
  const again = `continue with: flowlab ${command} --out ${runFolder} --resume`;
  if (out.signal) {
    log(`${out.signal}: checkpoint saved at step ${trainer.step} → ${ckptFile}; ${again}`);
    return out.signal === "SIGINT" ? 130 : 143;
  }
  if (trainer.step < trainer.config.steps) {
    log(`stopped at step ${trainer.step} of ${trainer.config.steps} (--stop-at) → ${ckptFile}; ${again}`);
    return 0;
  }
  log(`done: step ${trainer.step}, smoothed loss ${out.smoothed?.toFixed(2) ?? "—"}, ${trainer.seconds.toFixed(0)} s of ${command === "train" ? "training" : "distillation"} → ${ckptFile}`);
  return 0;
}
