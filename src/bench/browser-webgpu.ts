// Runs inside Chromium (loaded by the bench's webgpu route): the lab U-Net's training step and a CFG
// sampling step on the webgpu backend, timed in the page; on a software adapter at a small batch.
import { initBrowserEngine } from "../tensor/browser.js";
import { engine } from "../tensor/engine.js";
import * as T from "../tensor/index.js";
import { preset } from "../train/presets.js";
import { initUNet } from "../nn/unet.js";
import { LAB_UNET } from "../nn/config.js";
import { trainStepRate, sampleStepRate } from "./backend-bench.js";

/** What the route measured, or why webgpu could not start. */
export type WebGpuBenchReply =
  | { trainBatch: number; trainSamplesPerSecond: number; sampleBatch: number; sampleStepsPerSecond: number; software: string | null }
  | { unavailable: string };

const build = (name: string) => new URL(`../../build/${name}`, import.meta.url).href;

/** Batches on a GPU (the CPU bench's) and on a software adapter (SwiftShader: it shows that it runs). */
export const WEBGPU_BENCH_BATCHES = Object.freeze({ gpu: { train: 64, sample: 100 }, software: { train: 2, sample: 2 } });

/** The median of `runs` timed runs after a warm-up (one run on a software adapter, where a step takes tens of seconds). */
export async function webgpuBench(runs: number): Promise<WebGpuBenchReply> {
  try {
    await initBrowserEngine({
      threads: 1,
      sharedMemory: false,
      backend: "webgpu",
      wasmUrls: { simd: build("kernels.wasm"), relaxed: build("kernels-relaxed.wasm") },
      unsharedWasmUrls: { simd: build("kernels-unshared.wasm"), relaxed: build("kernels-relaxed-unshared.wasm") },
      makeWorker: () => {
        throw new Error("one thread: no pool workers");
      },
    });
  } catch (e) {
    return { unavailable: (e as Error).message };
  }
  const software = engine().webgpuSoftware;
  const b = software === null ? WEBGPU_BENCH_BATCHES.gpu : WEBGPU_BENCH_BATCHES.software;
  const opts = { maxRuns: software === null ? runs : 1, budgetSeconds: Infinity };
  const trainSamplesPerSecond = await trainStepRate({ ...preset("lab"), batch: b.train }, opts);
  const net = initUNet({ ...LAB_UNET, channels: [...LAB_UNET.channels] }, 0);
  try {
    const sampleStepsPerSecond = await sampleStepRate(net, b.sample, opts);
    return { trainBatch: b.train, trainSamplesPerSecond, sampleBatch: b.sample, sampleStepsPerSecond, software };
  } finally {
    T.disposeAll(net.params);
  }
}
