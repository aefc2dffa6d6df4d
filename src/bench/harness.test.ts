// The benchmark's wait note: a threaded kernel run records how long the caller waited for the pool's
// workers, and a one-thread figure carries no note (it has no workers to wait for).
import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as T from "../tensor/index.js";
import { setup } from "../testing/helpers.js";
import { withThreads, withWaitNote, type BenchResult } from "./harness.js";

before(() => setup(2));

/** Two 256³ products: large enough for the GEMM to split over both threads. */
function twoProducts(threads: number): BenchResult {
  return T.tidy(() => {
    const a = T.randn([256, 256], new T.Rng(1));
    withThreads(threads, () => [0, 1].forEach(() => T.matmul(a, a).dispose()));
    return { name: `mm_t${threads}`, value: 1, unit: "x" };
  });
}

for (const [threads, runs] of [[2, 2], [1, 0]] as const) test(`${threads} thread(s): ${runs} waits recorded`, () => {
  const r = withWaitNote(() => twoProducts(threads));
  assert.equal(T.engine().pool.waits, null, "recording stops after the run");
  if (runs === 0) return assert.equal(r.note, undefined);
  const m = /^waited for workers (\d+\.\d\d) ms median, (\d+\.\d) ms worst over (\d+) runs$/.exec(r.note ?? "");
  assert.ok(m, `note: ${r.note}`);
  assert.equal(Number(m[3]), runs);
  assert.ok(Number(m[1]) >= 0 && Number(m[2]) >= Number(m[1]) - 0.05);
});
