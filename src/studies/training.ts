// The training study: the time-to-quality curve of a training run. Judges every snapshot the run kept
// (flowlab train --keep-every N) and its last checkpoint at each w, beside the smoothed loss in its log.
import { readdirSync, existsSync, statSync } from "node:fs";
import path from "node:path";
import { samplingNet } from "../train/checkpoint.js";
import { isDistillRecord } from "../train/distill.js";
import { GENERATE_DEFAULTS } from "../sample/generate.js";
import { parseSafetensors } from "../io/safetensors.js";
import { readInputFile } from "../io/read-input.js";
import { readCheckpointBytes } from "../train/checkpoint-file.js";
import { disposeLoaded, pct, sampleAndJudge, StudyError, type StudyHooks } from "./runner.js";
import { accuracyCell, allHaveIntervals, diversityCell, fdCell, NO_INTERVALS_NOTE } from "./report-cells.js";
import type { JudgeSetup } from "../eval/judging.js";
import type { GuidanceMethod } from "../flow/guidance-methods.js";
import type { OdeSolverName } from "../solvers/steppers.js";
import type { Report } from "../eval/metrics.js";
import type { LossPoint } from "../viz/loss-point.js";

/**
 * The study's settings: w = 1 and the lab's 3, 50 digits per class, and the model card's sampler (Heun 12
 * steps, plain CFG), so the curve ends at the card's figures; the seed is generate()'s.
 */
export const TRAINING_STUDY = { w: [1, 3], perClass: 50, solver: "heun" as OdeSolverName, steps: 12, seed: GENERATE_DEFAULTS.seed, guidance: "cfg", lossPoints: 300 };

/** One snapshot judged at one w. */
export interface TrainingRow {
  file: string;
  step: number;
  /** Training samples seen (step × batch). */
  samples: number;
  /** Wall time of training up to this step, seconds. */
  seconds: number;
  w: number;
  report: Report;
}

/** What --json writes and --from reads. */
export interface TrainingStudyFile {
  study: "training";
  run: string;
  /** The run's first command, and how many times it was resumed (up to its last judged checkpoint). */
  command: string;
  resumed?: number;
  perClass: number;
  solver: string;
  steps: number;
  guidance: string;
  rows: TrainingRow[];
  loss: LossPoint[];
}

/** Whether a value is what the study's --json wrote. */
export function isTrainingStudyFile(s: unknown): s is TrainingStudyFile {
  const f = s as Partial<TrainingStudyFile> | null;
  return !!f && f.study === "training" && Array.isArray(f.rows) && Array.isArray(f.loss) && typeof f.perClass === "number";
}

/** The checkpoints of a run to judge: its snapshots and, if it is further on, its last checkpoint. */
export function runCheckpoints(run: string): string[] {
  if (!existsSync(run) || !statSync(run).isDirectory()) throw new StudyError(`--run ${run} is not a folder (give the --out of a flowlab train run)`);
  const snapDir = path.join(run, "snapshots");
  const snaps = existsSync(snapDir) ? readdirSync(snapDir).filter((f) => f.endsWith(".safetensors")).map((f) => path.join(snapDir, f)) : [];
  const last = path.join(run, "checkpoint.safetensors");
  const files = [...snaps, ...(existsSync(last) ? [last] : [])];
  if (files.length === 0) throw new StudyError(`--run ${run} has no checkpoint.safetensors and no snapshots/ (train with --keep-every N to keep snapshots)`);
  return files;
}

/** The log's smoothed loss against training seconds, thinned to at most `n` points. */
export function lossCurve(logFile: string, n: number): LossPoint[] {
  if (!existsSync(logFile)) return [];
  const points: LossPoint[] = [];
  for (const line of new TextDecoder().decode(readInputFile(logFile, { what: "log" })).split("\n")) {
    if (!line) continue;
    try {
      const o = JSON.parse(line) as { smoothed?: unknown; seconds?: unknown };
      if (typeof o.smoothed === "number" && typeof o.seconds === "number" && Number.isFinite(o.smoothed)) points.push({ seconds: o.seconds, loss: o.smoothed });
    } catch {
      // a torn last line of a killed run: skipped
    }
  }
  const stride = Math.max(1, Math.ceil(points.length / n));
  return points.filter((_, i) => i % stride === 0 || i === points.length - 1);
}

/** A checkpoint's step from its metadata alone (no weights loaded); unreadable files sort last and fail when read. */
function recordedStep(file: string): number {
  try {
    const meta = parseSafetensors(readCheckpointBytes(file), file).metadata["flowlab"];
    const step = meta ? (JSON.parse(meta) as { step?: unknown }).step : undefined;
    return typeof step === "number" ? step : Infinity;
  } catch {
    return Infinity;
  }
}

/** What the study samples: the run folder, the scales, the sampler and the seed. */
export interface TrainingStudyOptions {
  run: string;
  w: readonly number[];
  perClass: number;
  solver: OdeSolverName;
  steps: number;
  seed: number;
  /** The guidance as --guidance writes it (recorded in the file). */
  guidance: string;
}

/**
 * Judges every checkpoint of the run at every w, in order of step (a step kept twice is judged once).
 * `methodOf` turns the guidance text into a method for a model's classes (with a release for autoguidance's
 * weak model); `rel` shortens file names for the page.
 */
export function runTrainingStudy(o: TrainingStudyOptions, methodOf: (guidance: string, numClasses: number) => { method: GuidanceMethod; dispose(): void }, judging: JudgeSetup, hooks: StudyHooks, rel: (file: string) => string): TrainingStudyFile {
  const seen = new Set<number>();
  const rows: TrainingRow[] = [];
  let command = "—", resumed = 0;
  const files = runCheckpoints(o.run)
    .map((file) => ({ file, step: recordedStep(file) }))
    .sort((a, b) => a.step - b.step);
  for (const { file } of files) {
    const state = hooks.readCheckpoint(file);
    const rec = state.record;
    const net = samplingNet(state);
    try {
      if (!rec) throw new StudyError(`${file} has no training record (step, time): it is not from flowlab train`);
      if (isDistillRecord(rec) || net.config.fewStep) throw new StudyError(`${file} is a few-step model; --study training judges flowlab train runs`);
      if (seen.has(rec.step)) continue;
      seen.add(rec.step);
      command = rec.notes?.["command"] ?? command;
      resumed = Number(rec.notes?.["resumed"] ?? resumed);
      const method = methodOf(o.guidance, net.config.numClasses);
      try {
        for (const w of o.w) {
          const label = `step ${rec.step}, w = ${w}`;
          const { report } = sampleAndJudge(net, file, label, { perClass: o.perClass, w, steps: o.steps, solver: o.solver, seed: o.seed, guidance: method.method }, judging, hooks);
          hooks.log(`${label} (${(rec.seconds / 60).toFixed(1)} min): accuracy ${pct(report.accuracy)}, FD ${report.fd.toFixed(2)}, diversity ${report.diversity.toFixed(2)}`);
          rows.push({ file: rel(file), step: rec.step, samples: rec.step * rec.config.batch, seconds: rec.seconds, w, report });
        }
      } finally {
        method.dispose();
      }
    } finally {
      disposeLoaded(net, state);
    }
  }
  return { study: "training", run: rel(o.run), command, resumed, perClass: o.perClass, solver: o.solver, steps: o.steps, guidance: o.guidance, rows, loss: lossCurve(path.join(o.run, "log.jsonl"), TRAINING_STUDY.lossPoints) };
}

/** The table: a row per snapshot, accuracy / FD / diversity per w. */
export function trainingMarkdown(s: TrainingStudyFile): string {
  const ws = [...new Set(s.rows.map((r) => r.w))].sort((a, b) => a - b);
  const steps = [...new Set(s.rows.map((r) => r.step))].sort((a, b) => a - b);
  const head = `| step | samples | minutes | ${ws.map((w) => `w = ${w}: accuracy / FD / diversity`).join(" | ")} |\n|---|---|---|${"---|".repeat(ws.length)}`;
  const body = steps.map((step) => {
    const at = s.rows.filter((r) => r.step === step);
    const first = at[0]!;
    const cells = ws.map((w) => {
      const r = at.find((x) => x.w === w);
      return r ? `${accuracyCell(r.report)} / ${fdCell(r.report, 1)} / ${diversityCell(r.report)}` : "—";
    });
    return `| ${step} | ${first.samples.toLocaleString("en-US")} | ${(first.seconds / 60).toFixed(1)} | ${cells.join(" | ")} |`;
  });
  const old = allHaveIntervals(s.rows.map((r) => r.report)) ? [] : ["", NO_INTERVALS_NOTE];
  return [head, ...body, ...old].join("\n");
}

