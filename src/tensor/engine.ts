// The engine's global state: the heap, the active backend, the thread pool, tidy scopes and grad mode.
// initEngine() must run once (it is async: the kernels compile and workers start) before tensors exist.
import { Heap } from "./heap.js";
import { ThreadPool, kernelTable, instantiateKernels, type WorkerInit } from "./pool.js";
import type { Backend } from "./backend.js";
import { RefBackend } from "./ref/backend.js";
import { WasmBackend } from "./fast/backend.js";

/** How the engine gets its kernels and workers on this platform (Node or browser). */
export interface Platform {
  wasmBytes(): Promise<BufferSource>;
  /** Starts a worker that calls workerLoop(); resolves once it has instantiated the kernels. */
  spawn(init: WorkerInit): Promise<{ terminate(): void }>;
  defaultThreads(): number;
}

export interface EngineOptions {
  /** Threads, including the caller's. Defaults to the number of cores. */
  threads?: number;
  /** "wasm" (SIMD kernels, threaded) or "ref" (plain TypeScript, the specification). */
  backend?: "wasm" | "ref";
  /** Initial memory in MiB. */
  initialMiB?: number;
}

export interface Engine {
  heap: Heap;
  backend: Backend;
  ref: RefBackend;
  fast: WasmBackend;
  pool: ThreadPool;
  threads: number;
}

let current: Engine | null = null;
let pending: Promise<Engine> | null = null;

export function engine(): Engine {
  if (!current) throw new Error("flowlab engine not initialised: await initEngine() first");
  return current;
}

export function engineReady(): boolean {
  return current !== null;
}

export async function initEngine(platform: Platform, opts: EngineOptions = {}): Promise<Engine> {
  if (current) {
    if (opts.backend) setBackend(opts.backend);
    if (opts.threads !== undefined && opts.threads !== current.threads) {
      throw new Error(`engine already started with ${current.threads} threads; call shutdownEngine() first`);
    }
    return current;
  }
  if (pending) return pending;
  pending = (async () => {
    const threads = Math.max(1, Math.floor(opts.threads ?? platform.defaultThreads()));
    if (!Number.isFinite(threads)) throw new Error(`threads must be a positive integer, got ${opts.threads}`);
    if (typeof WebAssembly !== "object" || !WebAssembly.validate(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]))) {
      throw new Error("this JavaScript runtime lacks WebAssembly SIMD128, which flowlab's engine needs");
    }
    const module = await WebAssembly.compile(await platform.wasmBytes());
    const initialPages = Math.ceil(((opts.initialMiB ?? 64) * 2 ** 20) / 65536);
    const memory = new WebAssembly.Memory({ initial: initialPages, maximum: 65536, shared: true });
    const exports = await instantiateKernels(module, memory);
    const kernels = kernelTable(exports);
    const workers = await Promise.all(
      Array.from({ length: threads - 1 }, (_, i) => platform.spawn({ module, memory, index: i + 1 })),
    );
    const pool = new ThreadPool(kernels, memory, threads, () => workers.forEach((w) => w.terminate()));
    const heap = new Heap(memory);
    const ref = new RefBackend(heap);
    const fast = new WasmBackend(heap, pool, exports, ref);
    current = { heap, backend: opts.backend === "ref" ? ref : fast, ref, fast, pool, threads };
    return current;
  })();
  try {
    return await pending;
  } finally {
    pending = null;
  }
}

export function setBackend(name: "wasm" | "ref"): void {
  const e = engine();
  e.backend = name === "ref" ? e.ref : e.fast;
}

/** Runs fn with the given backend active, then restores the previous one. */
export function withBackend<T>(name: "wasm" | "ref", fn: () => T): T {
  const e = engine();
  const prev = e.backend;
  e.backend = name === "ref" ? e.ref : e.fast;
  try {
    return fn();
  } finally {
    e.backend = prev;
  }
}

export function shutdownEngine(): void {
  if (!current) return;
  current.pool.close();
  current = null;
}
