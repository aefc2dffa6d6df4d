// What the page remembers of one sampling run: the request it was made with (never the form's current
// values), its columns as they finish, the judge's verdict per w, and its own timings.
import type { FewStepRange, Frames, JudgedColumn, RunRequest } from "./protocol.js";

export interface ColumnResult {
  w: number;
  images: Float32Array;
  labels: number[];
  frames: Frames;
  seconds: number;
  nfe: number;
  judged: JudgedColumn | null;
}

export interface RunRecord {
  id: number;
  req: RunRequest;
  /** The model that draws this run: its name and the page's count of model changes when it started. */
  model: { name: string; serial: number };
  columns: ColumnResult[];
  status: "queued" | "running" | "done" | "stopped" | "failed";
  /** The column being drawn and its step (live). */
  progress: { column: number; done: number; total: number; t: number } | null;
  preview: Float32Array | null;
  seconds: number | null;
  message: string;
  /** The model's class names (null: MNIST's digits) and image channels, at the time of the run. */
  classNames: string[] | null;
  channels: number;
}

/** True for a run of an MNIST-shaped model, the only kind flowlab's judge reads. */
export function judgeable(run: Pick<RunRecord, "classNames" | "channels">): boolean {
  return !run.classNames && run.channels === 1;
}

/** The training panel: its status, the loss so far, its speed and the latest grid of digits. */
export interface TrainView {
  status: "idle" | "loading" | "running" | "paused" | "stopped" | "finished";
  steps: number[];
  losses: number[];
  total: number;
  samplesPerSecond: number;
  etaSeconds: number;
  /** The latest grid, drawn at guidance scale w (the library's default sampler). */
  grid: { step: number; w: number; images: Float32Array; labels: number[]; channels: number; classNames: string[] | null } | null;
  /** Where the steps run, as the stats line says it: "2 engine threads" (WebAssembly) or "WebGPU". */
  runsOn: string;
}

/** The live panel: the grid the few-step model drew last, at which w and steps, and its cost. */
export interface LiveView {
  status: "idle" | "loading" | "ready" | "failed";
  images: Float32Array | null;
  labels: number[];
  /** The w and steps the grid shows. */
  w: number;
  steps: number;
  seconds: number;
  nfe: number;
  range: FewStepRange | null;
  message: string;
}

export const CLASS_LABELS = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "∅"];

/** A class's row label: its name when the model has them (∅ after the last), else the digit. */
export function classLabel(classNames: readonly string[] | null | undefined, k: number): string {
  if (!classNames) return CLASS_LABELS[k] ?? String(k);
  return classNames[k] ?? "∅";
}

/** "w = 3: 10 midpoint steps, 40 NFE in 0.52 s (52 ms per step)": a column's own numbers. */
export function columnTiming(req: RunRequest, c: ColumnResult): string {
  const ms = (c.seconds * 1000) / req.steps;
  return `w = ${c.w}: ${req.steps} ${req.solver} steps, ${c.nfe} NFE in ${c.seconds.toFixed(2)} s (${ms.toFixed(0)} ms per step)`;
}

export function percent(v: number): string {
  return Number.isFinite(v) ? `${(v * 100).toFixed(0)} %` : "—";
}
