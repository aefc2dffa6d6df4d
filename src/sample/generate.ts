// Class-conditional generation with classifier-free guidance: x0 ~ N(0, I) integrated from t = 0 to 1
// along the guided field with a chosen ODE solver. Same seed → same noise for every w.
import * as T from "../tensor/index.js";
import { unetForward, type UNet } from "../nn/unet.js";
import { modelImageShape } from "../nn/config.js";
import { guidedField, type GuidanceOptions } from "../flow/guidance.js";
import { CFG, guidanceByName, validateGuidance, type GuidanceMethod, type GuidanceName, type ConditionalField } from "../flow/guidance-methods.js";
import { ODE_SOLVERS, isOdeSolverName, unknownSolverMessage, type OdeSolverName } from "../solvers/steppers.js";
import { simulateSteps, timeGrid, type Simulated, type StepDone } from "../solvers/simulate.js";
import type { ODE, Stepper } from "../solvers/types.js";
import { fewStepStepper } from "./few-step.js";

/**
 * The default guidance method, by name (with GUIDANCE_DEFAULTS' settings), chosen by the guidance study
 * (reports/guidance-methods.md, reports/guidance-methods-lab.md): at w = 3 the guidance interval keeps the
 * lab's certainty (≥ 99.5 %) at half plain CFG's Fréchet distance, with more variety and a fifth fewer
 * network evaluations, on both shipped models.
 */
export const DEFAULT_GUIDANCE: GuidanceName = "interval";

/**
 * Sampling defaults, the one definition every entry point reads (generate(), flowlab sample and eval, the
 * studies, the page). The solver study (reports/solvers.md) chose the midpoint rule with 5 steps (20
 * network evaluations at w ≠ 1 with CFG), which matches 100–200-evaluation runs of every solver; w = 3 is
 * the lab's guidance scale; the guidance is DEFAULT_GUIDANCE.
 */
export const GENERATE_DEFAULTS = Object.freeze({ perClass: 1, w: 3, steps: 5, solver: "midpoint" as OdeSolverName, seed: 0, guidance: guidanceByName(DEFAULT_GUIDANCE) });

/** What to generate and how; every field but `classes` has a default in GENERATE_DEFAULTS. */
export interface GenerateOptions {
  /** Labels to draw, in order; numClasses means ∅ (unconditional). */
  classes: number[];
  /** Samples per class (default 1). */
  perClass?: number;
  /** Guidance scale: 1 = the conditional model, 0 = unconditional, > 1 = guided (default 3). */
  w?: number;
  /** Solver steps (default 5; the lab: 99 Euler steps over 100 times). */
  steps?: number;
  /** ODE solver (default "midpoint"). */
  solver?: OdeSolverName;
  /** Noise seed; the same seed gives the same noise at every w (default 0). */
  seed?: number;
  /** How guidance combines the fields (default: the guidance interval, DEFAULT_GUIDANCE); see GuidanceMethod. */
  guidance?: GuidanceMethod;
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
  /**
   * The two parts of `drift`, in combineGuidance's order: u(x, t, y), and the guiding field it is steered
   * away from (u(x, t, ∅), or the weak model's u(x, t, y) for autoguidance; null where not computed, e.g.
   * at w = 1). For plain CFG, drift = (1 − w)·guiding + w·cond. cond is null where it is not computed:
   * at w = 0 inside the guided range, where the drift is the guiding field alone (guidingAlone).
   */
  cond: T.Tensor | null;
  guiding: T.Tensor | null;
}

/** generate()'s result: the images (dispose them when done), their labels, cost and time. */
export interface Generated {
  images: T.Tensor; // [N, C, S, S], class-major
  labels: number[];
  /** Network function evaluations (a CFG drift counts 2, as the lab's 99 steps = 198). */
  nfe: number;
  seconds: number;
  trajectory?: { frames: T.Tensor[]; times: number[] };
}

/** The labels of a class-major batch: each class repeated perClass times. */
export function labelsFor(classes: readonly number[], perClass: number): number[] {
  return classes.flatMap((c) => new Array<number>(perClass).fill(c));
}

/**
 * The guided ODE of a U-Net in eval mode: by default drift(x, t, y) = (1 − w) u(x, t, ∅) + w u(x, t, y).
 * `nfe` counts network evaluations: a pass over the batch is one (CFG's batched pass of 2B is two),
 * including a weak model's for autoguidance.
 */
export function guidedOde(net: UNet, w: number, method: GuidanceMethod = CFG, onParts?: GuidanceOptions["onParts"]): ODE<T.Tensor> & { nfe: number } {
  let rows = 1;
  const counted = (f: ConditionalField): ConditionalField => (x, t, y) => {
    ode.nfe += x.shape[0]! / rows;
    return f(x, t, y);
  };
  const u = counted((x, t, y) => unetForward(net, x, t, y, "eval"));
  const m: GuidanceMethod = method.kind === "auto" ? { ...method, weak: counted(method.weak) } : method;
  const ode = {
    nfe: 0,
    drift: (x: T.Tensor, t: number, y: T.Tensor) => {
      rows = x.shape[0]!;
      return guidedField(u, x, T.full([rows, 1, 1, 1], t), y, w, net.config.numClasses, { method: m, ...(onParts ? { onParts } : {}) });
    },
  };
  return ode;
}

/** GenerateOptions with every default filled in. */
export type ResolvedGenerateOptions = Required<Omit<GenerateOptions, "recordEvery" | "onStep">> & Pick<GenerateOptions, "recordEvery" | "onStep">;

/** Fills in GENERATE_DEFAULTS and checks every field against the model; throws RangeError with the field's name. */
export function resolveGenerate(net: UNet, opts: GenerateOptions): ResolvedGenerateOptions {
  const o = { ...GENERATE_DEFAULTS, ...definedFields(opts) } as ResolvedGenerateOptions;
  validateGenerate(net, o);
  return o;
}

function definedFields<O extends object>(o: O): Partial<O> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<O>;
}

function validateGenerate(net: UNet, o: ResolvedGenerateOptions): void {
  const K = net.config.numClasses;
  if (!Array.isArray(o.classes)) throw new RangeError("classes must be an array of labels");
  if (!o.classes.length) throw new RangeError("no classes to draw");
  for (const c of o.classes) if (!Number.isInteger(c) || c < 0 || c > K) throw new RangeError(`class ${c} is outside 0..${K} (${K} = ∅)`);
  if (!Number.isInteger(o.perClass) || o.perClass < 1) throw new RangeError(`per-class count must be ≥ 1, got ${o.perClass}`);
  if (!Number.isInteger(o.steps) || o.steps < 1) throw new RangeError(`steps must be ≥ 1, got ${o.steps}`);
  if (!Number.isFinite(o.w)) throw new RangeError(`w must be a finite number, got ${o.w}`);
  validateGuidance(o.guidance);
  if (!isOdeSolverName(o.solver)) throw new RangeError(unknownSolverMessage("solver", o.solver));
}

/** A few-step model steps with its own update and takes w as an input: no solver, no guidance method. */
function checkFewStepOptions(opts: GenerateOptions): void {
  if (opts.solver !== undefined && opts.solver !== "euler") throw new RangeError(`solver "${opts.solver}": a few-step model steps with its own update x + d·u(x, t, y, w, d); leave solver unset`);
  if (opts.guidance !== undefined && opts.guidance.kind !== "cfg") throw new RangeError(`guidance "${opts.guidance.kind}": a few-step model takes w as an input (plain guidance only)`);
}

/**
 * Class-conditional samples by classifier-free guidance: x0 ~ N(0, I) integrated from t = 0 to 1 along
 * (1 − w)·u(x, t, ∅) + w·u(x, t, y). Images are [N, C, S, S] (the lab's [N, 1, 32, 32]) in about [−1, 1], class-major.
 * A few-step model (config.fewStep) is sampled with its own update instead, x ← x + d·u(x, t, y, w, d),
 * one network pass per step; `steps` must be one it was trained for and w inside its trained range.
 * Synchronous: on the webgpu backend use generateAsync (the images come back newer on the GPU).
 */
export function generate(net: UNet, opts: GenerateOptions): Generated {
  const run = generateSteps(net, opts);
  for (;;) {
    const r = run.next();
    if (r.done) return r.value;
    try {
      if (r.value) opts.onStep?.(r.value);
    } catch (e) {
      run.throw(e); // releases the step's tensors, then rethrows
    }
  }
}

/**
 * generate() on any backend, the path for webgpu: the same steps (generateSteps), but each step's
 * tensors are read back (`await tensor.read()`) before onStep sees them, and the images and trajectory
 * before it resolves, so `.data` works on everything it hands out. On wasm it equals generate() bit for
 * bit. `seconds` includes waiting for the read-backs.
 */
export async function generateAsync(net: UNet, opts: GenerateOptions): Promise<Generated> {
  const t0 = performance.now();
  const run = generateSteps(net, opts);
  for (;;) {
    const r = run.next();
    if (r.done) {
      const g = r.value;
      await Promise.all([g.images, ...(g.trajectory?.frames ?? [])].map((t) => t.read()));
      return { ...g, seconds: (performance.now() - t0) / 1000 };
    }
    const s = r.value;
    if (!s) continue;
    try {
      await Promise.all([s.x, s.drift, s.cond, s.guiding].map((t) => t?.read()));
      opts.onStep?.(s);
    } catch (e) {
      run.throw(e);
    }
  }
}

/**
 * The one sampling loop behind generate() and generateAsync(): yields each step's StepInfo when
 * opts.onStep is set (null otherwise) and releases its tensors when resumed; returns the samples.
 */
function* generateSteps(net: UNet, opts: GenerateOptions): Generator<StepInfo | null, Generated, void> {
  if (net.config.fewStep) checkFewStepOptions(opts);
  const o = resolveGenerate(net, opts);
  const labels = labelsFor(o.classes, o.perClass);
  const N = labels.length;
  const t0 = performance.now();
  const y = T.intTensor(labels);
  const x0 = T.randn(modelImageShape(net.config, N), new T.Rng(o.seed)); // [N, C, S, S]
  // with a callback, keep a copy of each step's first drift evaluation (the field at the step's start)
  // and of its conditional and guiding parts
  let first: T.Tensor | null = null;
  let parts: { cond: T.Tensor | null; guiding: T.Tensor | null } | null = null;
  const onParts = o.onStep
    ? (cond: T.Tensor | null, guiding: T.Tensor | null) => {
        parts ??= { cond: cond ? T.affine(cond, 1).keep() : null, guiding: guiding ? T.affine(guiding, 1).keep() : null };
      }
    : undefined;
  const few = net.config.fewStep ? fewStepStepper(net, o.w, o.steps) : null;
  const ode = few ? null : guidedOde(net, o.w, o.guidance, onParts);
  const ts = timeGrid(o.steps + 1);
  const watch = (u: T.Tensor): T.Tensor => {
    first ??= T.affine(u, 1).keep();
    if (few) parts ??= { cond: T.affine(u, 1).keep(), guiding: null }; // the model's own guided velocity
    return u;
  };
  let stepper: Stepper<T.Tensor>;
  if (few) stepper = o.onStep ? { ...few, step: (x, t, h, c) => T.add(x, T.affine(watch(few.velocity(x, t, c)), h)) } : few;
  else stepper = ODE_SOLVERS[o.solver](o.onStep ? { drift: (x, t, c) => watch(ode!.drift(x, t, c)) } : ode!);
  const steps = simulateSteps(stepper, x0, ts, y, o.recordEvery ?? 0);
  let result: Simulated;
  try {
    for (;;) {
      const r: IteratorResult<StepDone, Simulated> = steps.next();
      if (r.done) {
        result = r.value;
        break;
      }
      const { done, total, from } = r.value;
      if (!o.onStep) {
        yield null;
        continue;
      }
      const drift = first!;
      const { cond, guiding } = parts!;
      first = null;
      parts = null;
      try {
        yield { done, total, t: ts[done - 1]!, x: from, drift, cond, guiding };
      } catch (e) {
        steps.throw(e); // the solver releases the step's start state, then rethrows
      } finally {
        drift.dispose();
        cond?.dispose();
        guiding?.dispose();
      }
    }
  } finally {
    x0.dispose();
    y.dispose();
  }
  const { final: images, trajectory, times } = result;
  // guidedOde counted the network evaluations as they happened (a batched CFG pass of 2N is two)
  return { images, labels, nfe: few ? few.nfe : ode!.nfe, seconds: (performance.now() - t0) / 1000, ...(o.recordEvery ? { trajectory: { frames: trajectory, times } } : {}) };
}
