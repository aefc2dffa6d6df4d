// flowlab eval: what guidance does. For each w: judge accuracy (overall and per class), confidence,
// Fréchet distance on judge features vs MNIST test digits, diversity, NFE and wall time.
// Also judges external samples (--samples FILE.npy [--labels FILE.npy]) and runs the solver study.
import { readFileSync, existsSync } from "node:fs";
import path from "node:path";
import * as T from "../tensor/index.js";
import { parse, num, numList, str, UsageError } from "./args.js";
import { defaultJudge, defaultModel } from "./paths.js";
import { ensureWritableFile } from "./writable.js";
import { readCheckpoint } from "./ckpt-io.js";
import { progressBar } from "./progress.js";
import { samplingNet } from "../train/checkpoint.js";
import { generate } from "../sample/generate.js";
import { SAMPLE_DEFAULTS } from "./sample.js";
import { isOdeSolverName, ODE_SOLVERS, type OdeSolverName } from "../solvers/steppers.js";
import { loadDataset } from "../data/load.js";
import { decodeJudge, judge } from "../judge/judge.js";
import { score, type Report, type Reference } from "../eval/metrics.js";
import { decodeNpy } from "../io/npy.js";
import { writeFileAtomic } from "../io/atomic.js";
import { FIGURE_FLAGS, FIGURE_HELP, figureOutputs, writeFigure } from "./figure-out.js";
import { chartSvg } from "../viz/charts.js";
import { evalChartSpec } from "../viz/report-charts.js";
import type { Classifier } from "../nn/classifier.js";

export const EVAL_HELP = `flowlab eval [flags]
  --ckpt FILE            model to sample (default: the shipped model)
  --w 0.5,1,3,5,10       guidance scales   --per-class N (default 50)
  --solver S --steps N --seed N            (defaults as flowlab sample)
  --samples FILE.npy [--labels FILE.npy]   judge samples made elsewhere instead
                         (float32 [N,1,32,32] or [N,32,32] in [−1, 1] or 0..255; labels int, default class-major)
  --study solvers        Euler, midpoint, Heun, RK4 at NFE 10, 20, 50, 100, 200 (w = 3)
  --json FILE --md FILE --png FILE        outputs (a markdown table is always printed)
${FIGURE_HELP}
  --from FILE.json       redraw the tables and chart from rows saved by --json (no sampling)
  --judge FILE           classifier (default models/judge.safetensors)`;

const FLAGS = {
  ckpt: { type: "string" }, w: { type: "string" }, "per-class": { type: "string" }, solver: { type: "string" }, steps: { type: "string" },
  seed: { type: "string" }, samples: { type: "string" }, labels: { type: "string" }, study: { type: "string" }, json: { type: "string" },
  md: { type: "string" }, ...FIGURE_FLAGS, from: { type: "string" }, judge: { type: "string" }, threads: { type: "string" },
} as const;

export interface EvalRow {
  label: string;
  w: number | null;
  solver: string | null;
  steps: number | null;
  nfe: number | null;
  seconds: number | null;
  report: Report;
}

export function loadJudge(file: string): Classifier {
  if (!existsSync(file)) throw new UsageError(`judge ${file} not found: train one with flowlab train-judge`);
  return decodeJudge(readFileSync(file), file).net;
}

export function reference(net: Classifier): Reference {
  const test = loadDataset("mnist", "test");
  return { features: judge(net, test.images).features, labels: test.labels, images: test.images };
}

/** Reads samples from .npy and maps them to [−1, 1]; rejects unknown ranges, shapes and dtypes. */
export function readSamples(file: string, labelsFile?: string): { images: Float32Array; labels: Int32Array } {
  if (!existsSync(file)) throw new UsageError(`--samples ${file} does not exist`);
  const a = decodeNpy(readFileSync(file), file);
  if (a.dtype !== "<f4") throw new UsageError(`${file}: samples must be float32 ('<f4'), got ${a.dtype}`);
  const ok = (a.shape.length === 4 && a.shape[1] === 1 && a.shape[2] === 32 && a.shape[3] === 32) || (a.shape.length === 3 && a.shape[1] === 32 && a.shape[2] === 32);
  if (!ok) throw new UsageError(`${file}: expected shape [N, 1, 32, 32] or [N, 32, 32], got [${a.shape.join(", ")}]`);
  const data = Float32Array.from(a.data as Float32Array);
  let lo = Infinity, hi = -Infinity;
  for (const v of data) {
    if (!Number.isFinite(v)) throw new UsageError(`${file}: samples contain non-finite values`);
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (lo >= -1.5 && hi <= 1.5) {
    for (let i = 0; i < data.length; i++) data[i] = Math.max(-1, Math.min(1, data[i]!));
  } else if (lo >= 0 && hi <= 255) {
    for (let i = 0; i < data.length; i++) data[i] = data[i]! / 127.5 - 1;
  } else {
    throw new UsageError(`${file}: values span [${lo.toFixed(3)}, ${hi.toFixed(3)}], outside any known image range (expected [−1, 1] or 0..255)`);
  }
  const N = a.shape[0]!;
  let labels: Int32Array;
  if (labelsFile) {
    if (!existsSync(labelsFile)) throw new UsageError(`--labels ${labelsFile} does not exist`);
    const l = decodeNpy(readFileSync(labelsFile), labelsFile);
    if (l.dtype === "<f4") throw new UsageError(`${labelsFile}: labels must be integers (int64, int32 or uint8), got float32`);
    if (l.shape.length !== 1 || l.shape[0] !== N) throw new UsageError(`${labelsFile}: expected ${N} labels (shape [${N}]) to match the samples, got [${l.shape.join(", ")}]`);
    labels = Int32Array.from(Array.from(l.data as ArrayLike<number | bigint>, Number));
    for (const v of labels) if (v < 0 || v > 9) throw new UsageError(`${labelsFile}: label ${v} outside 0..9`);
  } else {
    if (N % 10) throw new UsageError(`${file}: ${N} samples cannot be class-major over 10 classes; pass --labels`);
    labels = Int32Array.from({ length: N }, (_, i) => Math.floor(i / (N / 10)));
  }
  return { images: data, labels };
}

/** Rows saved by --json, checked enough that the tables and chart can be drawn from them. */
export function readRows(file: string): EvalRow[] {
  if (!existsSync(file)) throw new UsageError(`--from ${file} does not exist`);
  let rows: unknown;
  try {
    rows = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new UsageError(`--from ${file} is not JSON: ${(e as Error).message}`);
  }
  const ok = (r: unknown): r is EvalRow => {
    const o = r as Partial<EvalRow> | null;
    const rep = o?.report;
    return typeof o?.label === "string" && !!rep && ["n", "accuracy", "confidence", "fd", "diversity"].every((k) => typeof (rep as unknown as Record<string, unknown>)[k] === "number") && Array.isArray(rep.perClass);
  };
  if (!Array.isArray(rows) || rows.length === 0 || !rows.every(ok)) throw new UsageError(`--from ${file}: expected the rows that flowlab eval --json writes (label, w, solver, steps, nfe, report)`);
  return rows;
}

function pct(v: number): string {
  return (v * 100).toFixed(1) + " %";
}

export function markdown(rows: readonly EvalRow[]): string {
  const head = "| run | w | solver | steps | NFE | time (s) | accuracy | confidence | FD | diversity | worst class |\n|---|---|---|---|---|---|---|---|---|---|---|";
  const body = rows.map((r) => {
    const worst = [...r.report.perClass].sort((a, b) => a.accuracy - b.accuracy)[0];
    return `| ${r.label} | ${r.w ?? "—"} | ${r.solver ?? "—"} | ${r.steps ?? "—"} | ${r.nfe ?? "—"} | ${r.seconds?.toFixed(1) ?? "—"} | ${pct(r.report.accuracy)} | ${r.report.confidence.toFixed(3)} | ${r.report.fd.toFixed(2)} | ${r.report.diversity.toFixed(2)} | ${worst ? `${worst.label}: ${pct(worst.accuracy)}` : "—"} |`;
  });
  return [head, ...body].join("\n");
}

export function perClassMarkdown(rows: readonly EvalRow[]): string {
  const head = `| run | ${Array.from({ length: 10 }, (_, k) => k).join(" | ")} |\n|---|${"---|".repeat(10)}`;
  const body = rows.map((r) => `| ${r.label} acc / FD | ${r.report.perClass.map((c) => `${(c.accuracy * 100).toFixed(0)} / ${c.fd.toFixed(1)}`).join(" | ")} |`);
  return [head, ...body].join("\n");
}

export async function evalCommand(argv: string[], log: (s: string) => void): Promise<number> {
  const v = parse("eval", argv, FLAGS);
  if (v["help"]) {
    log(EVAL_HELP);
    return 0;
  }
  const outs = { json: str(v["json"]), md: str(v["md"]) };
  for (const [k, f] of Object.entries(outs)) if (f) ensureWritableFile(f, `--${k}`);
  const fig = figureOutputs(v);
  const from = str(v["from"]);
  const rows: EvalRow[] = [];
  const samples = str(v["samples"]);
  if (from) {
    const clash = ["ckpt", "w", "per-class", "solver", "steps", "seed", "samples", "labels", "study", "judge"].filter((k) => v[k] !== undefined);
    if (clash.length) throw new UsageError(`--from redraws saved rows without sampling; drop --${clash.join(", --")}`);
    rows.push(...readRows(from));
  } else if (samples) {
    const judgeNet = loadJudge(str(v["judge"]) ?? defaultJudge);
    const ref = reference(judgeNet);
    const { images, labels } = readSamples(samples, str(v["labels"]));
    rows.push({ label: samples, w: null, solver: null, steps: null, nfe: null, seconds: null, report: score(judge(judgeNet, images), labels, images, ref, 10) });
  } else {
    const judgeNet = loadJudge(str(v["judge"]) ?? defaultJudge);
    const ref = reference(judgeNet);
    const perClass = num("per-class", v["per-class"], { int: true, min: 2, max: 2000 }) ?? 50;
    const seed = num("seed", v["seed"], { int: true }) ?? 0;
    const ckpt = str(v["ckpt"]) ?? defaultModel;
    const state = readCheckpoint(ckpt);
    const net = samplingNet(state);
    const classes = Array.from({ length: 10 }, (_, i) => i);
    const runOne = (label: string, w: number, solver: OdeSolverName, steps: number) => {
      const bar = progressBar(`${label} |{bar}| step {value}/{total}`);
      bar.start(steps, 0);
      const g = generate(net, { classes, perClass, w, steps, solver, seed, onStep: (s) => bar.tick(s.done) });
      bar.stop();
      const images = g.images.toFloat32Array();
      g.images.dispose();
      const row = { label, w, solver, steps, nfe: g.nfe, seconds: g.seconds, report: score(judge(judgeNet, images), g.labels, images, ref, 10) };
      log(`${label}: accuracy ${pct(row.report.accuracy)}, FD ${row.report.fd.toFixed(2)}, diversity ${row.report.diversity.toFixed(2)}, ${g.nfe} NFE, ${g.seconds.toFixed(1)} s`);
      rows.push(row);
    };
    const study = str(v["study"]);
    if (study !== undefined) {
      if (study !== "solvers") throw new UsageError(`--study must be "solvers", got "${study}"`);
      for (const solver of Object.keys(ODE_SOLVERS) as OdeSolverName[]) {
        const perStep = 2 * ODE_SOLVERS[solver]({ drift: (x) => x }).evalsPerStep;
        for (const nfe of [10, 20, 50, 100, 200]) {
          const steps = Math.max(1, Math.round(nfe / perStep));
          runOne(`${solver} NFE ${steps * perStep}`, 3, solver, steps);
        }
      }
    } else {
      const solver = str(v["solver"]) ?? SAMPLE_DEFAULTS.solver;
      if (!isOdeSolverName(solver)) throw new UsageError(`--solver must be euler, midpoint, heun or rk4, got "${solver}"`);
      const steps = num("steps", v["steps"], { int: true, min: 1, max: 10000 }) ?? SAMPLE_DEFAULTS.steps;
      for (const w of numList("w", v["w"]) ?? [0.5, 1, 3, 5, 10]) runOne(`w = ${w}`, w, solver, steps);
    }
    T.disposeAll(net.params);
  }
  const md = `${markdown(rows)}\n\nPer class (accuracy % / FD):\n\n${perClassMarkdown(rows)}\n`;
  log(md);
  const chartFile = fig.svg ?? fig.png;
  if (outs.md) {
    const title = rows[0]?.label.includes("NFE") ? "Solver study (w = 3)" : samples ? `Judged samples: ${samples}` : "What guidance does";
    const rel = (f: string) => path.relative(path.dirname(path.resolve(outs.md!)), path.resolve(f));
    const chartLink = chartFile && rows.length > 1 ? `![chart](${rel(chartFile)})\n\n` : "";
    const provenance = from
      ? `Rows: [${path.basename(from)}](${rel(from)}), ${Math.round((rows[0]?.report.n ?? 0) / 10)} digits per class and run (the sampling command is in package.json, \`reports:sample\`). Tables and chart drawn from them by \`flowlab eval ${argv.join(" ")}\`.`
      : `This run: \`flowlab eval ${argv.join(" ")}\`.`;
    const judgeNote = "Accuracy: the judge's argmax equals the class asked for. Confidence: the judge's mean probability of that class. FD: Fréchet distance between judge features (128-d) of the samples and of the 10 000 MNIST test digits. Diversity: mean pairwise L2 distance within a class divided by the same on real test digits (1 = as varied as real digits).";
    writeFileAtomic(outs.md, `# ${title}\n\nRegenerate with \`npm run reports\` (samples again), or redraw this page and its chart from the saved rows with \`npm run reports:render\`. ${provenance}\n\n${chartLink}${md}\n${judgeNote}\n`);
  }
  if (outs.json) writeFileAtomic(outs.json, JSON.stringify(rows, null, 2));
  if (chartFile) {
    const spec = evalChartSpec(rows);
    if (spec) log(`wrote ${(await writeFigure(await chartSvg(spec), fig)).join(" and ")}`);
    else log(`no chart: ${rows.length < 2 ? "one row" : "rows without w"} (charts need two or more runs)`);
  }
  return 0;
}
