// npm run bench [-- --json] [--runs N] [--only NAME] [--reference FILE.json]: every benchmark figure (medians), at
// 1 and 2 threads where scaling matters; --reference adds PyTorch's figures (torch_reference.py's JSON) and ratios.
import { parseArgs } from "node:util";
import { readFileSync } from "node:fs";
import { initNodeEngine } from "../tensor/node.js";
import * as T from "../tensor/index.js";
import { formatTable, type BenchResult } from "./harness.js";
import { sgemmBench, convBench } from "./engine-bench.js";
import { extraBenches } from "./extra.js";
import { trainPeakRssBench } from "./rss.js";
import { browserTrainBench, browserWebGpuBench } from "./browser.js";
import { fewStepSampleBench } from "./few-step-bench.js";

const USAGE = `npm run bench [-- flags]
  --runs N             timed runs per figure, the median is reported (default 7, at least 5)
  --only NAME          only the figures whose key contains NAME (e.g. sgemm, conv, unet_train, sample)
  --reference FILE     PyTorch's figures (torch_reference.py --json output): adds each ratio
  --json               print the figures as JSON (what --reference reads)`;

function flags() {
  try {
    return parseArgs({
      options: { json: { type: "boolean", default: false }, runs: { type: "string", default: "7" }, only: { type: "string" }, reference: { type: "string" }, help: { type: "boolean", default: false } },
    }).values;
  } catch (e) {
    console.error(`bench: ${(e as Error).message}`);
    process.exit(2);
  }
}
const values = flags();
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const runs = Math.max(5, Number(values.runs));
if (!Number.isInteger(runs)) {
  console.error(`bench: --runs must be a whole number, got "${values.runs}"`);
  process.exit(2);
}
/** PyTorch's figures by bench name, from --reference (a JSON array of {name, value, unit}). */
const measured = new Map<string, number>();
if (values.reference) {
  let rows: unknown;
  try {
    rows = JSON.parse(readFileSync(values.reference, "utf8"));
  } catch (e) {
    console.error(`bench: --reference ${values.reference}: expected torch_reference.py's JSON (${(e as Error).message})`);
    process.exit(2);
  }
  if (!Array.isArray(rows)) {
    console.error(`bench: --reference ${values.reference}: expected a JSON array of {name, value, unit}`);
    process.exit(2);
  }
  for (const r of rows as { name?: unknown; value?: unknown }[]) if (typeof r.name === "string" && typeof r.value === "number") measured.set(r.name, r.value);
}
const eng = await initNodeEngine({ threads: 2 });
const log = (s: string) => {
  if (!values.json) console.log(s);
};
log(`kernels: ${eng.kernels === "relaxed" ? "relaxed SIMD (FMA)" : "SIMD128"} build; FLOWLAB_KERNELS=simd runs the baseline build`);
const results: BenchResult[] = [];
const all: [string, () => BenchResult | Promise<BenchResult | BenchResult[] | null> | null][] = [
  ["sgemm_t1", () => sgemmBench(1, runs)],
  ["sgemm_t2", () => sgemmBench(2, runs)],
  ["conv_fwd", () => convBench(false, runs)],
  ["conv_fwdbwd_t1", () => convBench(true, runs, "winograd", 1)],
  ["conv_fwdbwd", () => convBench(true, runs)],
  ["conv_fwd_im2col", () => convBench(false, runs, "im2col")],
  ["conv_fwdbwd_im2col", () => convBench(true, runs, "im2col")],
  ...extraBenches(runs),
  ["sample_fewstep", () => fewStepSampleBench(runs)],
  ["peak_rss", () => trainPeakRssBench()],
  ["browser_train", () => browserTrainBench(runs)],
  ["webgpu", () => browserWebGpuBench(runs)],
];
for (const [key, fn] of all) {
  if (values.only && !key.includes(values.only)) continue;
  const out = await fn();
  for (const r of out === null ? [] : Array.isArray(out) ? out : [out]) {
    const ref = measured.get(r.name);
    if (ref !== undefined) r.reference = { value: ref, what: `PyTorch, ${values.reference}` };
    results.push(r);
    log(formatTable([r]));
  }
}
if (values.json) console.log(JSON.stringify(results.map(({ name, value, unit }) => ({ name, value, unit }))));
T.shutdownEngine();
