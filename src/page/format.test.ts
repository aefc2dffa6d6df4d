// formatDuration never writes "60 s".
import { test } from "node:test";
import assert from "node:assert/strict";
import { formatDuration } from "./format.js";

test("formatDuration rounds before it splits minutes", () => {
  const cases: [number, string][] = [[0, "0 s"], [44.4, "44 s"], [59.6, "1 min"], [119.6, "2 min"], [125.2, "2 min 5 s"], [-3, "0 s"]];
  for (const [s, want] of cases) assert.equal(formatDuration(s), want, `${s} s`);
});
