// flowlab's browser entry ("flowlab/browser"): start the engine in a page or Web Worker. The kernels'
// and pool worker's URLs resolve from this module, so bundlers (Vite, webpack 5) ship them as assets.
import { initBrowserEngine } from "./tensor/browser.js";
import { engineInfo, type EngineOptions, type EngineInfo } from "./tensor/engine.js";

/**
 * Starts flowlab's engine in the browser. More than one thread needs a cross-origin isolated page
 * (COOP/COEP headers, for SharedArrayBuffer) and must run inside a Web Worker (the pool waits with
 * Atomics.wait, which a page's main thread may not call). Without isolation it runs on one thread
 * with an unshared memory (the kernels' -unshared builds). `backend: "webgpu"` runs the ops on the GPU
 * (navigator.gpu; values come back with `await tensor.read()`), `"auto"` picks it where it measures faster.
 */
export async function startEngine(opts: EngineOptions = {}): Promise<EngineInfo> {
  await initBrowserEngine({
    ...opts,
    wasmUrls: {
      simd: new URL("../build/kernels.wasm", import.meta.url).href,
      relaxed: new URL("../build/kernels-relaxed.wasm", import.meta.url).href,
    },
    unsharedWasmUrls: {
      simd: new URL("../build/kernels-unshared.wasm", import.meta.url).href,
      relaxed: new URL("../build/kernels-relaxed-unshared.wasm", import.meta.url).href,
    },
    makeWorker: () => new Worker(new URL("./tensor/worker-browser.js", import.meta.url), { type: "module" }),
  });
  return engineInfo();
}
