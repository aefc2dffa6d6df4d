// formatDuration never writes "60 s"; pagePassesPerDigit agrees with generate()'s own count of network passes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { pagePassesPerDigit, formatDuration } from "./format.js";
import { setup, repoRoot } from "../testing/helpers.js";
import { readCheckpoint } from "../cli/ckpt-io.js";
import { samplingNet } from "../train/checkpoint.js";
import { GENERATE_DEFAULTS, generate } from "../sample/generate.js";
import { CFG, guidanceByName } from "../flow/guidance-methods.js";
import * as T from "../tensor/index.js";
import path from "node:path";

test("formatDuration rounds before it splits minutes", () => {
  const cases: [number, string][] = [[0, "0 s"], [44.4, "44 s"], [59.6, "1 min"], [119.6, "2 min"], [125.2, "2 min 5 s"], [-3, "0 s"]];
  for (const [s, want] of cases) assert.equal(formatDuration(s), want, `${s} s`);
});

test("pagePassesPerDigit is generate()'s NFE per digit, for the library's defaults and other settings", async () => {
  await setup(1);
  const net = samplingNet(readCheckpoint(path.join(repoRoot, "models/mnist-cfg.safetensors")));
  const d = GENERATE_DEFAULTS;
  const cases: [number, "euler" | "midpoint" | "heun" | "rk4", number][] = [[d.steps, d.solver, d.w], [2, "euler", 3], [1, "rk4", 1], [2, "heun", 5]];
  for (const guidance of [CFG, d.guidance, guidanceByName("zero-star")])
    for (const [steps, solver, w] of cases) {
      const g = generate(net, { classes: [3], steps, solver, w, guidance });
      g.images.dispose();
      assert.equal(pagePassesPerDigit({ steps, solver, w, guidance }), g.nfe, `${steps} ${solver} steps at w = ${w}, ${guidance.kind}`);
    }
  // at w = 0 under CFG the page's worker makes one pass per stage (generate() makes two)
  assert.equal(pagePassesPerDigit({ steps: 5, solver: "midpoint", w: 0, guidance: CFG }), 10);
  T.disposeAll(net.params);
});
