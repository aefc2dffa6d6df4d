// A training step and a CFG sampling step timed on one backend, read back asynchronously so it runs on
// webgpu too: the page's Benchmark button and the bench's _webgpu figures. No Node API.
import * as T from "../tensor/index.js";
import type { BackendName } from "../tensor/index.js";
import { CfgTrainer } from "../train/trainer.js";
import type { TrainConfig } from "../train/presets.js";
import type { UNet } from "../nn/unet.js";
import { generateAsync } from "../sample/generate.js";
import { CFG } from "../flow/guidance-methods.js";
import { syntheticData } from "./extra.js";

/** What to time; every field has a default in BACKEND_BENCH_DEFAULTS. */
export interface BackendBenchOptions {
  /** Timed runs stop after this many... */
  maxRuns?: number;
  /** ...or once this many seconds have been timed (after at least one run). */
  budgetSeconds?: number;
}

export const BACKEND_BENCH_DEFAULTS = Object.freeze({ maxRuns: 5, budgetSeconds: 2 });

/** One backend's figures: training samples per second and images advanced one CFG Euler step per second. */
export interface BackendFigures {
  backend: BackendName;
  trainSamplesPerSecond: number;
  sampleStepsPerSecond: number;
}

/** The median seconds of `run`, after one untimed warm-up run (the webgpu backend compiles its shaders then). */
async function medianSeconds(run: () => Promise<unknown>, o: Required<BackendBenchOptions>): Promise<number> {
  await run();
  const times: number[] = [];
  let total = 0;
  while (times.length < o.maxRuns && (times.length === 0 || total < o.budgetSeconds)) {
    const t0 = performance.now();
    await run();
    const s = (performance.now() - t0) / 1000;
    times.push(s);
    total += s;
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/** Training samples per second of `config`'s U-Net at its batch (CFG loss, backward, Adam; EMA off), on synthetic data. */
export async function trainStepRate(config: TrainConfig, opts: BackendBenchOptions = {}): Promise<number> {
  const o = { ...BACKEND_BENCH_DEFAULTS, ...opts };
  const trainer = new CfgTrainer({ ...config, emaDecay: 0 }, syntheticData(config.model.channelsIn === 3 ? 3 : 1));
  try {
    return config.batch / (await medianSeconds(() => trainer.trainStepAsync(), o));
  } finally {
    T.disposeAll([trainer.net.params, trainer.adamState.m, trainer.adamState.v]);
  }
}

/** Images advanced per second by one CFG Euler step at w = 3 (2 network passes each) of `batch` images of `net`. */
export async function sampleStepRate(net: UNet, batch: number, opts: BackendBenchOptions = {}): Promise<number> {
  const o = { ...BACKEND_BENCH_DEFAULTS, ...opts };
  const K = net.config.numClasses;
  const classes = Array.from({ length: batch }, (_, i) => i % K);
  const s = await medianSeconds(async () => (await generateAsync(net, { classes, perClass: 1, w: 3, steps: 1, solver: "euler", guidance: CFG, seed: 0 })).images.dispose(), o);
  return batch / s;
}

/** Both figures on `backend` (which must be open); the previous backend is active again afterwards. */
export async function backendFigures(backend: BackendName, what: { train: TrainConfig; net: UNet; sampleBatch: number }, opts: BackendBenchOptions = {}): Promise<BackendFigures> {
  const prev = T.engineInfo().backend;
  T.setBackend(backend);
  try {
    const trainSamplesPerSecond = await trainStepRate(what.train, opts);
    const sampleStepsPerSecond = await sampleStepRate(what.net, what.sampleBatch, opts);
    return { backend, trainSamplesPerSecond, sampleStepsPerSecond };
  } finally {
    T.setBackend(prev);
  }
}
