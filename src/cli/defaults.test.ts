// One set of defaults: generate(), flowlab sample, flowlab eval's sweep and the page all sample with
// GENERATE_DEFAULTS' steps, solver and seed and with DEFAULT_GUIDANCE.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { setup } from "../testing/helpers.js";
import { initUNet } from "../nn/unet.js";
import * as T from "../tensor/index.js";
import { resolveGenerate, GENERATE_DEFAULTS, DEFAULT_GUIDANCE } from "../sample/generate.js";
import { guidanceByName } from "../flow/guidance-methods.js";
import { parseSampleFlags } from "./sample.js";
import { parseEvalFlags } from "./eval.js";
import { DEFAULTS } from "../page/settings.js";

before(() => setup(1));

interface Sampler {
  steps: number;
  solver: string;
  seed: number;
  /** The guidance as its name or --guidance text. */
  guidance: string;
}

const ENTRY_POINTS: [string, () => Sampler][] = [
  ["generate()", () => {
    const net = initUNet({ channels: [4, 8], numResidualLayers: 1, tEmbedDim: 4, yEmbedDim: 4, numClasses: 10 }, 0);
    const o = resolveGenerate(net, { classes: [0] });
    T.disposeAll(net.params);
    assert.deepEqual(o.guidance, guidanceByName(DEFAULT_GUIDANCE), "the method is the named one with its settings");
    return { steps: o.steps, solver: o.solver, seed: o.seed, guidance: o.guidance.kind };
  }],
  ["flowlab sample", () => {
    const o = parseSampleFlags(["--png", "x.png"]);
    if (o === "help") throw new Error("help");
    return { steps: o.steps, solver: o.solver, seed: o.seed, guidance: o.guidance };
  }],
  ["flowlab eval (sweep)", () => {
    const o = parseEvalFlags([]);
    if (o === "help" || o.source.kind !== "generate") throw new Error("not a sweep");
    return { steps: o.source.steps, solver: o.source.solver, seed: o.source.seed, guidance: o.source.guidance ?? "(none)" };
  }],
  ["the page", () => ({ steps: DEFAULTS.steps, solver: DEFAULTS.solver, seed: DEFAULTS.seed, guidance: DEFAULTS.guidance })],
];

for (const [name, sampler] of ENTRY_POINTS) {
  test(`${name} samples with the one set of defaults`, () => {
    assert.deepEqual(sampler(), { steps: GENERATE_DEFAULTS.steps, solver: GENERATE_DEFAULTS.solver, seed: GENERATE_DEFAULTS.seed, guidance: DEFAULT_GUIDANCE });
  });
}
