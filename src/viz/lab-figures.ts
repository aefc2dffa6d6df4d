// The lab's image figures as SVG, from plain data: the conditional probability path (Part 1), a
// sampling trajectory, the guidance sweep and the training-time sample grid.
import { gridFigure } from "./image-grid.js";

/** A time or scale for a label: at most 3 decimals, no trailing zeros (0.25, 1, 0.333). */
export function num(v: number): string {
  return String(Number(v.toFixed(3)));
}

/** Row label of a class: its name when the model has names, else its number; `numClasses` (the null label) is ∅. */
export function classLabel(c: number, numClasses: number, classNames?: readonly string[]): string {
  return c === numClasses ? "∅" : (classNames?.[c] ?? String(c));
}

/** What a model's images look like in a figure: side S, channels C and class names (defaults: 32, 1, numbers). */
export interface ImageLook {
  size?: number;
  channels?: number;
  classNames?: readonly string[];
}

/** gridFigure's size and channels from an ImageLook. */
function look(d: ImageLook): { size?: number; channels?: number } {
  return { ...(d.size !== undefined ? { size: d.size } : {}), ...(d.channels !== undefined ? { channels: d.channels } : {}) };
}

const SCHEDULE_TEXT: Record<string, string> = {
  linear: "linear schedule: α_t = t, β_t = 1 − t",
  cosine: "cosine schedule: α_t = sin(πt/2), β_t = cos(πt/2)",
  sqrt: "sqrt schedule: α_t = t, β_t = √(1 − t)",
};

export interface PathFigureData extends ImageLook {
  images: Float32Array; // [digits·ts, C, S, S], row d = digit d, column j = t_j
  digits: number[]; // the real digit of each row
  ts: number[];
  schedule: string;
}

/** Part 1: samples of p_t(x|z) for real digits z (rows) at several t (columns). */
export function pathFigure(d: PathFigureData): string {
  return gridFigure({
    title: "Conditional path p_t(x|z) = N(α_t z, β_t² I)",
    subtitle: SCHEDULE_TEXT[d.schedule] ?? `${d.schedule} schedule`,
    panels: [{ images: d.images, rows: d.digits.length, cols: d.ts.length, colLabels: d.ts.map((t) => `t = ${num(t)}`) }],
    rowLabels: d.digits.map((c) => d.classNames?.[c] ?? String(c)),
    rowHeader: d.classNames ? "class of z" : "digit z",
    ...look(d),
  });
}

export interface SamplingInfo {
  solver: string;
  steps: number;
  /** The guidance method, when it is not plain CFG (e.g. "interval:0.16:0.78"). */
  guidance?: string;
}

/** "midpoint, 5 steps" and the guidance method when it is not plain CFG. */
function samplingText(d: SamplingInfo): string {
  return `${d.solver}, ${d.steps} step${d.steps === 1 ? "" : "s"}${d.guidance && d.guidance !== "cfg" ? `, guidance ${d.guidance}` : ""}`;
}

export interface TrajectoryFigureData extends SamplingInfo, ImageLook {
  frames: Float32Array; // [times, rows, C, S, S]: frame i holds one image per row
  times: number[];
  classes: number[]; // class of each row; numClasses = ∅
  numClasses: number;
  w: number;
}

/** x_t along the ODE: one row per class, one column per recorded time. */
export function trajectoryFigure(d: TrajectoryFigureData): string {
  const rows = d.classes.length, cols = d.times.length;
  const P = (d.channels ?? 1) * (d.size ?? 32) ** 2; // values per image
  const images = new Float32Array(rows * cols * P);
  for (let i = 0; i < cols; i++)
    for (let r = 0; r < rows; r++) images.set(d.frames.subarray((i * rows + r) * P, (i * rows + r + 1) * P), (r * cols + i) * P);
  return gridFigure({
    title: `Sampling trajectory x_t from noise (t = 0) to digits (t = 1), w = ${num(d.w)}`,
    subtitle: samplingText(d),
    panels: [{ images, rows, cols, colLabels: d.times.map((t) => `t = ${num(Number(t.toFixed(2)))}`) }],
    rowLabels: d.classes.map((c) => classLabel(c, d.numClasses, d.classNames)),
    rowHeader: "class",
    ...look(d),
  });
}

/** One frame of the trajectory animation: the whole grid at time t. */
export function trajectoryFrame(images: Float32Array, t: number, classes: number[], numClasses: number, perRow: number, info: SamplingInfo & { w: number }): string {
  return gridFigure({
    title: `x_t at t = ${t.toFixed(2)}, w = ${num(info.w)}`,
    subtitle: samplingText(info),
    panels: [{ images, rows: classes.length, cols: perRow }],
    rowLabels: classes.map((c) => classLabel(c, numClasses)),
    rowHeader: "class",
  });
}

export interface SweepFigureData extends SamplingInfo, ImageLook {
  images: Float32Array[]; // one [classes·perClass, C, S, S] per w
  ws: number[];
  classes: number[];
  numClasses: number;
  perClass: number;
}

/** The guidance sweep: one panel per w, one row per class (∅ = unconditional). */
export function sweepFigure(d: SweepFigureData): string {
  return gridFigure({
    title: "Classifier-free guidance: samples at each guidance scale w",
    subtitle: `${samplingText(d)}; same noise in every panel; ∅ = unconditional`,
    panels: d.ws.map((w, i) => ({ title: `w = ${num(w)}`, images: d.images[i]!, rows: d.classes.length, cols: d.perClass })),
    rowLabels: d.classes.map((c) => classLabel(c, d.numClasses, d.classNames)),
    rowHeader: "class",
    ...look(d),
  });
}

export interface TrainingGridData extends SamplingInfo, ImageLook {
  images: Float32Array; // [classes·perClass, C, S, S]
  step: number;
  totalSteps?: number;
  w: number;
  classes: number[];
  numClasses: number;
  perClass: number;
}

/** "Training step 1,200 of 3,000" (the total when known). */
function runStep(what: string, d: { step: number; totalSteps?: number }): string {
  return `${what} step ${d.step.toLocaleString("en-US")}${d.totalSteps ? ` of ${d.totalSteps.toLocaleString("en-US")}` : ""}`;
}

/** A sample grid written during training: the step and w in the title. */
export function trainingGridFigure(d: TrainingGridData): string {
  return gridFigure({
    title: `${runStep("Training", d)}: samples at w = ${num(d.w)}`,
    subtitle: `${d.solver}, ${d.steps} steps; ∅ = unconditional`,
    panels: [{ images: d.images, rows: d.classes.length, cols: d.perClass }],
    rowLabels: d.classes.map((c) => classLabel(c, d.numClasses, d.classNames)),
    rowHeader: "class",
    ...look(d),
  });
}

export interface FewStepGridData extends ImageLook {
  /** One panel per step count: images [classes·perClass, C, S, S]. */
  images: Float32Array[];
  stepCounts: number[];
  step: number;
  totalSteps?: number;
  w: number;
  classes: number[];
  numClasses: number;
  perClass: number;
}

/** A few-step model's sample grid during distillation: one panel per step count, same noise. */
export function fewStepGridFigure(d: FewStepGridData): string {
  return gridFigure({
    title: `${runStep("Distillation", d)}: few-step samples at w = ${num(d.w)}`,
    subtitle: "one network evaluation per step, w as an input; same noise in every panel; ∅ = unconditional",
    panels: d.stepCounts.map((n, i) => ({ title: `${n} step${n === 1 ? "" : "s"}`, images: d.images[i]!, rows: d.classes.length, cols: d.perClass })),
    rowLabels: d.classes.map((c) => classLabel(c, d.numClasses, d.classNames)),
    rowHeader: "class",
    ...look(d),
  });
}
