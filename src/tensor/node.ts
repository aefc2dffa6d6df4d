// Starting the engine under Node: kernels from build/kernels*.wasm, workers from worker_threads.
// FLOWLAB_KERNELS=simd|relaxed|auto picks the kernel build when the caller does not. WebGPU, when
// asked for, comes from the optional `webgpu` package (Dawn).
import { readFile } from "node:fs/promises";
import { setFlagsFromString } from "node:v8";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { initEngine, type EngineOptions, type Engine } from "./engine.js";
import { findDawnGpu } from "./webgpu/dawn.js";

const wasmUrls = {
  simd: new URL("../../build/kernels.wasm", import.meta.url),
  relaxed: new URL("../../build/kernels-relaxed.wasm", import.meta.url),
} as const;
const unsharedWasmUrls = {
  simd: new URL("../../build/kernels-unshared.wasm", import.meta.url),
  relaxed: new URL("../../build/kernels-relaxed-unshared.wasm", import.meta.url),
} as const;
const workerUrl = new URL("./worker-node.js", import.meta.url);

export function initNodeEngine(opts: EngineOptions = {}): Promise<Engine> {
  return initEngine(
    {
      async wasmBytes(set, shared) {
        const url = (shared ? wasmUrls : unsharedWasmUrls)[set];
        try {
          return await readFile(url);
        } catch (e) {
          throw new Error(`cannot read ${url.pathname}: run "npm run build" (or npm ci) first (${(e as Error).message})`);
        }
      },
      enableRelaxedSimd() {
        // Node 20's V8 has relaxed SIMD behind this flag (it is on by default from Node 22); wasm
        // features are read when a module is validated, so setting it before compiling is enough
        setFlagsFromString("--experimental-wasm-relaxed-simd");
        return true;
      },
      spawn(init) {
        return new Promise((resolve, reject) => {
          const w = new Worker(workerUrl, { workerData: init });
          w.unref();
          w.once("message", () => resolve(w));
          w.once("error", reject);
        });
      },
      defaultThreads: () => availableParallelism(),
      otherGpu: () => findDawnGpu(),
    },
    { ...opts, kernels: opts.kernels ?? kernelsFromEnv() },
  );
}

function kernelsFromEnv(): EngineOptions["kernels"] {
  const v = process.env["FLOWLAB_KERNELS"];
  if (v === undefined || v === "") return "auto";
  if (v === "auto" || v === "simd" || v === "relaxed") return v;
  throw new Error(`FLOWLAB_KERNELS must be auto, simd or relaxed, got "${v}"`);
}
