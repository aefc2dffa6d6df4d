// lrAt and parseSchedule: table-driven values, warm-up, the floor, and rejected specs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { lrAt, parseSchedule, CONSTANT, type LrSchedule } from "./schedule.js";

const cos: LrSchedule = { kind: "cosine", warmup: 10, floor: 0.1 };

test("lrAt table", () => {
  const cases: [LrSchedule, number, number, number][] = [
    [CONSTANT, 1, 100, 2e-3],
    [CONSTANT, 100, 100, 2e-3],
    [cos, 1, 110, 2e-4], // warm-up 1/10
    [cos, 10, 110, 2e-3], // peak at the end of warm-up
    [cos, 60, 110, 2e-3 * (0.1 + 0.9 * 0.5)], // half way: mid of the cosine
    [cos, 110, 110, 2e-4], // the floor at the last step
    [cos, 500, 110, 2e-4], // clamped past the end
    [{ kind: "cosine", warmup: 0, floor: 0 }, 1, 1, 0],
  ];
  for (const [s, step, total, want] of cases) assert.ok(Math.abs(lrAt(s, 2e-3, step, total) - want) < 1e-12, `${JSON.stringify(s)} step ${step}: ${lrAt(s, 2e-3, step, total)} vs ${want}`);
});

test("cosine decreases monotonically after warm-up", () => {
  let prev = Infinity;
  for (let s = 10; s <= 110; s++) {
    const v = lrAt(cos, 1, s, 110);
    assert.ok(v <= prev);
    prev = v;
  }
});

test("parseSchedule", () => {
  assert.deepEqual(parseSchedule("constant"), CONSTANT);
  assert.deepEqual(parseSchedule("cosine"), { kind: "cosine", warmup: 0, floor: 0 });
  assert.deepEqual(parseSchedule("cosine:50"), { kind: "cosine", warmup: 50, floor: 0 });
  assert.deepEqual(parseSchedule("cosine:50:0.1"), { kind: "cosine", warmup: 50, floor: 0.1 });
  for (const bad of ["linear", "cosine:x", "cosine:-1", "cosine:5:2", "cosine:1:0.1:3", "constant:3", ""]) assert.throws(() => parseSchedule(bad), RangeError, bad);
});
