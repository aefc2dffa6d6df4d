// The solver study: Euler, midpoint, Heun and RK4 at about 10, 20, 50, 100 and 200 network evaluations,
// plain CFG at w = 3, so each solver's Fréchet distance can be read against its cost.
import { ODE_SOLVERS, ODE_SOLVER_NAMES } from "../solvers/steppers.js";
import type { EvalRun } from "./eval-rows.js";

/** The study's settings: the network-evaluation budgets and the guidance scale. */
export const SOLVER_STUDY = Object.freeze({ nfe: [10, 20, 50, 100, 200], w: 3 });

/** The study's runs: each solver at each budget (CFG: 2 evaluations per drift). */
export function solverStudyRuns(): EvalRun[] {
  return ODE_SOLVER_NAMES.flatMap((solver) => {
    const perStep = 2 * ODE_SOLVERS[solver]({ drift: (x) => x }).evalsPerStep;
    return SOLVER_STUDY.nfe.map((nfe) => {
      const steps = Math.max(1, Math.round(nfe / perStep));
      return { label: `${solver} NFE ${steps * perStep}`, w: SOLVER_STUDY.w, solver, steps, guidance: "cfg" };
    });
  });
}
