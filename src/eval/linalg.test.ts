// frechetToRows: the Fréchet distance to a sample's Gaussian computed from its rows (through the Gram
// matrix when rows are fewer than dimensions) equals frechet() on its mean and covariance.
import { test } from "node:test";
import assert from "node:assert/strict";
import { frechet, frechetToRows, meanCov, sqrtPsd } from "./linalg.js";
import { Rng } from "../tensor/random.js";

const CASES: { what: string; n: number; d: number; shift: number }[] = [
  { what: "fewer rows than dimensions (the Gram route)", n: 6, d: 10, shift: 0.5 },
  { what: "as many rows as dimensions", n: 10, d: 10, shift: 0 },
  { what: "more rows than dimensions", n: 40, d: 8, shift: 2 },
  { what: "two rows", n: 2, d: 5, shift: 1 },
];
for (const c of CASES)
  test(`frechetToRows equals frechet on the rows' mean and covariance: ${c.what}`, () => {
    const rng = new Rng(c.n * 31 + c.d);
    const real = Float32Array.from({ length: 200 * c.d }, (_, i) => rng.normal() * (1 + (i % c.d) / c.d));
    const x = Float32Array.from({ length: c.n * c.d }, () => rng.normal() + c.shift);
    const r = meanCov(real, 200, c.d), s = meanCov(x, c.n, c.d);
    const want = frechet(r.mean, r.cov, s.mean, s.cov, c.d);
    const got = frechetToRows(r.mean, r.cov, sqrtPsd(r.cov, c.d), x, c.n, c.d);
    assert.ok(Math.abs(got - want) < 1e-8 * Math.max(1, want), `${got} vs ${want}`);
  });

test("frechetToRows: one row has no covariance, NaN", () => {
  const m = new Float64Array(3), c = Float64Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1]);
  assert.ok(Number.isNaN(frechetToRows(m, c, c, new Float32Array(3), 1, 3)));
});
