// Distillation targets: the teacher's CFG field with one w per row, the teacher's guided ODE solved
// with the midpoint rule (states kept at chosen steps), and shortcut self-consistency targets.
import * as T from "../tensor/index.js";
import { unetForward, type UNet } from "../nn/unet.js";

/** A per-row scalar as [B, 1, 1, 1]. */
export const perRow = (v: ArrayLike<number>): T.Tensor => T.tensor(v, [v.length, 1, 1, 1]);

/**
 * The teacher's guided velocity (1 − w)·u(x, t, ∅) + w·u(x, t, y), w and t per row, in one batched pass
 * of 2B. x: [B, 1, H, W], t, w: [B, 1, 1, 1], y: [B] → [B, 1, H, W]
 */
export function teacherGuided(teacher: UNet, x: T.Tensor, t: T.Tensor, y: T.Tensor, w: T.Tensor): T.Tensor {
  const B = x.shape[0]!;
  const nulls = T.intTensor(new Array<number>(B).fill(teacher.config.numClasses));
  const both = unetForward(teacher, T.concat([x, x], 0), T.concat([t, t], 0), T.concat([nulls, y], 0), "eval"); // [2B, 1, H, W]
  const rest = x.shape.slice(1);
  const uNull = T.slice(both, [0, ...rest.map(() => 0)], [B, ...rest]);
  const uCond = T.slice(both, [B, ...rest.map(() => 0)], [B, ...rest]);
  return T.add(uNull, T.mul(w, T.sub(uCond, uNull)));
}

/**
 * The teacher's guided ODE from x0 over [0, 1] in `steps` midpoint steps; returns x at every
 * `keepEvery`-th step, x0 first (kept tensors; the caller disposes them). Runs without a tape.
 */
export function teacherTrajectory(teacher: UNet, x0: T.Tensor, y: T.Tensor, w: T.Tensor, steps: number, keepEvery: number): T.Tensor[] {
  const B = x0.shape[0]!;
  const states = [T.affine(x0, 1).keep()];
  let x = states[0]!;
  T.noGrad(() => {
    for (let k = 0; k < steps; k++) {
      const t = k / steps, h = 1 / steps;
      const next = T.tidy(() => {
        const k1 = teacherGuided(teacher, x, T.full([B, 1, 1, 1], t), y, w);
        const xm = T.add(x, T.affine(k1, h / 2));
        const k2 = teacherGuided(teacher, xm, T.full([B, 1, 1, 1], t + h / 2), y, w);
        return T.add(x, T.affine(k2, h));
      }).keep();
      if (!states.includes(x)) x.dispose();
      if ((k + 1) % keepEvery === 0) states.push(next);
      x = next;
    }
  });
  return states;
}
