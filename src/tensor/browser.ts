// Starting the engine in a browser Web Worker: kernels fetched from the site, pool workers as module
// Web Workers sharing the memory when the page is cross-origin isolated, else one thread, unshared.
import { initEngine, type EngineOptions, type Engine, type KernelSet } from "./engine.js";

export interface BrowserEngineOptions extends EngineOptions {
  /** Where each kernel build for a shared memory is served from (the engine loads one). */
  wasmUrls: Record<KernelSet, string>;
  /** The same builds for a plain memory, used without cross-origin isolation. */
  unsharedWasmUrls: Record<KernelSet, string>;
  /** Creates one pool worker (a module worker running worker-browser). */
  makeWorker: () => Worker;
}

/** Whether this context can share memory with workers (SharedArrayBuffer needs cross-origin isolation). */
export function canShareMemory(): boolean {
  return typeof crossOriginIsolated === "undefined" || crossOriginIsolated;
}

/**
 * Starts the engine. Without cross-origin isolation it runs on the calling thread with an unshared
 * memory (engine().sharedMemory is false); with it, on a pool of `threads` workers.
 */
export function initBrowserEngine(o: BrowserEngineOptions): Promise<Engine> {
  const shared = o.sharedMemory ?? canShareMemory();
  return initEngine(
    {
      async wasmBytes(set, sharedBuild) {
        const url = (sharedBuild ? o.wasmUrls : o.unsharedWasmUrls)[set];
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
      defaultThreads: () => (shared ? Math.max(1, Math.min(4, navigator.hardwareConcurrency || 2)) : 1),
    },
    { ...o, sharedMemory: shared },
  );
}
