// flowlab path: the lab's Part 1 figure — real digits z and samples of p_t(x|z) = N(α_t z, β_t² I) at several t.
import * as T from "../tensor/index.js";
import { parse, num, numList, str, UsageError } from "./args.js";
import { ensureWritableFile } from "./writable.js";
import { loadDataset } from "../data/load.js";
import { GaussianConditionalPath } from "../flow/path.js";
import { SCHEDULES, type ScheduleName } from "../flow/schedules.js";
import { panels } from "../viz/grid.js";
import { encodePng } from "../viz/png.js";
import { writeFileAtomic } from "../io/atomic.js";

export const PATH_HELP = `flowlab path [flags]
  --png FILE             output figure (default path.png)
  --t 0,0.25,0.5,0.75,1  times to show, one column each
  --digits N             how many real digits (rows, default 5)
  --schedule linear|cosine|sqrt   (default linear: α = t, β = 1 − t)
  --data mnist|idx:DIR --seed N`;

const FLAGS = { png: { type: "string" }, t: { type: "string" }, digits: { type: "string" }, schedule: { type: "string" }, data: { type: "string" }, seed: { type: "string" }, threads: { type: "string" } } as const;

export async function pathCommand(argv: string[], log: (s: string) => void): Promise<number> {
  const v = parse("path", argv, FLAGS);
  if (v["help"]) {
    log(PATH_HELP);
    return 0;
  }
  const ts = numList("t", v["t"], { min: 0, max: 1 }) ?? [0, 0.25, 0.5, 0.75, 1];
  const digits = num("digits", v["digits"], { int: true, min: 1, max: 100 }) ?? 5;
  const seed = num("seed", v["seed"], { int: true }) ?? 0;
  const sched = str(v["schedule"]) ?? "linear";
  if (!Object.hasOwn(SCHEDULES, sched)) throw new UsageError(`--schedule must be linear, cosine or sqrt, got "${sched}"`);
  const png = str(v["png"]) ?? "path.png";
  ensureWritableFile(png, "--png");
  const ds = loadDataset(str(v["data"]) ?? "mnist", "train");
  const path = new GaussianConditionalPath(SCHEDULES[sched as ScheduleName]);
  const rng = new T.Rng(seed);
  const images = T.tidy(() => {
    const { z } = ds.sample(digits, rng); // [D, 1, 32, 32]
    const out = new Float32Array(digits * ts.length * 1024);
    ts.forEach((t, j) => {
      const x = path.sampleConditionalPath(z, T.full([digits, 1, 1, 1], t), rng).x.data;
      for (let d = 0; d < digits; d++) out.set(x.subarray(d * 1024, (d + 1) * 1024), (d * ts.length + j) * 1024);
    });
    return out;
  });
  // columns are t values: title lists them
  writeFileAtomic(png, encodePng(panels([{ title: `p_t(x|z), ${sched}: t = ${ts.join("  ")}`, images, rows: digits, cols: ts.length }], 32, 2, 4)));
  log(`wrote ${png}: ${digits} digits × t = ${ts.join(", ")}`);
  return 0;
}
