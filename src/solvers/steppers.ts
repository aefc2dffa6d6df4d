// Fixed-step integrators: Euler, midpoint, Heun, RK4 (ODE) and Euler–Maruyama (SDE).
import * as T from "../tensor/index.js";
import type { ODE, SDE, Stepper } from "./types.js";

/** x + h·v, with h·v rounded to float32 first (as PyTorch's x + v*h). */
const axpy = (x: T.Tensor, v: T.Tensor, h: number): T.Tensor => T.add(x, T.affine(v, h));

/** Euler: x + h·u(x, t). One evaluation per step. */
export function euler<C>(ode: ODE<C>): Stepper<C> {
  return { name: "euler", evalsPerStep: 1, stages: [0], step: (x, t, h, c) => axpy(x, ode.drift(x, t, c), h) };
}

/** The midpoint rule (second order): two evaluations per step. */
export function midpoint<C>(ode: ODE<C>): Stepper<C> {
  return {
    name: "midpoint",
    evalsPerStep: 2,
    stages: [0, 0.5],
    step(x, t, h, c) {
      const k1 = ode.drift(x, t, c);
      return axpy(x, ode.drift(axpy(x, k1, h / 2), t + h / 2, c), h);
    },
  };
}

/** Heun's method (trapezoidal predictor-corrector, second order): two evaluations per step. */
export function heun<C>(ode: ODE<C>): Stepper<C> {
  return {
    name: "heun",
    evalsPerStep: 2,
    stages: [0, 1],
    step(x, t, h, c) {
      const k1 = ode.drift(x, t, c);
      const k2 = ode.drift(axpy(x, k1, h), t + h, c);
      return axpy(x, T.add(k1, k2), h / 2);
    },
  };
}

/** Classical fourth-order Runge–Kutta: four evaluations per step. */
export function rk4<C>(ode: ODE<C>): Stepper<C> {
  return {
    name: "rk4",
    evalsPerStep: 4,
    stages: [0, 0.5, 0.5, 1],
    step(x, t, h, c) {
      const k1 = ode.drift(x, t, c);
      const k2 = ode.drift(axpy(x, k1, h / 2), t + h / 2, c);
      const k3 = ode.drift(axpy(x, k2, h / 2), t + h / 2, c);
      const k4 = ode.drift(axpy(x, k3, h), t + h, c);
      const sum = T.add(T.add(k1, T.affine(k2, 2)), T.add(T.affine(k3, 2), k4));
      return axpy(x, sum, h / 6);
    },
  };
}

/** x + drift·h + σ·√h·ξ, ξ ~ N(0, I) from `rng`. */
export function eulerMaruyama<C>(sde: SDE<C>, rng: T.Rng): Stepper<C> {
  return {
    name: "euler-maruyama",
    evalsPerStep: 1,
    stages: [0],
    step(x, t, h, c) {
      const noise = T.randn(x.shape, rng, Math.sqrt(h));
      const sigma = sde.diffusion(x, t, c);
      const dw = typeof sigma === "number" ? T.affine(noise, sigma) : T.mul(sigma, noise);
      return T.add(axpy(x, sde.drift(x, t, c), h), dw);
    },
  };
}

/** The ODE solvers by name (the CLI's --solver). */
export const ODE_SOLVERS = {
  /** Euler, first order. */
  euler,
  /** The midpoint rule, second order. */
  midpoint,
  /** Heun, second order. */
  heun,
  /** Runge–Kutta, fourth order. */
  rk4,
} as const;
/** An ODE solver's name: "euler", "midpoint", "heun" or "rk4". */
export type OdeSolverName = keyof typeof ODE_SOLVERS;

/** The solvers' names, in the table's order (the page's choices, the studies' rows). */
export const ODE_SOLVER_NAMES = Object.freeze(Object.keys(ODE_SOLVERS) as OdeSolverName[]);

/** Whether a string names an ODE solver. */
export function isOdeSolverName(s: string): s is OdeSolverName {
  return Object.hasOwn(ODE_SOLVERS, s);
}

/** The one message for a name that is not a solver: `${what} must be euler, midpoint, heun or rk4, got "x"`. */
export function unknownSolverMessage(what: string, got: string): string {
  const names = ODE_SOLVER_NAMES;
  return `${what} must be ${names.slice(0, -1).join(", ")} or ${names[names.length - 1]}, got "${got}"`;
}
