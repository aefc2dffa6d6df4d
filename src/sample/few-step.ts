// Few-step sampling from a distilled model u(x, t, y, w, d): x ← x + d·u(x, t, y, w, d), d = 1/steps,
// from t = 0 to 1. Guidance is the model's w input: one network pass per step, no unconditional pass.
import * as T from "../tensor/index.js";
import { unetForward, type UNet } from "../nn/unet.js";
import type { Stepper } from "../solvers/types.js";

/** The few-step model's range and step counts; throws when `net` is not a few-step model. */
export function fewStepOf(net: UNet): NonNullable<UNet["config"]["fewStep"]> {
  const f = net.config.fewStep;
  if (!f) throw new RangeError("not a few-step model: its config has no fewStep (sample it with a solver)");
  return f;
}

/** Checks w and the step count against what a few-step model was trained for; the errors name both. */
export function validateFewStep(net: UNet, w: number, steps: number): void {
  const f = fewStepOf(net);
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`steps must be ≥ 1, got ${steps}`);
  if (!f.steps.includes(steps)) throw new RangeError(`steps ${steps}: this few-step model was trained for ${f.steps.join(", ")} steps`);
  if (!(w >= f.wMin && w <= f.wMax)) throw new RangeError(`w = ${w} is outside this few-step model's trained range [${f.wMin}, ${f.wMax}] (w is not clamped)`);
}

/** The few-step update as a Stepper, with its network-pass count and the model's velocity. */
export interface FewStepStepper extends Stepper<T.Tensor> {
  /** Network passes so far (one per step). */
  nfe: number;
  /** u(x, t, y, w, d) at this stepper's w and d. x: [B, 1, H, W], y: [B] → [B, 1, H, W] */
  velocity(x: T.Tensor, t: number, y: T.Tensor): T.Tensor;
}

/**
 * One few-step update as a Stepper: x + h·u(x, t, y, w, d) with d = 1/steps (the step size it was
 * trained for; the grid's h equals d up to float32 rounding). `nfe` counts network passes.
 */
export function fewStepStepper(net: UNet, w: number, steps: number): FewStepStepper {
  validateFewStep(net, w, steps);
  const d = 1 / steps;
  const s: FewStepStepper = {
    name: "few-step",
    evalsPerStep: 1,
    stages: [0],
    nfe: 0,
    velocity(x, t, y) {
      const B = x.shape[0]!;
      s.nfe++;
      return unetForward(net, x, T.full([B, 1, 1, 1], t), y, "eval", { w: T.full([B, 1, 1, 1], w), d: T.full([B, 1, 1, 1], d) }); // [B, 1, H, W]
    },
    step(x, t, h, y) {
      return T.add(x, T.affine(s.velocity(x, t, y), h));
    },
  };
  return s;
}
