// Benchmarks above the engine: a full lab U-Net training step at batch 64, and lab-style sampling
// (100 digits, w = 3, 99 Euler steps = 198 network evaluations).
import * as T from "../tensor/index.js";
import { medianMs, type BenchResult } from "./harness.js";
import { CfgTrainer } from "../train/trainer.js";
import { preset } from "../train/presets.js";
import { initUNet } from "../nn/unet.js";
import { LAB_UNET } from "../nn/config.js";
import { generate } from "../sample/generate.js";
import type { DataSampler } from "../flow/path.js";

/** Random digits-shaped data: the benchmark measures compute, not data loading. */
function syntheticData(): DataSampler {
  return {
    imageShape: [1, 32, 32],
    numClasses: 10,
    sample(batch, rng) {
      return { z: T.rand([batch, 1, 32, 32], rng, -1, 1), y: T.intTensor(Array.from({ length: batch }, () => rng.int(10))) };
    },
  };
}

export function unetTrainBench(runs: number): BenchResult {
  const cfg = { ...preset("lab"), batch: 64, emaDecay: 0 };
  const trainer = new CfgTrainer(cfg, syntheticData());
  const ms = medianMs(() => trainer.trainStep(), runs, 2);
  T.disposeAll([trainer.net.params, trainer.adamState.m, trainer.adamState.v]);
  return {
    name: "unet_train_b64_t2_samples_per_s",
    value: 64 / (ms / 1000),
    unit: "samples/s",
    reference: { value: 105, what: "PyTorch lab code, batch 64, 2 threads (issue 2); target ≥ 0.4×" },
  };
}

export function sampleBench(runs: number): BenchResult {
  const net = initUNet({ ...LAB_UNET, channels: [...LAB_UNET.channels] }, 0);
  const s = medianMs(() => {
    const g = generate(net, { classes: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], perClass: 10, w: 3, steps: 99, solver: "euler", seed: 0 });
    g.images.dispose();
  }, runs, 1) / 1000;
  T.disposeAll(net.params);
  return {
    name: "sample_100_w3_euler99_t2_seconds",
    value: s,
    unit: "s",
    reference: { value: 60, what: "PyTorch lab sampler ≈ 1.4 s/CFG step for 220 digits → ~60 s for 100 (issue 4); target ≤ 1.5×" },
  };
}

export function extraBenches(runs: number): [string, () => BenchResult | Promise<BenchResult | null> | null][] {
  return [
    ["unet_train", () => unetTrainBench(runs)],
    ["sample", () => sampleBench(runs)],
  ];
}
