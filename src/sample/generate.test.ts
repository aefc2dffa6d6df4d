// generate(): the per-step callback reports (t, x, drift) of each step's start, consistent with the trajectory.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as T from "../tensor/index.js";
import { setup, maxAbsDiff } from "../testing/helpers.js";
import { initUNet } from "../nn/unet.js";
import { generate, type StepInfo } from "./generate.js";
import { timeGrid } from "../solvers/simulate.js";
import { CFG } from "../flow/guidance-methods.js";

before(() => setup(2));

const cases: { solver: "euler" | "midpoint" | "heun" | "rk4"; steps: number; w: number }[] = [
  { solver: "euler", steps: 4, w: 3 },
  { solver: "midpoint", steps: 3, w: 1 },
  { solver: "rk4", steps: 2, w: 0 },
];

for (const c of cases) {
  test(`onStep reports each step's start state and its drift (${c.solver}, ${c.steps} steps, w = ${c.w})`, () => {
    const net = initUNet({ channels: [4, 8], numResidualLayers: 1, tEmbedDim: 4, yEmbedDim: 4, numClasses: 10 }, 3);
    const seen: { done: number; total: number; t: number; x: Float32Array; drift: Float32Array }[] = [];
    const g = generate(net, {
      classes: [2, 10], perClass: 2, w: c.w, steps: c.steps, solver: c.solver, seed: 5, recordEvery: 1,
      onStep: (s: StepInfo) => seen.push({ done: s.done, total: s.total, t: s.t, x: s.x.toFloat32Array(), drift: s.drift.toFloat32Array() }),
    });
    const ts = timeGrid(c.steps + 1);
    assert.deepEqual(seen.map((s) => s.done), Array.from({ length: c.steps }, (_, i) => i + 1));
    assert.ok(seen.every((s) => s.total === c.steps));
    assert.deepEqual(seen.map((s) => s.t), Array.from(ts.subarray(0, c.steps)));
    // x is the trajectory's frame at the same t: the pairing the web page's endpoint panel relies on
    seen.forEach((s, i) => assert.equal(maxAbsDiff(s.x, g.trajectory!.frames[i]!.data), 0, `x at step ${i}`));
    // for Euler, the next state is x + h·drift exactly (h·drift rounded to f32 first)
    if (c.solver === "euler") {
      seen.forEach((s, i) => {
        const h = Math.fround(ts[i + 1]! - ts[i]!);
        const next = g.trajectory!.frames[i + 1]!.data;
        const pred = s.x.map((v, k) => Math.fround(v + Math.fround(s.drift[k]! * h)));
        assert.ok(maxAbsDiff(pred, next) < 1e-6, `Euler step ${i}`);
      });
    }
    g.images.dispose();
    g.trajectory!.frames.forEach((f) => f.dispose());
    T.disposeAll(net.params);
  });
}

test("the callback's copies of the drift are released (no tensors left behind)", () => {
  const net = initUNet({ channels: [4, 8], numResidualLayers: 1, tEmbedDim: 4, yEmbedDim: 4, numClasses: 10 }, 3);
  const before = T.engine().heap.liveBytes;
  const g = generate(net, { classes: [1], perClass: 1, w: 2, steps: 2, solver: "heun", seed: 0, onStep: () => {} });
  g.images.dispose();
  assert.equal(T.engine().heap.liveBytes, before);
  T.disposeAll(net.params);
});

for (const w of [0, 1, 3]) {
  test(`onStep's conditional and unconditional parts recombine to the drift: (1 − w)·uncond + w·cond (w = ${w})`, () => {
    const net = initUNet({ channels: [4, 8], numResidualLayers: 1, tEmbedDim: 4, yEmbedDim: 4, numClasses: 10 }, 3);
    const before = T.engine().heap.liveBytes;
    let checked = 0;
    const g = generate(net, {
      classes: [3, 10], perClass: 1, w, steps: 3, solver: "midpoint", seed: 2, guidance: CFG, // plain CFG guides at every step
      onStep: (s) => {
        const drift = s.drift.toFloat32Array();
        if (w === 0) {
          assert.equal(s.cond, null, "w = 0 evaluates only the unconditional field");
          assert.equal(maxAbsDiff(drift, s.guiding!.toFloat32Array()), 0);
          checked++;
          return;
        }
        const cond = s.cond!.toFloat32Array();
        if (w === 1) {
          assert.equal(s.guiding, null, "w = 1 evaluates only the conditional field");
          assert.equal(maxAbsDiff(drift, cond), 0);
        } else {
          const uncond = s.guiding!.toFloat32Array();
          const mix = cond.map((c, k) => (1 - w) * uncond[k]! + w * c);
          assert.ok(maxAbsDiff(mix, drift) < 1e-5, `step ${s.done}`);
          // the ∅ row asks for no class, so its two parts are the same field
          const half = cond.length / 2;
          assert.equal(maxAbsDiff(cond.subarray(half), uncond.subarray(half)), 0);
          assert.ok(maxAbsDiff(cond.subarray(0, half), uncond.subarray(0, half)) > 0, "class 3 differs from ∅");
        }
        checked++;
      },
    });
    assert.equal(checked, 3);
    g.images.dispose();
    assert.equal(T.engine().heap.liveBytes, before, "the parts' copies are released");
    T.disposeAll(net.params);
  });
}
