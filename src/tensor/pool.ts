// Splits a kernel's tasks over the calling thread (task 0) and worker threads (tasks 1..T-1).
// All threads share one WebAssembly.Memory; dispatch is a generation counter plus Atomics.wait/notify.
import { CTRL_BASE } from "./heap.js";
import { PoolControl } from "./kernel-abi.js";
import { TASK_KERNELS, type TaskKernel, type RunArgs } from "./kernel-args.js";

type KernelFn = (...args: number[]) => void;
/** The task kernels by name, as the pool calls them. */
export type KernelTable = Record<TaskKernel, KernelFn>;

// Int32 slots of the control block
const GEN = 0;
const DONE = 1;
const KERNEL = 2;
const NTASKS = 3;
const NARGS = 4;
const STOP = 5;
/** Block counter of kernels that share work dynamically (assembly/claim.ts); 0 at the start of every run. */
const CLAIM = PoolControl.ClaimSlot;
const ARGS_BYTE = CTRL_BASE + 64;
const MAX_ARGS = 32;
const SPIN = 4000;

/** The task kernels of an instance; throws naming a missing one (a stale build). */
export function kernelTable(exports: WebAssembly.Exports): KernelTable {
  const table = {} as Record<string, KernelFn>;
  for (const name of TASK_KERNELS) {
    const fn = exports[name];
    if (typeof fn !== "function") throw new Error(`kernels.wasm lacks export ${name}; rebuild with npm run build:wasm`);
    table[name] = fn as KernelFn;
  }
  return table as KernelTable;
}

/** What a worker needs to join the pool. Structured-cloneable in Node and browsers. */
export interface WorkerInit {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  index: number;
}

/** Instantiates the kernels against the shared memory. */
export async function instantiateKernels(module: WebAssembly.Module, memory: WebAssembly.Memory): Promise<WebAssembly.Exports> {
  const inst = await WebAssembly.instantiate(module, { env: { memory } });
  return inst.exports;
}

/**
 * The body of every worker: wait for a generation, run its task, report, repeat until STOP.
 * `ready` is called after the worker has read the current generation, so a job dispatched right
 * after the pool hears "ready" cannot be missed.
 */
export function workerLoop(kernels: KernelTable, memory: WebAssembly.Memory, index: number, ready: () => void): void {
  const ctrl = new Int32Array(memory.buffer, CTRL_BASE, 16);
  const args = new Float64Array(memory.buffer, ARGS_BYTE, MAX_ARGS);
  let gen = Atomics.load(ctrl, GEN);
  ready();
  const argv: number[] = [];
  for (;;) {
    let spins = 0;
    while (Atomics.load(ctrl, GEN) === gen && spins < SPIN) spins++;
    if (Atomics.load(ctrl, GEN) === gen) Atomics.wait(ctrl, GEN, gen);
    const now = Atomics.load(ctrl, GEN);
    if (now === gen) continue;
    gen = now;
    if (Atomics.load(ctrl, STOP) !== 0) return;
    const nTasks = ctrl[NTASKS] ?? 0;
    if (index < nTasks) {
      const name = TASK_KERNELS[ctrl[KERNEL] ?? -1];
      const n = ctrl[NARGS] ?? 0;
      argv.length = 0;
      argv.push(index, nTasks);
      for (let i = 0; i < n; i++) argv.push(args[i] ?? 0);
      if (name) kernels[name](...argv);
    }
    Atomics.add(ctrl, DONE, 1);
    Atomics.notify(ctrl, DONE);
  }
}

export class ThreadPool {
  readonly threads: number;
  /** Caps the tasks of every run (1 = single-threaded); for benchmarks and determinism checks. */
  limit = Infinity;
  /**
   * When set, each threaded run appends how long (ms) the caller waited for the workers after its own
   * task: near 0 when they ran alongside it, about a task's time when one started late (no free core).
   * For benchmarks, which report it beside their two-thread figures.
   */
  waits: number[] | null = null;
  /** The control block; re-made when a plain (unshared) memory grows and detaches the old view. */
  private ctrl: Int32Array;
  private readonly args: Float64Array;
  private readonly argv: number[] = [];

  constructor(
    private readonly kernels: KernelTable,
    private readonly memory: WebAssembly.Memory,
    threads: number,
    private readonly stopWorkers: () => void = () => {},
  ) {
    this.threads = threads;
    this.ctrl = new Int32Array(memory.buffer, CTRL_BASE, 16);
    this.args = new Float64Array(memory.buffer, ARGS_BYTE, MAX_ARGS);
  }

  /** How many tasks a run may use when `want` would be useful. */
  cap(want: number): number {
    return Math.max(1, Math.min(want, this.threads, this.limit));
  }

  /** Runs `kernel` as nTasks tasks (default: one per thread); returns when all are done. */
  run<K extends TaskKernel>(kernel: K, typed: RunArgs<K>, nTasks = this.threads): void {
    const fn = this.kernels[kernel];
    const args = typed as unknown as readonly number[]; // every kernel argument is a number (i32, f32 or a byte offset)
    nTasks = Math.min(nTasks, this.limit);
    if (nTasks <= 1 || this.threads <= 1) {
      // a plain memory's views are detached when it grows (shared ones never are)
      if (this.ctrl.length === 0) this.ctrl = new Int32Array(this.memory.buffer, CTRL_BASE, 16);
      this.ctrl[CLAIM] = 0;
      const argv = this.argv;
      argv.length = 0;
      argv.push(0, 1, ...args);
      fn(...argv);
      return;
    }
    if (nTasks > this.threads) throw new Error(`pool: ${nTasks} tasks for ${this.threads} threads`);
    if (args.length > MAX_ARGS) throw new Error(`pool: ${kernel} has ${args.length} args, max ${MAX_ARGS}`);
    const ctrl = this.ctrl;
    Atomics.store(ctrl, CLAIM, 0);
    for (let i = 0; i < args.length; i++) this.args[i] = args[i] ?? 0;
    ctrl[KERNEL] = TASK_KERNELS.indexOf(kernel);
    ctrl[NTASKS] = nTasks;
    ctrl[NARGS] = args.length;
    Atomics.store(ctrl, DONE, 0);
    Atomics.add(ctrl, GEN, 1);
    Atomics.notify(ctrl, GEN);
    const argv = this.argv;
    argv.length = 0;
    argv.push(0, nTasks, ...args);
    fn(...argv);
    const waitFrom = this.waits ? performance.now() : 0;
    const need = this.threads - 1;
    let spins = 0;
    for (;;) {
      const d = Atomics.load(ctrl, DONE);
      if (d >= need) break;
      if (spins++ < SPIN) continue;
      Atomics.wait(ctrl, DONE, d, 1000);
    }
    this.waits?.push(performance.now() - waitFrom);
  }

  /** Tells the workers to exit their loops. */
  close(): void {
    if (this.threads <= 1) return;
    Atomics.store(this.ctrl, STOP, 1);
    Atomics.add(this.ctrl, GEN, 1);
    Atomics.notify(this.ctrl, GEN);
    this.stopWorkers();
  }
}
