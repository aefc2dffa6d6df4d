// passesPerSample counts what generate() counts, for every solver and guidance method at several w.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as T from "../tensor/index.js";
import { initUNet } from "../nn/unet.js";
import { generate } from "./generate.js";
import { passesPerSample } from "./passes.js";
import { ODE_SOLVER_NAMES } from "../solvers/steppers.js";
import { guidanceByName, GUIDANCE_NAMES } from "../flow/guidance-methods.js";
import { setup } from "../testing/helpers.js";

test("passesPerSample equals generate()'s NFE per sample (every solver, method, and w = 0, 1, 3)", async () => {
  await setup(1);
  const net = initUNet({ channels: [4, 8], numResidualLayers: 1, tEmbedDim: 8, yEmbedDim: 8, numClasses: 10 }, 0);
  for (const solver of ODE_SOLVER_NAMES)
    for (const name of GUIDANCE_NAMES)
      for (const [w, steps] of [[0, 3], [1, 4], [3, 5], [3, 7]] as const) {
        const guidance = guidanceByName(name);
        const g = generate(net, { classes: [0], steps, solver, w, guidance });
        g.images.dispose();
        assert.equal(passesPerSample({ steps, solver, w, guidance }), g.nfe, `${solver} ${steps} steps, ${name}, w = ${w}`);
      }
  T.disposeAll(net.params);
});

test("at w = 0 one pass per stage (u(x|∅) inside the interval, u(x|y) outside): 5 midpoint steps make 10, not 16", () => {
  assert.equal(passesPerSample({ steps: 5, solver: "midpoint", w: 0, guidance: guidanceByName("interval") }), 10);
  assert.equal(passesPerSample({ steps: 5, solver: "midpoint", w: 0, guidance: guidanceByName("cfg") }), 10);
  assert.equal(passesPerSample({ steps: 5, solver: "midpoint", w: 3, guidance: guidanceByName("interval") }), 16);
});
