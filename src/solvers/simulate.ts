// Integration over a time grid: simulate, simulateWithTrajectory (recordEvery, as in the lab),
// uniform grids, and NFE counting. Each step runs in its own tidy scope, so memory stays flat.
import * as T from "../tensor/index.js";
import type { ODE, Stepper } from "./types.js";

/**
 * n evenly spaced float32 times in [t0, t1], bit-identical to torch.linspace on PyTorch's AVX2 CPU
 * kernel: full 8-lane chunks add step·lane to the chunk's base (from t0 in the first half, from t1 in
 * the second); the tail is computed per element.
 */
export function timeGrid(n: number, t0 = 0, t1 = 1): Float32Array {
  if (!Number.isInteger(n) || n < 2) throw new RangeError(`time grid needs at least 2 points, got ${n}`);
  const f = Math.fround;
  const out = new Float32Array(n);
  const step = f(f(t1 - t0) / (n - 1));
  const half = n / 2;
  const LANES = 8;
  for (let i = 0; i < n; i++) {
    const i0 = i - (i % LANES), lane = i % LANES;
    if (i0 + LANES <= n) {
      const base = i < half ? f(t0 + f(step * i0)) : f(t1 - f(step * (n - 1 - i0)));
      out[i] = f(base + f(step * lane));
    } else {
      out[i] = i < half ? f(t0 + f(step * i)) : f(t1 - f(step * (n - 1 - i)));
    }
  }
  out[0] = t0;
  out[n - 1] = t1;
  return out;
}

/** Indices of the steps to record: every k-th, always including the last (the lab's record_every). */
export function recordEvery(numTimesteps: number, every: number): number[] {
  if (!Number.isInteger(every) || every < 1) throw new RangeError(`recordEvery must be a positive integer, got ${every}`);
  if (every === 1) return Array.from({ length: numTimesteps }, (_, i) => i);
  const out: number[] = [];
  for (let i = 0; i < numTimesteps - 1; i += every) out.push(i);
  out.push(numTimesteps - 1);
  return out;
}

/** Wraps an ODE to count drift evaluations (network function evaluations). */
export function countNfe<C>(ode: ODE<C>): ODE<C> & { nfe: number } {
  const counted = {
    nfe: 0,
    drift(x: T.Tensor, t: number, c: C): T.Tensor {
      counted.nfe++;
      return ode.drift(x, t, c);
    },
  };
  return counted;
}

/** Options of simulate() and simulateWithTrajectory(). */
export interface SimulateOptions {
  /**
   * Called after each step with (stepsDone, totalSteps, from): `from` is x at the start of that step,
   * at ts[stepsDone − 1]; it is valid only during the call.
   */
  onStep?: (done: number, total: number, from: T.Tensor) => void;
}

function checkGrid(ts: ArrayLike<number>): void {
  if (ts.length < 2) throw new RangeError(`simulate: the time grid needs at least 2 points, got ${ts.length}`);
  for (let i = 0; i < ts.length; i++) if (!Number.isFinite(ts[i]!)) throw new RangeError(`simulate: ts[${i}] = ${ts[i]} is not finite`);
}

/** One step of simulateSteps, reported after it ran: `from` is x at ts[done − 1], valid until the next step. */
export interface StepDone {
  done: number;
  total: number;
  from: T.Tensor;
}

/** simulateSteps' result: x at ts[last] (a new tensor) and the recorded states (none when `every` is 0). */
export interface Simulated {
  final: T.Tensor;
  trajectory: T.Tensor[];
  times: number[];
}

/**
 * The one integration loop, as a generator: steps over ts, each step in its own tidy scope, and yields
 * after each step (before its start state is released), so a synchronous driver (simulate) and an
 * asynchronous one (generateAsync, which awaits GPU read-backs between steps) share it. With `every`
 * ≥ 1 it records x at every k-th step (0 = x0) and the last. x0 is not disposed.
 */
export function* simulateSteps<C>(stepper: Stepper<C>, x0: T.Tensor, ts: ArrayLike<number>, cond: C, every = 0): Generator<StepDone, Simulated, void> {
  checkGrid(ts);
  const keep = every ? new Set(recordEvery(ts.length, every)) : null;
  const trajectory: T.Tensor[] = [];
  const times: number[] = [];
  const visit = (x: T.Tensor, i: number) => {
    if (!keep?.has(i)) return;
    trajectory.push(T.tidy(() => T.affine(x, 1)));
    times.push(ts[i]!);
  };
  let x = x0;
  try {
    visit(x0, 0);
    for (let i = 0; i + 1 < ts.length; i++) {
      const t = ts[i]!;
      const h = Math.fround(ts[i + 1]! - t);
      const prev = x;
      x = T.tidy(() => T.noGrad(() => stepper.step(prev, t, h, cond)));
      try {
        yield { done: i + 1, total: ts.length - 1, from: prev };
      } finally {
        if (prev !== x0) prev.dispose();
      }
      visit(x, i + 1);
    }
  } catch (e) {
    // stopped by the driver (or a failed step): release what the caller will never receive
    if (x !== x0 && !x.disposed) x.dispose();
    T.disposeAll(trajectory);
    throw e;
  }
  return { final: x, trajectory, times };
}

/** Runs simulateSteps to the end, calling opts.onStep at each step. */
function drain<C>(steps: Generator<StepDone, Simulated, void>, opts: SimulateOptions): Simulated {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    try {
      opts.onStep?.(r.value.done, r.value.total, r.value.from);
    } catch (e) {
      steps.throw(e); // releases the step's start state, then rethrows
    }
  }
}

/** Integrates x0 over ts; returns x at ts[last] (a new tensor). x0 is not disposed. */
export function simulate<C>(stepper: Stepper<C>, x0: T.Tensor, ts: ArrayLike<number>, cond: C, opts: SimulateOptions = {}): T.Tensor {
  return drain(simulateSteps(stepper, x0, ts, cond), opts).final;
}

/** Like simulate, also returning x at the recorded step indices (0 = x0). */
export function simulateWithTrajectory<C>(
  stepper: Stepper<C>,
  x0: T.Tensor,
  ts: ArrayLike<number>,
  cond: C,
  every = 1,
  opts: SimulateOptions = {},
): Simulated {
  return drain(simulateSteps(stepper, x0, ts, cond, every), opts);
}
