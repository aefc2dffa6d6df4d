// Few-step distillation: a student U-Net with w and d inputs, initialised from the teacher's weights
// (its new embeddings add zero), trained by the trajectory or shortcut method; Adam, EMA, resumable bit for bit.
import * as T from "../tensor/index.js";
import { initUNet, unetForward, type UNet } from "../nn/unet.js";
import { stateDict } from "../nn/state-dict.js";
import { modelImageShape, validateConfig, type UNetConfig } from "../nn/config.js";
import { GaussianConditionalPath, type DataSampler } from "../flow/path.js";
import { linearSchedule } from "../flow/schedules.js";
import { flowMatchingLoss } from "./loss.js";
import type { TrainState, TrainingRecord } from "./checkpoint.js";
import { validateTrainConfig } from "./trainer.js";
import { ModelTrainer } from "./model-trainer.js";
import { validateDistillFields, type DistillConfig } from "./distill-config.js";
import { perRow, teacherGuided, teacherTrajectory } from "./distill-targets.js";

/** The student's architecture: the teacher's, plus w and d inputs. */
export function studentConfig(teacher: UNetConfig, fewStep: NonNullable<UNetConfig["fewStep"]>): UNetConfig {
  return { ...teacher, channels: [...teacher.channels], fewStep: { ...fewStep, steps: [...fewStep.steps] } };
}

/** A student that computes exactly the teacher's conditional field: shared weights copied, w/d embeddings adding zero. */
export function studentFromTeacher(teacher: UNet, fewStep: NonNullable<UNetConfig["fewStep"]>, seed = 0): UNet {
  if (teacher.config.fewStep) throw new RangeError("the teacher is itself a few-step model; distil from a flow-matching checkpoint");
  const net = initUNet(studentConfig(teacher.config, fewStep), seed);
  const target = stateDict(net.params);
  for (const [k, src] of stateDict(teacher.params)) {
    const t = target.get(k)!;
    if (t.dtype === "f32") t.data.set(src.data);
    else t.idata.set(src.idata);
  }
  return net;
}

/** Checks a distillation configuration (the training fields and the distillation fields). */
export function validateDistillConfig(c: DistillConfig): void {
  validateConfig(c.model);
  validateTrainConfig(c);
  validateDistillFields(c);
}

/** Distils a CFG teacher into a few-step student with w and d inputs; see DistillMethod. */
export class DistillTrainer extends ModelTrainer<DistillConfig> {
  readonly path = new GaussianConditionalPath(linearSchedule);

  /** `teacher` samples in eval mode (its EMA weights); `data` is needed by the shortcut method only. */
  constructor(config: DistillConfig, readonly teacher: UNet, private readonly data: DataSampler | null, resume?: TrainState) {
    validateDistillConfig(config);
    const { fewStep: _f, ...studentArch } = config.model;
    const { fewStep: _t, ...teacherArch } = teacher.config;
    if (JSON.stringify(studentArch) !== JSON.stringify(teacherArch)) throw new RangeError(`the student's architecture ${JSON.stringify(studentArch)} differs from the teacher's ${JSON.stringify(teacherArch)}`);
    if (config.method === "shortcut" && !data) throw new RangeError("the shortcut method needs training data");
    super(config, () => studentFromTeacher(teacher, config.model.fewStep!, config.seed), resume);
  }

  /** Labels for n rows: uniform classes, ∅ with probability η. And one w per row, uniform over the trained range. */
  private conditions(n: number): { y: number[]; w: number[] } {
    const { numClasses: K, fewStep } = this.config.model;
    const y = Array.from({ length: n }, () => (this.rng.uniform() < this.config.eta ? K : this.rng.int(K)));
    const w = Array.from({ length: n }, () => fewStep!.wMin + (fewStep!.wMax - fewStep!.wMin) * this.rng.uniform());
    return { y, w };
  }

  /**
   * Trajectory method: B teacher solves; per trajectory 5 rows: d = 1 from t = 0, both halves at d = 1/2,
   * and two of the quarters at d = 1/4 (targets are chords of the teacher's solution, (x_{t+d} − x_t)/d).
   */
  private trajectoryBatch(): { x: T.Tensor; t: T.Tensor; d: T.Tensor; y: T.Tensor; w: T.Tensor; target: T.Tensor } {
    const B = this.config.batch, rng = this.rng;
    const steps = this.config.model.fewStep!.steps;
    const most = steps[steps.length - 1]!;
    const { y, w } = this.conditions(B);
    const shape = (n: number) => modelImageShape(this.config.model, n); // [n, C, S, S]
    const x0 = T.randn(shape(B), rng);
    const states = teacherTrajectory(this.teacher, x0, T.intTensor(y), perRow(w), this.config.teacherSteps, this.config.teacherSteps / most); // most + 1 states
    const at = states.map((s) => s.data);
    const P = shape(1).reduce((a, b) => a * b, 1);
    // rows: (trajectory i, start index a, end index b on the 1/most grid)
    const rows: [number, number, number][] = [];
    for (let i = 0; i < B; i++) {
      for (const n of steps) {
        const span = most / n; // grid cells per step of size 1/n
        const starts = Array.from({ length: n }, (_, k) => k * span);
        // all starts for n ≤ 2; two random distinct starts beyond
        const pick = n <= 2 ? starts : [starts.splice(rng.int(starts.length), 1)[0]!, starts.splice(rng.int(starts.length), 1)[0]!];
        for (const a of pick) rows.push([i, a, a + span]);
      }
    }
    const R = rows.length;
    const xs = new Float32Array(R * P), tg = new Float32Array(R * P), ts = new Float32Array(R), ds = new Float32Array(R), ws = new Float32Array(R), ys = new Int32Array(R);
    rows.forEach(([i, a, b], r) => {
      const d = (b - a) / most;
      const xa = at[a]!.subarray(i * P, (i + 1) * P), xb = at[b]!.subarray(i * P, (i + 1) * P);
      xs.set(xa, r * P);
      for (let p = 0; p < P; p++) tg[r * P + p] = (xb[p]! - xa[p]!) / d;
      ts[r] = a / most;
      ds[r] = d;
      ws[r] = w[i]!;
      ys[r] = y[i]!;
    });
    T.disposeAll(states);
    return { x: T.tensor(xs, shape(R)), t: perRow(ts), d: perRow(ds), y: T.intTensor(Array.from(ys)), w: perRow(ws), target: T.tensor(tg, shape(R)) };
  }

  /**
   * Shortcut method: ¾ of the rows at d = 0 with the teacher's guided velocity as the target; ¼ at a
   * level d ∈ {1, ½, …, 1/(2·most)} with t on the d-grid and the target (u(x, t, d/2) + u(x', t + d/2, d/2))/2,
   * x' = x + (d/2)·u(x, t, d/2), from the student itself without gradient (the finest level bootstraps from d = 0).
   */
  private shortcutBatch(): { x: T.Tensor; t: T.Tensor; d: T.Tensor; y: T.Tensor; w: T.Tensor; target: T.Tensor } {
    const B = this.config.batch, rng = this.rng;
    const steps = this.config.model.fewStep!.steps;
    const finest = 1 / (2 * steps[steps.length - 1]!);
    const nFm = Math.max(1, Math.round(B * 0.75)), nSc = B - nFm;
    const { z } = this.data!.sample(B, rng); // z: [B, 1, H, W]; labels come from conditions()
    const { y, w } = this.conditions(B);
    const levels: number[] = [];
    for (let d = 1; d >= finest - 1e-9; d /= 2) levels.push(d);
    const dRow = Array.from({ length: B }, (_, r) => (r < nFm ? 0 : levels[rng.int(levels.length)]!));
    const tRow = dRow.map((d) => (d === 0 ? rng.uniform() : d * rng.int(Math.round(1 / d))));
    const t = perRow(tRow), wt = perRow(w), yt = T.intTensor(y);
    const { x } = this.path.sampleConditionalPath(z, t, rng); // x: [B, 1, H, W]
    const target = T.noGrad(() => {
      const fm = teacherGuided(this.teacher, x, t, yt, wt); // [B, ...]: rows ≥ nFm replaced below
      if (!nSc) return fm;
      const sl = (v: T.Tensor) => T.slice(v, [nFm, ...v.shape.slice(1).map(() => 0)], [nSc, ...v.shape.slice(1)]);
      const xs = sl(x), ts = sl(t), ws = sl(wt), ys = T.intTensor(y.slice(nFm));
      const half = dRow.slice(nFm).map((d) => d / 2);
      const base = perRow(half.map((h) => (h >= finest - 1e-9 ? h : 0)));
      const u1 = unetForward(this.net, xs, ts, ys, "eval", { w: ws, d: base });
      const x2 = T.add(xs, T.mul(perRow(half), u1));
      const u2 = unetForward(this.net, x2, T.add(ts, perRow(half)), ys, "eval", { w: ws, d: base });
      const sc = T.affine(T.add(u1, u2), 0.5);
      return T.concat([T.slice(fm, [0, 0, 0, 0], [nFm, ...fm.shape.slice(1)]), sc], 0);
    });
    return { x, t, d: perRow(dRow), y: yt, w: wt, target };
  }

  /** The method's batch, and the student's loss against its targets. */
  protected loss(): T.Tensor {
    const b = this.config.method === "trajectory" ? this.trajectoryBatch() : this.shortcutBatch();
    return flowMatchingLoss(unetForward(this.net, b.x, b.t, b.y, "train", { w: b.w, d: b.d }), b.target);
  }
}

/** Whether a checkpoint's record is a distillation run's (its config names a method). */
export function isDistillRecord(r: TrainingRecord | null): r is TrainingRecord & { config: DistillConfig } {
  return !!r && typeof (r.config as Partial<DistillConfig>).method === "string";
}
