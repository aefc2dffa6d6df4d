// Starting the engine under Node: kernels from build/kernels.wasm, workers from worker_threads.
import { readFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { initEngine, type EngineOptions, type Engine } from "./engine.js";

const wasmUrl = new URL("../../build/kernels.wasm", import.meta.url);
const workerUrl = new URL("./worker-node.js", import.meta.url);

export function initNodeEngine(opts: EngineOptions = {}): Promise<Engine> {
  return initEngine(
    {
      async wasmBytes() {
        try {
          return await readFile(wasmUrl);
        } catch (e) {
          throw new Error(`cannot read ${wasmUrl.pathname}: run "npm run build" (or npm ci) first (${(e as Error).message})`);
        }
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
    },
    opts,
  );
}
