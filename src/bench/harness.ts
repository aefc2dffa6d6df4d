// Benchmark harness: warm up, time at least `runs` repetitions, report the median.
import * as T from "../tensor/index.js";

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  /** The reference figure from the issue, and what it is. */
  reference?: { value: number; what: string };
  /** What else the run saw (e.g. how long the caller waited for the pool's workers). */
  note?: string;
}

/** Median wall time in ms of fn over `runs` runs after `warmup` runs. */
export function medianMs(fn: () => void, runs = 7, warmup = 2): number {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/**
 * Runs fn and says how long, per threaded kernel run, the caller waited for the pool's workers after
 * its own task (median and worst). A median near a task's length means the workers started late: the
 * sitting had no free core, so its two-thread figure is not the engine's.
 */
export function withWaitNote<R extends BenchResult>(fn: () => R): R {
  const pool = T.engine().pool;
  const waits: number[] = [];
  pool.waits = waits;
  let r: R;
  try {
    r = fn();
  } finally {
    pool.waits = null;
  }
  if (waits.length === 0) return r;
  waits.sort((a, b) => a - b);
  const med = waits[Math.floor(waits.length / 2)]!, max = waits[waits.length - 1]!;
  return { ...r, note: `waited for workers ${med.toFixed(2)} ms median, ${max.toFixed(1)} ms worst over ${waits.length} runs` };
}

/** Runs fn with the engine's tasks capped at `threads` (1 = single-threaded). */
export function withThreads<R>(threads: number, fn: () => R): R {
  const pool = T.engine().pool;
  const prev = pool.limit;
  pool.limit = threads;
  try {
    return fn();
  } finally {
    pool.limit = prev;
  }
}

export function formatTable(results: readonly BenchResult[]): string {
  const lines = results.map((r) => {
    const ratio = r.reference ? `${(r.value / r.reference.value).toFixed(2)}×${r.unit === "s" ? " the time" : ""}` : "";
    const ref = r.reference ? `   ref ${fmt(r.reference.value)} ${r.unit} (${r.reference.what})  ratio ${ratio}` : "";
    return `${r.name.padEnd(40)} ${fmt(r.value).padStart(9)} ${r.unit.padEnd(10)}${ref}${r.note ? `   (${r.note})` : ""}`;
  });
  return lines.join("\n");
}

function fmt(v: number): string {
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
}
