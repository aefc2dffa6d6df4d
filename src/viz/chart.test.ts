// Chart axes: nice ticks, compact tick labels, x labels that never overlap, a fixed y range.
import { test } from "node:test";
import assert from "node:assert/strict";
import { niceTicks, tickLabel, nonOverlapping, chart } from "./chart.js";

const ticks: [number, number, number[]][] = [
  [0, 100, [0, 20, 40, 60, 80, 100]],
  [46.6, 100, [40, 60, 80, 100]],
  [2.98, 138, [0, 50, 100, 150]],
  [0.74, 1.15, [0.7, 0.8, 0.9, 1, 1.1, 1.2]],
  [-3, 3, [-4, -2, 0, 2, 4]],
  [5, 5, [5]],
];
for (const [lo, hi, want] of ticks) {
  test(`niceTicks(${lo}, ${hi}) = ${want.join(", ")}`, () => assert.deepEqual(niceTicks(lo, hi), want));
}

const labels: [number, string][] = [[0.5, "0.5"], [1, "1"], [3, "3"], [10, "10"], [2.25, "2.25"], [120, "120"], [0.125, "0.13"]];
for (const [v, want] of labels) test(`tickLabel(${v}) = ${want}`, () => assert.equal(tickLabel(v), want));

test("x labels that would overlap are skipped, the rest kept in order", () => {
  // w = 0.5 and 1 sit 12 px apart on a 300 px axis: the second label is dropped
  assert.deepEqual(nonOverlapping([48, 60, 110, 160, 290], [12, 12, 6, 6, 12]), [0, 2, 3, 4]);
  assert.deepEqual(nonOverlapping([10, 30, 50], [10, 10, 10]), [0, 1, 2]);
});

test("a fixed y range puts the markers where the range says", () => {
  const c = chart({ title: "t", xs: [0, 1], series: [{ name: "s", shade: 0, ys: [0, 100] }], xLabel: "x", yRange: [0, 100] }, 200, 150);
  // the plot spans y = 24 (100) … 150 − 34 = 116 (0); the marker centres are dark
  const at = (x: number, y: number) => c.px[y * c.width + x]!;
  assert.equal(at(48, 116), 0);
  assert.equal(at(200 - 12, 24), 0);
});
