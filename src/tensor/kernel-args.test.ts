// Named kernel arguments: each wide kernel's names are its AssemblyScript parameters in order (read
// from build/kernels.d.ts, which asc writes), named() places each value at its name's position, and
// the compiler refuses a positional tuple or a wrong name for a wide kernel (the @ts-expect-error lines).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "../testing/helpers.js";
import { ARG_NAMES, MAX_POSITIONAL, named, type RunArgs, type WideKernel } from "./kernel-args.js";

/** Each task kernel's parameters after (task, nTasks), as asc declares them. */
function declared(): Map<string, string[]> {
  const dts = readFileSync(path.join(repoRoot, "build", "kernels.d.ts"), "utf8");
  const out = new Map<string, string[]>();
  for (const m of dts.matchAll(/export function (\w+_task)\(([^)]*)\)/g)) {
    out.set(m[1]!, m[2]!.split(",").map((p) => p.trim().split(":")[0]!).slice(2));
  }
  return out;
}
const kernels = declared();
const wide = Object.keys(ARG_NAMES) as WideKernel[];

test("the wide kernels are exactly those with more than six arguments", () => {
  const want = [...kernels].filter(([, names]) => names.length > MAX_POSITIONAL).map(([k]) => k).sort();
  assert.ok(want.length >= 10, `found ${want.length} wide kernels in build/kernels.d.ts`);
  assert.deepEqual([...wide].sort(), want);
});

for (const k of wide) test(`${k}: names in the order assembly/ declares them, and named() puts each value there`, () => {
  assert.deepEqual([...ARG_NAMES[k]], kernels.get(k));
  const byName = Object.fromEntries(ARG_NAMES[k].map((n, i) => [n, i * 10 + 1]));
  assert.deepEqual(Array.from(named(k, byName as never) as unknown as number[]), ARG_NAMES[k].map((_, i) => i * 10 + 1));
});

test("the compiler refuses a positional tuple, a missing or a misspelt name for a wide kernel", () => {
  // @ts-expect-error a wide kernel takes named() arguments, not a tuple
  const tuple: RunArgs<"rowbcast_task"> = [0, 1, 2, 3, 4, 5, 6, 7];
  // @ts-expect-error swap is missing
  named("rowbcast_task", { op: 0, a: 1, b: 2, out: 3, R: 4, M: 5, I: 6 });
  // @ts-expect-error Swap is not a parameter (swap is)
  named("rowbcast_task", { op: 0, a: 1, b: 2, out: 3, R: 4, M: 5, I: 6, Swap: 7 });
  const narrow: RunArgs<"binary_task"> = [0, 1, 2, 3, 4]; // narrow kernels keep their typed tuple
  assert.equal(tuple.length + narrow.length, 13);
});
