// Few-step distillation runs as data: the method, the guidance range w is drawn from, the step counts
// the student learns, and the training fields shared with `flowlab train` (TrainConfig).
import type { TrainConfig } from "./presets.js";
import { validateSchedule } from "./schedule.js";

/**
 * "trajectory": the teacher's guided ODE is solved from noise (midpoint, `teacherSteps` steps) and the
 * student regresses the chord of each piece: u(x_t, t, y, w, d) ≈ (x_{t+d} − x_t)/d for d = 1, 1/2, 1/4.
 * "shortcut": shortcut models (Frans et al. 2024): at d = 0 the target is the teacher's guided velocity
 * at w on the data path; at d > 0 two half steps of the student itself (self-consistency, no gradient).
 */
export type DistillMethod = "trajectory" | "shortcut";

/** A distillation run: a TrainConfig (its `model` is the student's) plus the distillation fields. */
export interface DistillConfig extends TrainConfig {
  method: DistillMethod;
  /** The teacher checkpoint's path as given, and the SHA-256 of its bytes (a resume checks it). */
  teacher: string;
  teacherSha256: string;
  /** The teacher's midpoint steps per trajectory (a multiple of the largest student step count). */
  teacherSteps: number;
}

/** The distillation defaults: 4-step teacher midpoint solves (16 evaluations), w ~ U[1, 5], steps 1, 2, 4. */
export const DISTILL_DEFAULTS = Object.freeze({
  method: "trajectory" as DistillMethod,
  wMin: 1,
  wMax: 5,
  studentSteps: Object.freeze([1, 2, 4]),
  teacherSteps: 4,
  steps: 1500,
  /** Trajectories per step (trajectory method; 5 student rows each) or rows per step (shortcut). */
  batch: { trajectory: 16, shortcut: 64 } as Readonly<Record<DistillMethod, number>>,
  lr: 1e-3,
  lrSchedule: Object.freeze({ kind: "cosine", warmup: 50, floor: 0.05 }),
  /** Probability of the ∅ label, so the student also learns the unconditional row. */
  eta: 0.1,
  emaDecay: 0.995,
  checkpointEvery: 25,
  seed: 0,
});

/** Throws RangeError naming the bad field. */
export function validateDistillFields(c: DistillConfig): void {
  const bad = (m: string) => {
    throw new RangeError(`distill config: ${m}`);
  };
  if (c.method !== "trajectory" && c.method !== "shortcut") bad(`method must be trajectory or shortcut, got ${String(c.method)}`);
  const f = c.model.fewStep;
  if (!f) bad("the student's model config needs fewStep {wMin, wMax, steps}");
  const most = f!.steps[f!.steps.length - 1]!;
  if (f!.steps.some((n) => most % n !== 0 || (n & (n - 1)) !== 0)) bad(`student step counts must be powers of 2, got ${f!.steps.join(", ")}`);
  if (!Number.isInteger(c.teacherSteps) || c.teacherSteps < 1 || c.teacherSteps % most !== 0) bad(`teacherSteps must be a positive multiple of ${most}, got ${c.teacherSteps}`);
  if (typeof c.teacher !== "string" || typeof c.teacherSha256 !== "string") bad("teacher and teacherSha256 must be strings");
  validateSchedule(c.lrSchedule);
}
