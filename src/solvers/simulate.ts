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

/** The shared loop: steps over ts, each step in its own tidy scope; `visit` sees x after each step. */
function integrate<C>(stepper: Stepper<C>, x0: T.Tensor, ts: ArrayLike<number>, cond: C, opts: SimulateOptions, visit?: (x: T.Tensor, i: number) => void): T.Tensor {
  checkGrid(ts);
  visit?.(x0, 0);
  let x = x0;
  for (let i = 0; i + 1 < ts.length; i++) {
    const t = ts[i]!;
    const h = Math.fround(ts[i + 1]! - t);
    const prev = x;
    x = T.tidy(() => T.noGrad(() => stepper.step(prev, t, h, cond)));
    opts.onStep?.(i + 1, ts.length - 1, prev);
    if (prev !== x0) prev.dispose();
    visit?.(x, i + 1);
  }
  return x;
}

/** Integrates x0 over ts; returns x at ts[last] (a new tensor). x0 is not disposed. */
export function simulate<C>(stepper: Stepper<C>, x0: T.Tensor, ts: ArrayLike<number>, cond: C, opts: SimulateOptions = {}): T.Tensor {
  return integrate(stepper, x0, ts, cond, opts);
}

/** Like simulate, also returning x at the recorded step indices (0 = x0). */
export function simulateWithTrajectory<C>(
  stepper: Stepper<C>,
  x0: T.Tensor,
  ts: ArrayLike<number>,
  cond: C,
  every = 1,
  opts: SimulateOptions = {},
): { final: T.Tensor; trajectory: T.Tensor[]; times: number[] } {
  const keep = new Set(recordEvery(ts.length, every));
  const trajectory: T.Tensor[] = [];
  const times: number[] = [];
  const final = integrate(stepper, x0, ts, cond, opts, (x, i) => {
    if (!keep.has(i)) return;
    trajectory.push(T.tidy(() => T.affine(x, 1)));
    times.push(ts[i]!);
  });
  return { final, trajectory, times };
}
