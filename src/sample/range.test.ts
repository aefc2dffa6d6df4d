// checkSampleRange's verdicts, table-driven: in range (no warning), mostly clamped (a warning, issue 27),
// far outside or non-finite (an error), a little outside (a warning), and |w| beyond the limit (an error).
import { test } from "node:test";
import assert from "node:assert/strict";
import { checkSampleRange, SampleRangeError, SAMPLE_RANGE_LIMITS } from "./range.js";

const N = 1000;
/** N values: `share` of them at `v`, the rest at 0.5. */
const images = (share: number, v: number) => Float32Array.from({ length: N }, (_, i) => (i < share * N ? v : 0.5));
const ctx = { w: 3, source: "m.safetensors" };

const cases: [string, Float32Array, number, "ok" | RegExp, "error"?][] = [
  ["all within [−1, 1]", images(1, 0.9), 3, "ok"],
  ["a few values clamped", images(0.1, 1.5), 3, "ok"],
  ["most values clamped, none far out", images(0.6, 1.5), 3, /samples at w = 3: 60 % of the values lie outside \[−1, 1\] and are clamped: m\.safetensors may be corrupt/],
  ["most values clamped at an extreme w", images(0.6, -1.5), 40, /60 % of the values .* w = 40 is extreme/],
  ["a value well outside", images(0.01, 10), 3, /span \[0\.500, 10\.0\], well outside the data range/],
  ["a value far outside", images(0.01, 1000), 3, /far outside the data range .* nothing was written/, "error"],
  ["a NaN", images(0.01, NaN), 3, /hold 10 non-finite value\(s\)/, "error"],
  ["|w| beyond the limit, values in range", images(1, 0.9), SAMPLE_RANGE_LIMITS.maxW * 10, /samples at w = 100000 would be noise: w = 100000 is extreme/, "error"],
];
for (const [name, x, w, want, error] of cases) {
  test(`checkSampleRange: ${name}`, () => {
    const c = { ...ctx, w };
    if (error) return void assert.throws(() => checkSampleRange(x, c), (e: Error) => e instanceof SampleRangeError && (want as RegExp).test(e.message));
    const r = checkSampleRange(x, c);
    if (want === "ok") assert.equal(r.warning, undefined);
    else assert.match(r.warning ?? "(no warning)", want);
  });
}
