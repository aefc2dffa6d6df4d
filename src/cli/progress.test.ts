// The bars' time format: rounded before it is split into minutes and seconds, so never "1m60s".
import { test } from "node:test";
import assert from "node:assert/strict";
import { formatEta } from "./progress.js";

const cases: [unknown, number, string][] = [
  [4.4, 5, "4s"],
  [45, 5, "45s"],
  [119.6, 5, "2m00s"], // cli-progress's own: "1m60s"
  [119.6, 1, "2m00s"],
  [125, 5, "2m05s"],
  [3599.9, 5, "1h00m"],
  [3725, 5, "1h02m"],
  [7199, 1, "2h00m"], // not "1h60m"
  ["NULL", 5, "NULL"],
  ["INF", 5, "INF"],
];
for (const [t, r, want] of cases) test(`formatEta(${String(t)}, ${r}) = ${want}`, () => assert.equal(formatEta(t, r), want));
