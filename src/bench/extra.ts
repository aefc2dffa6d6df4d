// Benchmarks above the engine: the lab U-Net's training step (batch 64 and the lab's 250; 1 and 2
// threads; grey and 3-channel colour), lab-style sampling (100 digits, w = 3, 99 Euler steps = 198 NFE).
import * as T from "../tensor/index.js";
import { medianMs, withThreads, type BenchResult } from "./harness.js";
import { CfgTrainer } from "../train/trainer.js";
import { preset } from "../train/presets.js";
import { initUNet } from "../nn/unet.js";
import { LAB_UNET } from "../nn/config.js";
import { generate } from "../sample/generate.js";
import { CFG } from "../flow/guidance-methods.js";
import type { DataSampler } from "../flow/path.js";

/** Random 32×32 data with `channels` channels and 10 classes: the benchmark measures compute, not data loading. */
export function syntheticData(channels: 1 | 3 = 1): DataSampler {
  return {
    imageShape: [channels, 32, 32],
    numClasses: 10,
    sample(batch, rng) {
      return { z: T.rand([batch, channels, 32, 32], rng, -1, 1), y: T.intTensor(Array.from({ length: batch }, () => rng.int(10))) };
    },
  };
}

/**
 * One lab training step (CFG loss, backward, Adam) at `batch` on `threads` threads, as samples/s;
 * `channels` 3 is the same U-Net on colour images (only its first and last convolutions grow).
 */
export function unetTrainBench(runs: number, batch: number, threads: number, channels: 1 | 3 = 1): BenchResult {
  const lab = preset("lab");
  const cfg = { ...lab, model: { ...lab.model, channelsIn: channels, channelsOut: channels }, batch, emaDecay: 0 };
  const trainer = new CfgTrainer(cfg, syntheticData(channels));
  const ms = withThreads(threads, () => medianMs(() => trainer.trainStep(), runs, 2));
  T.disposeAll([trainer.net.params, trainer.adamState.m, trainer.adamState.v]);
  const rgb = channels === 3 ? "rgb_" : "";
  return { name: `unet_train_${rgb}b${batch}_t${threads}_samples_per_s`, value: batch / (ms / 1000), unit: "samples/s" };
}

/**
 * 100 digits at w = 3 with 99 Euler steps. `timedSteps` < 99 times that many steps and scales to 99
 * (as torch_reference.py does), for the slow 1-thread figure.
 */
export function sampleBench(runs: number, threads: number, timedSteps = 99): BenchResult {
  const net = initUNet({ ...LAB_UNET, channels: [...LAB_UNET.channels] }, 0);
  const s = withThreads(threads, () => medianMs(() => {
    const g = generate(net, { classes: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], perClass: 10, w: 3, steps: timedSteps, solver: "euler", seed: 0, guidance: CFG }); // the lab's sampler, as torch_reference.py
    g.images.dispose();
  }, runs, 1)) / 1000 * (99 / timedSteps);
  T.disposeAll(net.params);
  return { name: `sample_100_w3_euler99_t${threads}_seconds`, value: s, unit: "s" };
}

export function extraBenches(runs: number): [string, () => BenchResult | Promise<BenchResult | null> | null][] {
  return [
    ["unet_train_b64_t1", () => unetTrainBench(runs, 64, 1)],
    ["unet_train_b64_t2", () => unetTrainBench(runs, 64, 2)],
    ["unet_train_rgb_b64_t2", () => unetTrainBench(runs, 64, 2, 3)],
    ["unet_train_b250_t2", () => unetTrainBench(runs, 250, 2)],
    ["sample_t1", () => sampleBench(runs, 1, 11)],
    ["sample_t2", () => sampleBench(runs, 2)],
  ];
}
