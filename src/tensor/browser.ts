// Starting the engine in a browser Web Worker: kernels fetched from the site, pool workers as module
// Web Workers sharing the memory (needs crossOriginIsolated for SharedArrayBuffer).
import { initEngine, type EngineOptions, type Engine, type KernelSet } from "./engine.js";

export interface BrowserEngineOptions extends EngineOptions {
  /** Where each kernel build is served from (the engine loads one). */
  wasmUrls: Record<KernelSet, string>;
  /** Creates one pool worker (a module worker running worker-browser). */
  makeWorker: () => Worker;
}

export function initBrowserEngine(o: BrowserEngineOptions): Promise<Engine> {
  if (typeof crossOriginIsolated !== "undefined" && !crossOriginIsolated) {
    throw new Error("this page is not cross-origin isolated (COOP/COEP headers missing), so the engine cannot share memory");
  }
  return initEngine(
    {
      async wasmBytes(set) {
        const url = o.wasmUrls[set];
        const r = await fetch(url);
        if (!r.ok) throw new Error(`cannot load the engine's kernels from ${url}: HTTP ${r.status}`);
        return r.arrayBuffer();
      },
      spawn(init) {
        return new Promise((resolve, reject) => {
          const w = o.makeWorker();
          w.onmessage = () => resolve(w);
          w.onerror = (e) => reject(new Error(`engine worker failed to start: ${e.message}`));
          w.postMessage(init);
        });
      },
      defaultThreads: () => Math.max(1, Math.min(4, navigator.hardwareConcurrency || 2)),
    },
    o,
  );
}
