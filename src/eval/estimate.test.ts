// Intervals: Wilson's for proportions (published values), the mean's standard error, the bootstrap
// (against the analytic error of a mean), "within noise", and the eigenvalue solver the FD relies on.
import { test } from "node:test";
import assert from "node:assert/strict";
import { proportion, meanEstimate, bootstrap, withinNoise, normalEstimate, formatEstimate } from "./estimate.js";
import { symEigenvalues } from "./eigenvalues.js";
import { symEig } from "./linalg.js";
import { Rng } from "../tensor/random.js";

test("Wilson intervals match published values", () => {
  const cases: [number, number, number, number][] = [
    // k, n, lo, hi (95 %)
    [0, 10, 0, 0.2775],
    [10, 10, 0.7225, 1],
    [50, 100, 0.4038, 0.5962],
    [499, 500, 0.9888, 0.9996],
  ];
  for (const [k, n, lo, hi] of cases) {
    const e = proportion(k, n);
    assert.ok(Math.abs(e.lo - lo) < 1e-3 && Math.abs(e.hi - hi) < 1e-3, `${k}/${n}: [${e.lo}, ${e.hi}] vs [${lo}, ${hi}]`);
    assert.equal(e.value, k / n);
  }
  assert.ok(Number.isNaN(proportion(0, 0).value));
});

test("mean and bootstrap standard errors agree with σ/√n", () => {
  const rng = new Rng(3);
  const x = Float64Array.from({ length: 400 }, () => 2 + 3 * rng.normal());
  const m = meanEstimate(x);
  assert.ok(Math.abs(m.se - 3 / 20) < 0.02, `se ${m.se}`);
  const b = bootstrap(x.length, (idx) => idx.reduce((a, i) => a + x[i]!, 0) / idx.length, 200, 1);
  assert.equal(b.value, m.value);
  assert.ok(Math.abs(b.se - m.se) / m.se < 0.2, `bootstrap se ${b.se} vs ${m.se}`);
  assert.ok(Number.isNaN(bootstrap(5, () => 1, 0).se), "no resamples, no error");
});

test("within noise: differences up to z combined standard errors", () => {
  const cases: [number, number, number, number, boolean][] = [
    // a, se a, b, se b, within 2 se?
    [10, 1, 12, 1, true], // 2 < 2·√2
    [10, 1, 13, 1, false],
    [0.99, 0, 1, 0, false],
    [5, NaN, 5, NaN, true],
  ];
  for (const [a, sa, b, sb, want] of cases) assert.equal(withinNoise(normalEstimate(a, sa), normalEstimate(b, sb)), want, `${a} ± ${sa} vs ${b} ± ${sb}`);
  assert.equal(formatEstimate(normalEstimate(0.5, 0.01), 1, 100), "50.0 ± 2.0");
});

test("eigenvalues by Householder + QL equal Jacobi's on random symmetric matrices, and known spectra", () => {
  const rng = new Rng(5);
  for (const n of [1, 2, 3, 8, 40, 128]) {
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = rng.normal();
    const want = Array.from(symEig(a, n).values).sort((p, q) => p - q);
    const got = Array.from(symEigenvalues(a, n)).sort((p, q) => p - q);
    got.forEach((v, i) => assert.ok(Math.abs(v - want[i]!) < 1e-9 * Math.max(1, Math.abs(want[i]!)), `n = ${n}: ${v} vs ${want[i]}`));
  }
  const known: [number[], number[]][] = [
    [[2, 1, 1, 2], [1, 3]],
    [[4, 0, 0, 0, 9, 0, 0, 0, 1], [1, 4, 9]],
  ];
  for (const [m, values] of known) {
    const got = Array.from(symEigenvalues(Float64Array.from(m), values.length)).sort((p, q) => p - q);
    got.forEach((v, i) => assert.ok(Math.abs(v - values[i]!) < 1e-12));
  }
});
