// Class-conditional generation with classifier-free guidance: x0 ~ N(0, I) integrated from t = 0 to 1
// along the guided field with a chosen ODE solver. Same seed → same noise for every w.
import * as T from "../tensor/index.js";
import { unetForward, type UNet } from "../nn/unet.js";
import { guidedField, type GuidanceOptions } from "../flow/guidance.js";
import { ODE_SOLVERS, type OdeSolverName } from "../solvers/steppers.js";
import { countNfe, simulate, simulateWithTrajectory, timeGrid } from "../solvers/simulate.js";
import type { ODE } from "../solvers/types.js";

export interface GenerateOptions {
  /** Labels to draw, in order; numClasses means ∅ (unconditional). */
  classes: number[];
  perClass: number;
  w: number;
  /** Solver steps (the lab: 99 Euler steps over 100 times). */
  steps: number;
  solver: OdeSolverName;
  seed: number;
  /** Record every k-th step (0: no trajectory). */
  recordEvery?: number;
  /** Called after each solver step; see StepInfo (its tensors live only during the call). */
  onStep?: (s: StepInfo) => void;
}

/**
 * One solver step, reported after it ran. `x` is the state the step started from, at time `t`, and
 * `drift` the guided velocity there (the step's first field evaluation), so x + (1 − t)·drift is the
 * endpoint predicted from (x, t). Both tensors are [N, 1, H, W] and are disposed after the callback.
 */
export interface StepInfo {
  /** Steps completed, 1..total. */
  done: number;
  total: number;
  t: number;
  x: T.Tensor;
  drift: T.Tensor;
  /** The two parts of `drift` = (1 − w)·uncond + w·cond: u(x, t, y) and u(x, t, ∅) (null at w = 1, not computed). */
  cond: T.Tensor;
  uncond: T.Tensor | null;
}

export interface Generated {
  images: T.Tensor; // [N, 1, H, W], class-major
  labels: number[];
  /** Network function evaluations (a CFG drift counts 2, as the lab's 99 steps = 198). */
  nfe: number;
  seconds: number;
  trajectory?: { frames: T.Tensor[]; times: number[] };
}

export function labelsFor(classes: readonly number[], perClass: number): number[] {
  return classes.flatMap((c) => new Array<number>(perClass).fill(c));
}

/** The guided ODE of a U-Net: drift(x, t, y) = (1 − w) u(x, t, ∅) + w u(x, t, y), in eval mode. */
export function guidedOde(net: UNet, w: number, onParts?: GuidanceOptions["onParts"]): ODE<T.Tensor> {
  const u = (x: T.Tensor, t: T.Tensor, y: T.Tensor) => unetForward(net, x, t, y, "eval");
  const opts = onParts ? { onParts } : {};
  return { drift: (x, t, y) => guidedField(u, x, T.full([x.shape[0]!, 1, 1, 1], t), y, w, net.config.numClasses, opts) };
}

export function validateGenerate(net: UNet, o: GenerateOptions): void {
  const K = net.config.numClasses;
  if (!o.classes.length) throw new RangeError("no classes to draw");
  for (const c of o.classes) if (!Number.isInteger(c) || c < 0 || c > K) throw new RangeError(`class ${c} is outside 0..${K} (${K} = ∅)`);
  if (!Number.isInteger(o.perClass) || o.perClass < 1) throw new RangeError(`per-class count must be ≥ 1, got ${o.perClass}`);
  if (!Number.isInteger(o.steps) || o.steps < 1) throw new RangeError(`steps must be ≥ 1, got ${o.steps}`);
  if (!Number.isFinite(o.w)) throw new RangeError(`w must be a finite number, got ${o.w}`);
  if (!Object.hasOwn(ODE_SOLVERS, o.solver)) throw new RangeError(`unknown solver "${o.solver}": choose ${Object.keys(ODE_SOLVERS).join(", ")}`);
}

export function generate(net: UNet, o: GenerateOptions): Generated {
  validateGenerate(net, o);
  const labels = labelsFor(o.classes, o.perClass);
  const N = labels.length;
  const [H, W] = [32, 32];
  const t0 = performance.now();
  const y = T.intTensor(labels);
  const x0 = T.randn([N, 1, H, W], new T.Rng(o.seed));
  // with a callback, keep a copy of each step's first drift evaluation (the field at the step's start)
  // and of its conditional and unconditional parts
  let first: T.Tensor | null = null;
  let parts: { cond: T.Tensor; uncond: T.Tensor | null } | null = null;
  const onParts = o.onStep
    ? (uncond: T.Tensor | null, cond: T.Tensor) => {
        parts ??= { cond: T.affine(cond, 1).keep(), uncond: uncond ? T.affine(uncond, 1).keep() : null };
      }
    : undefined;
  const ode = countNfe(guidedOde(net, o.w, onParts));
  const ts = timeGrid(o.steps + 1);
  const field: ODE<T.Tensor> = o.onStep
    ? { drift: (x, t, c) => { const u = ode.drift(x, t, c); first ??= T.affine(u, 1).keep(); return u; } }
    : ode;
  const stepper = ODE_SOLVERS[o.solver](field);
  const report = o.onStep;
  const simOpts = report
    ? {
        onStep: (done: number, total: number, from: T.Tensor) => {
          const drift = first!;
          const { cond, uncond } = parts!;
          first = null;
          parts = null;
          try {
            report({ done, total, t: ts[done - 1]!, x: from, drift, cond, uncond });
          } finally {
            drift.dispose();
            cond.dispose();
            uncond?.dispose();
          }
        },
      }
    : {};
  let images: T.Tensor;
  let trajectory: Generated["trajectory"];
  if (o.recordEvery) {
    const r = simulateWithTrajectory(stepper, x0, ts, y, o.recordEvery, simOpts);
    images = r.final;
    trajectory = { frames: r.trajectory, times: r.times };
  } else {
    images = simulate(stepper, x0, ts, y, simOpts);
  }
  x0.dispose();
  y.dispose();
  // network evaluations: a guided drift is two (∅ and y, batched into one pass); w = 1 is one
  return { images, labels, nfe: ode.nfe * (o.w === 1 ? 1 : 2), seconds: (performance.now() - t0) / 1000, ...(trajectory ? { trajectory } : {}) };
}
