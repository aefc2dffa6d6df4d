// Runs inside Chromium (a module Web Worker of the browser bench): lab U-Net training steps on the
// engine's browser build, timed in the page; posts the median samples/s back.
import { initBrowserEngine } from "../tensor/browser.js";
import { engineInfo } from "../tensor/engine.js";
import { CfgTrainer } from "../train/trainer.js";
import { preset } from "../train/presets.js";
import { medianMs } from "./harness.js";
import { syntheticData } from "./extra.js";

/** What the bench asks the worker to measure. */
export interface BrowserBenchRequest {
  batch: number;
  runs: number;
  threads: number;
}

/** What the worker measured: median samples/s and the engine it ran on. */
export interface BrowserBenchReply {
  samplesPerSecond: number;
  threads: number;
  kernels: string;
}

const build = (name: string) => new URL(`../../build/${name}`, import.meta.url).href;

self.onmessage = async (e: MessageEvent<BrowserBenchRequest>) => {
  const { batch, runs, threads } = e.data;
  try {
    await initBrowserEngine({
      threads,
      wasmUrls: { simd: build("kernels.wasm"), relaxed: build("kernels-relaxed.wasm") },
      unsharedWasmUrls: { simd: build("kernels-unshared.wasm"), relaxed: build("kernels-relaxed-unshared.wasm") },
      makeWorker: () => new Worker(new URL("../tensor/worker-browser.js", import.meta.url), { type: "module" }),
    });
    const trainer = new CfgTrainer({ ...preset("lab"), batch, emaDecay: 0 }, syntheticData());
    const ms = medianMs(() => trainer.trainStep(), runs, 2);
    const info = engineInfo();
    const reply: BrowserBenchReply = { samplesPerSecond: batch / (ms / 1000), threads: info.threads, kernels: info.kernels };
    self.postMessage(reply);
  } catch (err) {
    self.postMessage({ error: String(err) });
  }
};
