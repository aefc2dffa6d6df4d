// Numbers the page writes in words: a duration ("2 min 5 s") and the network passes one digit costs
// with a solver at a guidance scale (so a card can say what the default sampler makes, not a constant).
import type * as T from "../tensor/index.js";
import { ODE_SOLVERS, type OdeSolverName } from "../solvers/steppers.js";

/** "45 s", "2 min 5 s", "3 min": rounded to the second first, so 119.6 s is "2 min", never "1 min 60 s". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60), r = s % 60;
  return r ? `${m} min ${r} s` : `${m} min`;
}

/**
 * Network passes per digit of a plain-CFG run as the page makes it: steps × the solver's evaluations per
 * step × 2 (∅ and y), or × 1 at w = 1 (the conditional field alone) and at w = 0, where the page's worker
 * evaluates the unconditional field alone (generate() itself evaluates both there).
 */
export function cfgPassesPerDigit(steps: number, solver: OdeSolverName, w: number): number {
  const evals = ODE_SOLVERS[solver]({ drift: (x: T.Tensor) => x }).evalsPerStep; // the stepper is built only to read its count
  return steps * evals * (w === 0 || w === 1 ? 1 : 2);
}
