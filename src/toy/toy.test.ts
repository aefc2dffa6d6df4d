// The toy flow: the data sets' own checks, the loss falls, the particles reach the data's support, and
// guidance w moves them toward the chosen class.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as T from "../tensor/index.js";
import { setup } from "../testing/helpers.js";
import { TOY_SETS, TOY_SET_NAMES } from "./datasets.js";
import { ToyTrainer, toyField, toyParticles } from "./toy-flow.js";

test("every toy set's samples lie on its support and in the class they are labelled", () => {
  for (const name of TOY_SET_NAMES) {
    const set = TOY_SETS[name];
    const { points, labels } = set.sample(400, new T.Rng(1));
    let off = 0, wrong = 0;
    for (let i = 0; i < 400; i++) {
      if (set.distance(points[2 * i]!, points[2 * i + 1]!) > 0.05) off++;
      if (set.classOf(points[2 * i]!, points[2 * i + 1]!) !== labels[i]) wrong++;
    }
    assert.ok(off <= 12, `${name}: ${off} of 400 samples off the support`);
    assert.ok(wrong <= 8, `${name}: ${wrong} of 400 samples in another class's region`);
    assert.equal(new Set(labels).size, set.numClasses, `${name}: every class appears`);
  }
  // and a point far away is far from every support
  for (const name of TOY_SET_NAMES) assert.ok(TOY_SETS[name].distance(6, 6) > 2, name);
});

// the loss has a high floor (the spread of z − ε given x_t), so it falls by a fraction, not to zero
const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;

for (const name of TOY_SET_NAMES) {
  test(`${name}: the loss falls, the particles reach the support, w moves them toward the chosen class`, async () => {
    await setup(1);
    const tr = new ToyTrainer(name);
    const losses = Array.from({ length: 600 }, () => tr.trainStep());
    assert.ok(mean(losses.slice(-50)) < 0.85 * mean(losses.slice(0, 50)), `${name}: loss ${mean(losses.slice(0, 50)).toFixed(3)} → ${mean(losses.slice(-50)).toFixed(3)}`);
    const set = tr.set, K = set.numClasses, n = 400;
    const land = (y: number, w: number) => toyParticles(tr.net, { n, y, w, steps: 20, seed: 3 }).at(-1)!;
    // unconditional particles land on the data
    const free = land(K, 1);
    const near = Array.from({ length: n }, (_, i) => set.distance(free[2 * i]!, free[2 * i + 1]!)).filter((d) => d < 0.3).length;
    assert.ok(near / n > 0.75, `${name}: ${near} of ${n} particles within 0.3 of the support`);
    // and guidance moves them into the chosen class: w = 0 is the unconditional flow, w = 3 pushes past y
    const share = (xs: Float32Array) => Array.from({ length: n }, (_, i) => set.classOf(xs[2 * i]!, xs[2 * i + 1]!)).filter((c) => c === 0).length / n;
    const at0 = share(land(0, 0)), at3 = share(land(0, 3));
    assert.ok(at3 > 0.9 && at3 > at0 + 0.3, `${name}: share in class 0 at w = 0: ${at0}, at w = 3: ${at3}`);
    // the field at t = 0 differs between w = 0 and w = 3 for the same label
    const grid = Float32Array.from([0, 0, 1, 1, -1, 0.5]);
    const f0 = toyField(tr.net, grid, 0.5, 0, 0), f3 = toyField(tr.net, grid, 0.5, 0, 3);
    assert.ok(f0.some((v, i) => Math.abs(v - f3[i]!) > 1e-3), `${name}: w changes the field`);
    tr.dispose();
  });
}
