// Property-based testing settings: fast-check, seeded, bounded. FLOWLAB_FUZZ_RUNS scales every
// property's case count (default 1 = the fast suite); FLOWLAB_FUZZ_SEED replays a failure's seed.
import fc from "fast-check";

const scale = Number(process.env["FLOWLAB_FUZZ_RUNS"] ?? 1);
const envSeed = process.env["FLOWLAB_FUZZ_SEED"];

/** The seed of this run: FLOWLAB_FUZZ_SEED, else a fixed one (the suite is reproducible by default). */
export const fuzzSeed = envSeed !== undefined ? Number(envSeed) : 20261129;

/** Case count for a property whose default budget is `n` cases. */
export function runs(n: number): number {
  return Math.max(1, Math.round(n * (Number.isFinite(scale) && scale > 0 ? scale : 1)));
}

/** fc.assert with the seed, the case count, and a failure message that says how to replay it. */
export function check<T>(name: string, prop: fc.IProperty<T> | fc.IAsyncProperty<T>, n: number): void | Promise<void> {
  const params: fc.Parameters<T> = { seed: fuzzSeed, numRuns: runs(n), endOnFailure: false };
  const fail = (e: unknown): never => {
    throw new Error(`${name}: property failed with seed ${fuzzSeed} (replay: FLOWLAB_FUZZ_SEED=${fuzzSeed}):\n${(e as Error).message}`);
  };
  try {
    const r = fc.assert(prop as fc.IAsyncProperty<T>, params) as unknown;
    if (r instanceof Promise) return r.catch(fail);
  } catch (e) {
    fail(e);
  }
}
