// Each stepper's `stages` are the times it really evaluates the drift at: t + f·h, in order.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as T from "../tensor/index.js";
import { ODE_SOLVERS, ODE_SOLVER_NAMES } from "./steppers.js";
import { setup } from "../testing/helpers.js";

test("stages list the drift's evaluation times within a step (every ODE solver)", async () => {
  await setup(1);
  for (const name of ODE_SOLVER_NAMES) {
    const seen: number[] = [];
    const stepper = ODE_SOLVERS[name]({ drift: (x: T.Tensor, t: number) => (seen.push(t), T.affine(x, -1)) });
    const [t, h] = [0.25, 0.5];
    T.tidy(() => stepper.step(T.full([1, 1], 1), t, h, undefined));
    assert.deepEqual(seen, stepper.stages.map((f) => t + f * h), name);
    assert.equal(stepper.stages.length, stepper.evalsPerStep, name);
  }
});
