// flowlab path: the lab's Part 1 figure — real digits z and samples of p_t(x|z) = N(α_t z, β_t² I) at several t.
import * as T from "../tensor/index.js";
import { parse, num, numList, str, UsageError, seedFlag } from "./args.js";
import { FIGURE_FLAGS, FIGURE_HELP, figureOutputs, checkFigureOutputs, writeFigure } from "./figure-out.js";
import { dataFlags, loadDataFlag } from "./data-flags.js";
import { GaussianConditionalPath } from "../flow/path.js";
import { SCHEDULES, type ScheduleName } from "../flow/schedules.js";
import { pathFigure } from "../viz/lab-figures.js";

export const PATH_HELP = `flowlab path [flags]
  --png FILE             output figure (default path.png unless --svg is given)
${FIGURE_HELP}
  --t 0,0.25,0.5,0.75,1  times to show, one column each
  --digits N             how many real digits (rows, default 5)
  --schedule linear|cosine|sqrt   (default linear: α = t, β = 1 − t)
  --data mnist|idx:DIR|folder:DIR --seed N`;

const FLAGS = { ...FIGURE_FLAGS, t: { type: "string" }, digits: { type: "string" }, schedule: { type: "string" }, data: { type: "string" }, seed: { type: "string" }, threads: { type: "string" } } as const;

export async function pathCommand(argv: string[], log: (s: string) => void): Promise<number> {
  const v = parse("path", argv, FLAGS);
  if (v["help"]) {
    log(PATH_HELP);
    return 0;
  }
  const ts = numList("t", v["t"], { min: 0, max: 1 }) ?? [0, 0.25, 0.5, 0.75, 1];
  const digits = num("digits", v["digits"], { int: true, min: 1, max: 100 }) ?? 5;
  const seed = seedFlag(v["seed"]) ?? 0;
  const sched = str(v["schedule"]) ?? "linear";
  if (!Object.hasOwn(SCHEDULES, sched)) throw new UsageError(`--schedule must be linear, cosine or sqrt, got "${sched}"`);
  const out = figureOutputs(v["png"] === undefined && v["svg"] === undefined ? { ...v, png: "path.png" } : v);
  checkFigureOutputs(out);
  const ds = loadDataFlag(dataFlags(v, "mnist").data, "train", undefined, () => {});
  const P = ds.channels * ds.size * ds.size; // values per image
  const path = new GaussianConditionalPath(SCHEDULES[sched as ScheduleName]);
  const rng = new T.Rng(seed);
  const labels: number[] = [];
  const images = T.tidy(() => {
    const { z, y } = ds.sample(digits, rng); // z: [D, C, S, S], y: [D]
    labels.push(...Array.from(y.idata));
    const out = new Float32Array(digits * ts.length * P);
    ts.forEach((t, j) => {
      const x = path.sampleConditionalPath(z, T.full([digits, 1, 1, 1], t), rng).x.data;
      for (let d = 0; d < digits; d++) out.set(x.subarray(d * P, (d + 1) * P), (d * ts.length + j) * P);
    });
    return out;
  });
  const look = { channels: ds.channels, size: ds.size, ...(ds.classNames ? { classNames: ds.classNames } : {}) };
  const files = await writeFigure(pathFigure({ images, digits: labels, ts, schedule: sched, ...look }), out);
  log(`wrote ${files.join(" and ")}: ${digits} digits (${labels.join(", ")}) × t = ${ts.join(", ")}`);
  return 0;
}
