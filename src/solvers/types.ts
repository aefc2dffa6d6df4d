// ODE/SDE interfaces over a velocity field (x, t, condition), and the integrator protocol.
import type * as T from "../tensor/index.js";

/** dx/dt = drift(x, t, c). t is one time shared by the whole batch. */
export interface ODE<C = unknown> {
  drift(x: T.Tensor, t: number, cond: C): T.Tensor;
}

/** dx = drift dt + diffusion dW (diffusion is a scalar σ(t) or a tensor like x). */
export interface SDE<C = unknown> extends ODE<C> {
  diffusion(x: T.Tensor, t: number, cond: C): T.Tensor | number;
}

/** Advances x from t to t + h. */
export interface Stepper<C> {
  readonly name: string;
  /** Drift evaluations per step. */
  readonly evalsPerStep: number;
  step(x: T.Tensor, t: number, h: number, cond: C): T.Tensor;
}
