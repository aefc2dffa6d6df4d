// ODE/SDE interfaces over a velocity field (x, t, condition), and the integrator protocol.
import type * as T from "../tensor/index.js";

/** dx/dt = drift(x, t, c). t is one time shared by the whole batch. */
export interface ODE<C = unknown> {
  /** The velocity at (x, t) given the condition. */
  drift(x: T.Tensor, t: number, cond: C): T.Tensor;
}

/** dx = drift dt + diffusion dW (diffusion is a scalar σ(t) or a tensor like x). */
export interface SDE<C = unknown> extends ODE<C> {
  /** The noise scale σ(t) (a number) or a tensor like x. */
  diffusion(x: T.Tensor, t: number, cond: C): T.Tensor | number;
}

/** Advances x from t to t + h. */
export interface Stepper<C> {
  readonly name: string;
  /** Drift evaluations per step. */
  readonly evalsPerStep: number;
  /** Where in a step the drift is evaluated, as fractions of h (one per evaluation: t + f·h). */
  readonly stages: readonly number[];
  /** x at t + h from x at t. */
  step(x: T.Tensor, t: number, h: number, cond: C): T.Tensor;
}
