// Schedules (boundary checks, closed-form derivatives), the Gaussian path, and guidance conventions.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as T from "../tensor/index.js";
import { setup, assertClose } from "../testing/helpers.js";
import { SCHEDULES, makeSchedule } from "./schedules.js";
import { GaussianConditionalPath, type DataSampler } from "./path.js";
import { guidedField } from "./guidance.js";

before(() => setup(2));

for (const [name, s] of Object.entries(SCHEDULES)) {
  test(`schedule ${name}: boundary values and derivatives match finite differences`, () => {
    for (const t of [0.1, 0.37, 0.5, 0.83]) {
      const h = 1e-6;
      assert.ok(Math.abs((s.alpha(t + h) - s.alpha(t - h)) / (2 * h) - s.dAlpha(t)) < 1e-5, `${name} dα at ${t}`);
      assert.ok(Math.abs((s.beta(t + h) - s.beta(t - h)) / (2 * h) - s.dBeta(t)) < 1e-5, `${name} dβ at ${t}`);
    }
  });
}

test("a schedule violating α(1) = 1 is rejected on construction", () => {
  assert.throws(() => makeSchedule({ name: "bad", alpha: (t) => t / 2, beta: (t) => 1 - t, dAlpha: () => 0.5, dBeta: () => -1 }), /schedule bad: α\(1\) must be 1, got 0.5/);
});

const fixture = (z: T.Tensor): DataSampler => ({ imageShape: [1, 2, 2], numClasses: 10, sample: () => ({ z: T.reshape(z, z.shape), y: T.intTensor([1, 2]) }) });

for (const [name, s] of Object.entries(SCHEDULES)) {
  test(`path (${name}): target = α̇z + β̇ε equals the conditional vector field; score ↔ velocity round-trip`, () =>
    T.tidy(() => {
      const path = new GaussianConditionalPath(s);
      const r = new T.Rng(4);
      const z = T.randn([2, 1, 2, 2], r);
      const t = T.tensor([0.3, 0.7], [2, 1, 1, 1]);
      const { x, eps } = path.sampleConditionalPath(z, t, r);
      const sAt = (i: number) => [s.alpha(t.data[i]!), s.beta(t.data[i]!)] as const;
      // x = αz + βε
      for (let i = 0; i < 8; i++) {
        const [a, b] = sAt(i >> 2);
        assert.ok(Math.abs(x.data[i]! - (a * z.data[i]! + b * eps.data[i]!)) < 1e-5);
      }
      assertClose(path.target(z, eps, t), path.conditionalVectorField(x, z, t), 1e-4, "target vs u_t(x|z)");
      const score = path.conditionalScore(x, z, t);
      // for p_t(x|z) the score is −ε/β
      for (let i = 0; i < 8; i++) assert.ok(Math.abs(score.data[i]! + eps.data[i]! / sAt(i >> 2)[1]) < 1e-3);
      const u = path.scoreToVelocity(score, x, t);
      assertClose(path.velocityToScore(u, x, t), score, 1e-3, "round-trip");
      assert.deepEqual(path.sampleMarginalPath(fixture(z), t, r).shape, [2, 1, 2, 2]);
    }));
}

test("linear path target is z − ε and stays finite at t = 1", () =>
  T.tidy(() => {
    const path = new GaussianConditionalPath(SCHEDULES.linear);
    const r = new T.Rng(5);
    const z = T.randn([2, 1, 2, 2], r), eps = T.randn([2, 1, 2, 2], r);
    assertClose(path.target(z, eps, T.tensor([1, 0.999], [2, 1, 1, 1])), T.sub(z, eps), 1e-6, "z − ε");
    assert.throws(() => path.conditionalVectorField(z, z, T.tensor([1, 0.5], [2, 1, 1, 1])), /β_t = 0 at t = 1/);
    assert.throws(() => path.target(z, eps, T.tensor([1.2, 0.5], [2, 1, 1, 1])), /t\[0\] = 1\.2\d* is outside \[0, 1\]/);
  }));

test("guidance: w = 1 is the conditional field, w = 0 the unconditional one; batched = separate", () =>
  T.tidy(() => {
    // a toy field whose output depends on the label: u = x + y
    const u = (x: T.Tensor, _t: T.Tensor, y: T.Tensor) => T.add(x, T.reshape(T.tensor(Array.from(y.idata)), [y.size, 1, 1, 1]));
    const x = T.zeros([2, 1, 2, 2]), t = T.full([2, 1, 1, 1], 0.5), y = T.intTensor([3, 4]);
    assert.equal(guidedField(u, x, t, y, 1, 10).data[0], 3);
    assert.equal(guidedField(u, x, t, y, 0, 10).data[0], 10);
    // (1 − w)·10 + w·3 at w = 3 = −20 + 9 = −11; the s-convention: (1 + s)c − s·u with s = 2
    assert.equal(guidedField(u, x, t, y, 3, 10).data[0], -11);
    assertClose(guidedField(u, x, t, y, 2.5, 10), guidedField(u, x, t, y, 2.5, 10, { batched: false }), 1e-6, "batched");
    assert.throws(() => guidedField(u, x, t, y, NaN, 10), /finite/);
  }));
