// The engine's global state: the heap, the active backend, the thread pool, tidy scopes and grad mode.
// initEngine() must run once (it is async: the kernels compile and workers start) before tensors exist.
import { Heap, setActiveHeap } from "./heap.js";
import { ThreadPool, kernelTable, instantiateKernels, type WorkerInit } from "./pool.js";
import type { Backend, DeviceBackend } from "./backend.js";
import { RefBackend } from "./ref/backend.js";
import { WasmBackend } from "./wasm/backend.js";
import { openWebGpu } from "./webgpu/start.js";
import type { FoundGpu } from "./webgpu/found.js";
import { WebGpuUnavailableError } from "./errors.js";
import { chooseFaster } from "./webgpu/probe.js";

/**
 * The two builds of the kernels: "simd" needs only WebAssembly SIMD128; "relaxed" also uses the
 * relaxed-SIMD fused multiply-add in the GEMM micro-kernel (about 1.4× its throughput).
 */
export type KernelSet = "simd" | "relaxed";

/** How the engine gets its kernels and workers on this platform (Node or browser). */
export interface Platform {
  /** The kernel build `set`, compiled for a shared memory (the pool) or, with shared = false, a plain one. */
  wasmBytes(set: KernelSet, shared: boolean): Promise<BufferSource>;
  /** Turns relaxed SIMD on where the runtime has it behind a flag (Node 20); returns false if it cannot. */
  enableRelaxedSimd?(): boolean;
  /** Starts a worker that calls workerLoop(); resolves once it has instantiated the kernels. */
  spawn(init: WorkerInit): Promise<{ terminate(): void }>;
  defaultThreads(): number;
  /** Where to find WebGPU when the runtime has no navigator.gpu (Node: the optional `webgpu` package). */
  otherGpu?(): Promise<FoundGpu>;
}

/** How to start the engine. */
export interface EngineOptions {
  /** Threads, including the caller's. Defaults to the number of cores. */
  threads?: number;
  /**
   * "wasm" (SIMD kernels, threaded), "ref" (plain TypeScript, the specification), "webgpu" (WGSL
   * kernels on navigator.gpu; fails where there is none) or "auto" (webgpu when an adapter exists and a
   * quick measurement finds it faster, else wasm; Engine.backendNote says why).
   */
  backend?: BackendName | "auto";
  /** Initial memory in MiB. */
  initialMiB?: number;
  /** Which kernel build to load; "auto" (the default) takes "relaxed" when the runtime supports it. */
  kernels?: "auto" | KernelSet;
  /**
   * false: a plain (unshared) memory and the kernels built for it, on the calling thread only. For
   * pages without cross-origin isolation, where shared memory cannot reach other workers. Default true.
   */
  sharedMemory?: boolean;
}

/** The engine's backends by name. */
export type BackendName = "wasm" | "ref" | "webgpu";

export interface Engine {
  heap: Heap;
  backend: Backend;
  ref: RefBackend;
  wasm: WasmBackend;
  /** The WebGPU backend, once opened (backend "webgpu" or "auto"). */
  webgpu: DeviceBackend | null;
  /** The WebGPU adapter's name when it is a CPU fallback (SwiftShader), else null. */
  webgpuSoftware: string | null;
  /** One line on how the backend was chosen ("auto": why webgpu or why not). */
  backendNote: string;
  pool: ThreadPool;
  threads: number;
  /** The kernel build in use. */
  kernels: KernelSet;
  /** Whether the memory is shared (false: one thread, see EngineOptions.sharedMemory). */
  sharedMemory: boolean;
}

const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);
/** () → v128 { f32x4.relaxed_madd(0, 0, 0) } */
const RELAXED_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 61, 1, 59, 0,
  ...[0, 1, 2].flatMap(() => [253, 12, ...new Array<number>(16).fill(0)]),
  253, 133, 2, 11,
]);

/** The kernel build to load: the requested one, or for "auto" the fastest the runtime can run. */
function chooseKernels(platform: Platform, want: "auto" | KernelSet): KernelSet {
  if (want !== "auto" && want !== "simd" && want !== "relaxed") throw new Error(`kernels must be "auto", "simd" or "relaxed", got ${JSON.stringify(want)}`);
  if (want === "simd") return "simd";
  const relaxed = WebAssembly.validate(RELAXED_PROBE) || (platform.enableRelaxedSimd?.() === true && WebAssembly.validate(RELAXED_PROBE));
  if (relaxed) return "relaxed";
  if (want === "relaxed") throw new Error("this JavaScript runtime lacks WebAssembly relaxed SIMD; use kernels: \"simd\"");
  return "simd";
}

let current: Engine | null = null;
let pending: Promise<Engine> | null = null;

export function engine(): Engine {
  if (!current) throw new Error("flowlab engine not initialised: await initEngine() first");
  return current;
}

/** What the running engine uses: its threads and kernel build. */
export interface EngineInfo {
  threads: number;
  kernels: KernelSet;
  /** The backend the ops run on. */
  backend: BackendName;
  /** How the backend was chosen (see EngineOptions.backend). */
  backendNote: string;
}

/** The running engine's threads and kernel build; throws if the engine has not started. */
export function engineInfo(): EngineInfo {
  const e = engine();
  return { threads: e.threads, kernels: e.kernels, backend: e.backend.name, backendNote: e.backendNote };
}

export function engineReady(): boolean {
  return current !== null;
}

export async function initEngine(platform: Platform, opts: EngineOptions = {}): Promise<Engine> {
  if (current) {
    if (opts.backend) await chooseBackend(current, opts.backend, platform);
    if (opts.threads !== undefined && opts.threads !== current.threads) {
      throw new Error(`engine already started with ${current.threads} threads; call shutdownEngine() first`);
    }
    if (opts.kernels !== undefined && opts.kernels !== "auto" && opts.kernels !== current.kernels) {
      throw new Error(`engine already started with the ${current.kernels} kernels; call shutdownEngine() first`);
    }
    return current;
  }
  if (pending) return pending;
  pending = (async () => {
    const threads = Math.max(1, Math.floor(opts.threads ?? platform.defaultThreads()));
    if (!Number.isFinite(threads)) throw new Error(`threads must be a positive integer, got ${opts.threads}`);
    const shared = opts.sharedMemory ?? true;
    if (!shared && threads !== 1) throw new Error(`an unshared memory runs on one thread, got threads = ${threads}`);
    if (typeof WebAssembly !== "object" || !WebAssembly.validate(SIMD_PROBE)) {
      throw new Error("this JavaScript runtime lacks WebAssembly SIMD128, which flowlab's engine needs");
    }
    const kernels = chooseKernels(platform, opts.kernels ?? "auto");
    const module = await WebAssembly.compile(await platform.wasmBytes(kernels, shared));
    const initialPages = Math.ceil(((opts.initialMiB ?? 64) * 2 ** 20) / 65536);
    const memory = new WebAssembly.Memory({ initial: initialPages, maximum: 65536, shared });
    const exports = await instantiateKernels(module, memory);
    const table = kernelTable(exports);
    const workers = await Promise.all(
      Array.from({ length: threads - 1 }, (_, i) => platform.spawn({ module, memory, index: i + 1 })),
    );
    const pool = new ThreadPool(table, memory, threads, () => workers.forEach((w) => w.terminate()));
    const heap = new Heap(memory);
    setActiveHeap(heap);
    const ref = new RefBackend(heap);
    const wasm = new WasmBackend(heap, pool, exports, ref);
    current = { heap, backend: wasm, ref, wasm, webgpu: null, webgpuSoftware: null, backendNote: "", pool, threads, kernels, sharedMemory: shared };
    try {
      await chooseBackend(current, opts.backend ?? "wasm", platform);
    } catch (e) {
      shutdownEngine();
      throw e;
    }
    return current;
  })();
  try {
    return await pending;
  } finally {
    pending = null;
  }
}

/** Sets the engine's backend; opens WebGPU for "webgpu" (throwing why where it cannot) and "auto". */
async function chooseBackend(e: Engine, want: BackendName | "auto", platform: Platform): Promise<void> {
  if (want !== "auto" && want !== "wasm" && want !== "ref" && want !== "webgpu") {
    throw new Error(`backend must be "auto", "webgpu", "wasm" or "ref", got ${JSON.stringify(want)}`);
  }
  if ((want === "webgpu" || want === "auto") && !e.webgpu) {
    const opened = await openWebGpu(() => e.heap, platform.otherGpu?.bind(platform));
    if ("unavailable" in opened) {
      if (want === "webgpu") throw new WebGpuUnavailableError(opened.unavailable);
      e.backend = e.wasm;
      e.backendNote = `wasm: ${opened.unavailable}`;
      return;
    }
    e.webgpu = opened.backend;
    e.webgpuSoftware = opened.software;
  }
  if (want === "auto" && e.webgpuSoftware !== null) {
    // a CPU implementation of WebGPU (SwiftShader) is never faster than the wasm kernels, and timing it takes seconds
    e.backend = e.wasm;
    e.backendNote = `wasm: the WebGPU adapter is a software fallback (${e.webgpuSoftware}), so it was not timed`;
    return;
  }
  if (want === "auto") {
    const verdict = await chooseFaster(e.wasm, e.webgpu!);
    e.backend = verdict.pick === "webgpu" ? e.webgpu! : e.wasm;
    e.backendNote = `${verdict.pick}: ${verdict.why}`;
    return;
  }
  e.backend = backendOf(e, want);
  e.backendNote = `${want}: as asked`;
}

function backendOf(e: Engine, name: BackendName): Backend {
  if (name === "ref") return e.ref;
  if (name === "wasm") return e.wasm;
  if (!e.webgpu) throw new Error('the webgpu backend is not open: start the engine with backend "webgpu" or "auto" first');
  return e.webgpu;
}

export function setBackend(name: BackendName): void {
  const e = engine();
  e.backend = backendOf(e, name);
}

/** Runs fn with the given backend active, then restores the previous one. */
export function withBackend<T>(name: BackendName, fn: () => T): T {
  const e = engine();
  const prev = e.backend;
  e.backend = backendOf(e, name);
  try {
    return fn();
  } finally {
    e.backend = prev;
  }
}

/** Stops the engine's worker threads; every tensor becomes invalid. Start again with startEngine(). */
export function shutdownEngine(): void {
  if (!current) return;
  current.pool.close();
  current.webgpu?.destroy();
  current = null;
  setActiveHeap(null);
}
