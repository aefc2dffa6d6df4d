// Few-step sampling speed: 100 digits at w = 3 in one network evaluation, on the shipped model's
// architecture (channels [16, 32, 64], 2 residual layers) with w and step-size inputs.
import * as T from "../tensor/index.js";
import { medianMs, type BenchResult } from "./harness.js";
import { initUNet } from "../nn/unet.js";
import { preset } from "../train/presets.js";
import { generate } from "../sample/generate.js";

export function fewStepSampleBench(runs: number): BenchResult {
  const net = initUNet({ ...preset("quick").model, fewStep: { wMin: 1, wMax: 5, steps: [1, 2, 4] } }, 0);
  const s = medianMs(() => {
    const g = generate(net, { classes: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], perClass: 10, w: 3, steps: 1, seed: 0 });
    g.images.dispose();
  }, runs, 1) / 1000;
  T.disposeAll(net.params);
  return { name: "sample_100_w3_fewstep1_t2_seconds", value: s, unit: "s" };
}
