// Network passes one sample costs under a sampler, counted without a network: at every solver stage,
// what the guided field evaluates there (passesAt: 0, 1 or 2; CFG's batched pass of 2B is two), as generate() counts.
import { ODE_SOLVERS, type OdeSolverName } from "../solvers/steppers.js";
import { timeGrid } from "../solvers/simulate.js";
import type { GuidanceMethod } from "../flow/guidance-methods.js";
import { passesAt } from "../flow/guidance.js";
import type * as T from "../tensor/index.js";

/** The sampler whose cost is counted. */
export interface PassesOptions {
  steps: number;
  solver: OdeSolverName;
  w: number;
  guidance: GuidanceMethod;
}

/** generate()'s NFE per sample for these settings (a pure count: the same float32 time grid and stage times). */
export function passesPerSample(o: PassesOptions): number {
  const { stages } = ODE_SOLVERS[o.solver]({ drift: (x: T.Tensor) => x }); // built only to read its stages
  const ts = timeGrid(o.steps + 1);
  let n = 0;
  for (let k = 0; k < o.steps; k++) {
    const t = ts[k]!, h = ts[k + 1]! - t;
    for (const f of stages) n += passesAt(o.guidance, o.w, Math.fround(t + f * h)); // the time tensor is float32
  }
  return n;
}
