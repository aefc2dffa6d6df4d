// flowlab eval: what guidance does. For each w: judge accuracy (overall and per class), confidence,
// Fréchet distance on judge features vs MNIST test digits, diversity, NFE and wall time.
// Also judges external samples (--samples FILE.npy [--labels FILE.npy]) and runs the solver study.
import path from "node:path";
import * as T from "../tensor/index.js";
import { parse, num, numList, str, UsageError, type Flags } from "./args.js";
import { defaultJudge, defaultModel } from "./paths.js";
import { ensureWritableFile, ensureReadableFile } from "./writable.js";
import { readCheckpoint } from "./ckpt-io.js";
import { progressBar } from "./progress.js";
import { samplingNet } from "../train/checkpoint.js";
import { generate } from "../sample/generate.js";
import { checkSampleRange, solveChecked } from "../sample/range.js";
import { SAMPLE_DEFAULTS } from "./sample.js";
import { isOdeSolverName, ODE_SOLVERS, type OdeSolverName } from "../solvers/steppers.js";
import { judge } from "../judge/judge.js";
import { score, type Report, type Reference } from "../eval/metrics.js";
import { loadJudge, reference } from "../eval/reference.js";
import { readSamples, SAMPLE_RANGES, type SampleRange } from "../eval/samples.js";
import { writeFileAtomic } from "../io/atomic.js";
import { chart, hstack } from "../viz/chart.js";
import { encodePng } from "../viz/png.js";
import type { Classifier } from "../nn/classifier.js";
import type { UNet } from "../nn/unet.js";

export const EVAL_DEFAULTS = { w: [0.5, 1, 3, 5, 10], perClass: 50, solver: SAMPLE_DEFAULTS.solver, steps: SAMPLE_DEFAULTS.steps, seed: 0 };

export const EVAL_HELP = `flowlab eval [flags]
  --ckpt FILE            model to sample (default: the shipped model)
  --w 0.5,1,3,5,10       guidance scales   --per-class N (default ${EVAL_DEFAULTS.perClass})
  --solver S --steps N --seed N            (defaults as flowlab sample)
  --samples FILE.npy [--labels FILE.npy]   judge samples made elsewhere instead
                         (float32 [N,1,32,32] or [N,32,32]; labels int, default class-major)
  --range auto|-1..1|0..1|0..255           value range of --samples (default auto: any
                         negative value means [−1, 1], else max ≤ 1 means [0, 1], else 0..255)
  --study solvers        Euler, midpoint, Heun, RK4 at NFE 10, 20, 50, 100, 200 (w = 3)
  --json FILE --md FILE --png FILE        outputs (a markdown table is always printed)
  --judge FILE           classifier (default models/judge.safetensors)`;

const FLAGS = {
  ckpt: { type: "string" }, w: { type: "string" }, "per-class": { type: "string" }, solver: { type: "string" },
  steps: { type: "string" }, seed: { type: "string" }, samples: { type: "string" }, labels: { type: "string" },
  range: { type: "string" }, study: { type: "string" }, json: { type: "string" }, md: { type: "string" },
  png: { type: "string" }, judge: { type: "string" }, threads: { type: "string" },
} as const;

/** Judge a file of samples made elsewhere. */
export interface SamplesSource {
  kind: "samples";
  samples: string;
  labels?: string;
  range: SampleRange | "auto";
}

/** Generate with a checkpoint: a guidance sweep over `w`, or the solver study. */
export interface GenerateSource {
  kind: "generate";
  ckpt: string;
  study: boolean;
  w: number[];
  perClass: number;
  solver: OdeSolverName;
  steps: number;
  seed: number;
}

export interface EvalOptions {
  source: SamplesSource | GenerateSource;
  judge: string;
  outputs: { json?: string; md?: string; png?: string };
}

export interface EvalRow {
  label: string;
  w: number | null;
  solver: string | null;
  steps: number | null;
  nfe: number | null;
  seconds: number | null;
  report: Report;
}

const GENERATE_ONLY = ["ckpt", "w", "per-class", "solver", "steps", "seed", "study"] as const;

function samplesSource(v: Flags, samples: string): SamplesSource {
  const clash = GENERATE_ONLY.filter((f) => v[f] !== undefined);
  if (clash.length) throw new UsageError(`--samples judges a file, so ${clash.map((f) => `--${f}`).join(", ")} would be ignored; drop ${clash.length > 1 ? "them" : "it"}`);
  const range = str(v["range"]) ?? "auto";
  if (range !== "auto" && !SAMPLE_RANGES.includes(range as SampleRange)) throw new UsageError(`--range must be auto, ${SAMPLE_RANGES.join(", ")}, got "${range}"`);
  const labels = str(v["labels"]);
  return { kind: "samples", samples, ...(labels !== undefined ? { labels } : {}), range: range as SampleRange | "auto" };
}

function generateSource(v: Flags): GenerateSource {
  for (const f of ["labels", "range"]) if (v[f] !== undefined) throw new UsageError(`--${f} describes --samples; give --samples FILE.npy too`);
  const study = str(v["study"]);
  if (study !== undefined && study !== "solvers") throw new UsageError(`--study must be "solvers", got "${study}"`);
  if (study && (v["w"] !== undefined || v["solver"] !== undefined || v["steps"] !== undefined)) {
    throw new UsageError("--study solvers sets w, the solver and the steps itself; drop --w, --solver and --steps");
  }
  const solver = str(v["solver"]) ?? EVAL_DEFAULTS.solver;
  if (!isOdeSolverName(solver)) throw new UsageError(`--solver must be euler, midpoint, heun or rk4, got "${solver}"`);
  return {
    kind: "generate",
    ckpt: str(v["ckpt"]) ?? defaultModel,
    study: study === "solvers",
    w: numList("w", v["w"], { min: -1e3, max: 1e3 }) ?? EVAL_DEFAULTS.w,
    perClass: num("per-class", v["per-class"], { int: true, min: 2, max: 2000 }) ?? EVAL_DEFAULTS.perClass,
    solver,
    steps: num("steps", v["steps"], { int: true, min: 1, max: 10000 }) ?? EVAL_DEFAULTS.steps,
    seed: num("seed", v["seed"], { int: true }) ?? EVAL_DEFAULTS.seed,
  };
}

/** Flags → validated options (no side effects; every flag checked before any setup). */
export function parseEvalFlags(argv: string[]): EvalOptions | "help" {
  const v = parse("eval", argv, FLAGS);
  if (v["help"]) return "help";
  const samples = str(v["samples"]);
  const source = samples !== undefined ? samplesSource(v, samples) : generateSource(v);
  const outputs = { json: str(v["json"]), md: str(v["md"]), png: str(v["png"]) };
  return {
    source,
    judge: str(v["judge"]) ?? defaultJudge,
    outputs: Object.fromEntries(Object.entries(outputs).filter(([, f]) => f !== undefined)),
  };
}

/** Cheap checks of every file named, before the seconds of judge and reference setup. */
function checkFiles(o: EvalOptions): void {
  for (const [k, f] of Object.entries(o.outputs)) ensureWritableFile(f, `--${k}`);
  ensureReadableFile(o.judge, "--judge", "judge (train one with flowlab train-judge)");
  if (o.source.kind === "generate") ensureReadableFile(o.source.ckpt, "--ckpt", "checkpoint");
}

function pct(v: number): string {
  return (v * 100).toFixed(1) + " %";
}

/** The runs of the solver study: each solver at about 10, 20, 50, 100, 200 network evaluations, w = 3. */
function studyRuns(): { label: string; w: number; solver: OdeSolverName; steps: number }[] {
  return (Object.keys(ODE_SOLVERS) as OdeSolverName[]).flatMap((solver) => {
    const perStep = 2 * ODE_SOLVERS[solver]({ drift: (x) => x }).evalsPerStep;
    return [10, 20, 50, 100, 200].map((nfe) => {
      const steps = Math.max(1, Math.round(nfe / perStep));
      return { label: `${solver} NFE ${steps * perStep}`, w: 3, solver, steps };
    });
  });
}

interface Judging {
  net: Classifier;
  ref: Reference;
}

function generateRows(src: GenerateSource, j: Judging, log: (s: string) => void): EvalRow[] {
  const state = readCheckpoint(src.ckpt);
  const net: UNet = samplingNet(state);
  const classes = Array.from({ length: 10 }, (_, i) => i);
  const runs = src.study ? studyRuns() : src.w.map((w) => ({ label: `w = ${w}`, w, solver: src.solver, steps: src.steps }));
  try {
    return runs.map(({ label, w, solver, steps }) => {
      const bar = progressBar(`${label} |{bar}| step {value}/{total}`);
      bar.start(steps, 0);
      const g = solveChecked({ w, source: src.ckpt }, () => generate(net, { classes, perClass: src.perClass, w, steps, solver, seed: src.seed, onStep: (s) => bar.tick(s.done) }));
      bar.stop();
      const images = g.images.toFloat32Array();
      g.images.dispose();
      checkSampleRange(images, { w, source: src.ckpt });
      const report = score(judge(j.net, images), g.labels, images, j.ref, 10);
      log(`${label}: accuracy ${pct(report.accuracy)}, FD ${report.fd.toFixed(2)}, diversity ${report.diversity.toFixed(2)}, ${g.nfe} NFE, ${g.seconds.toFixed(1)} s`);
      return { label, w, solver, steps, nfe: g.nfe, seconds: g.seconds, report };
    });
  } finally {
    T.disposeAll(net.params);
    if (net !== state.net) T.disposeAll(state.net.params);
  }
}

/** Runs the evaluation: reads or generates the samples and scores them. */
export function runEval(o: EvalOptions, log: (s: string) => void): EvalRow[] {
  const src = o.source;
  const set = src.kind === "samples" ? readSamples(src.samples, src.labels, src.range) : null;
  if (set && src.kind === "samples" && src.range === "auto") log(`${src.samples}: values read as ${set.range} (pass --range to override)`);
  const net = loadJudge(o.judge);
  const j = { net, ref: reference(net) };
  if (set && src.kind === "samples") {
    const report = score(judge(net, set.images), set.labels, set.images, j.ref, 10);
    return [{ label: src.samples, w: null, solver: null, steps: null, nfe: null, seconds: null, report }];
  }
  return generateRows(src as GenerateSource, j, log);
}

export function markdown(rows: readonly EvalRow[]): string {
  const head = "| run | w | solver | steps | NFE | time (s) | accuracy | confidence | FD | diversity | worst class |\n|---|---|---|---|---|---|---|---|---|---|---|";
  const body = rows.map((r) => {
    const worst = [...r.report.perClass].sort((a, b) => a.accuracy - b.accuracy)[0];
    const cells = [r.label, r.w ?? "—", r.solver ?? "—", r.steps ?? "—", r.nfe ?? "—", r.seconds?.toFixed(1) ?? "—"];
    const metrics = [pct(r.report.accuracy), r.report.confidence.toFixed(3), r.report.fd.toFixed(2), r.report.diversity.toFixed(2)];
    return `| ${[...cells, ...metrics, worst ? `${worst.label}: ${pct(worst.accuracy)}` : "—"].join(" | ")} |`;
  });
  return [head, ...body].join("\n");
}

export function perClassMarkdown(rows: readonly EvalRow[]): string {
  const head = `| run | ${Array.from({ length: 10 }, (_, k) => k).join(" | ")} |\n|---|${"---|".repeat(10)}`;
  const cell = (c: Report["perClass"][number]) => `${(c.accuracy * 100).toFixed(0)} / ${c.fd.toFixed(1)}`;
  const body = rows.map((r) => `| ${r.label} acc / FD | ${r.report.perClass.map(cell).join(" | ")} |`);
  return [head, ...body].join("\n");
}

const JUDGE_NOTE =
  "Accuracy: the judge's argmax equals the class asked for. Confidence: the judge's mean probability of that class. " +
  "FD: Fréchet distance between judge features (128-d) of the samples and of the 10 000 MNIST test digits. " +
  "Diversity: mean pairwise L2 distance within a class divided by the same on real test digits (1 = as varied as real digits).";

/** Prints the tables and writes the --md, --json and --png outputs. */
export function reportEval(o: EvalOptions, rows: readonly EvalRow[], argv: readonly string[], log: (s: string) => void): void {
  const md = `${markdown(rows)}\n\nPer class (accuracy % / FD):\n\n${perClassMarkdown(rows)}\n`;
  log(md);
  const { md: mdFile, json, png } = o.outputs;
  if (mdFile) {
    const study = o.source.kind === "generate" && o.source.study;
    const title = study ? "Solver study (w = 3)" : o.source.kind === "samples" ? `Judged samples: ${o.source.samples}` : "What guidance does";
    const chartLink = png ? `![chart](${path.relative(path.dirname(path.resolve(mdFile)), path.resolve(png))})\n\n` : "";
    const rerun = `Regenerate with \`npm run reports\`. This run: \`flowlab eval ${argv.join(" ")}\`.`;
    writeFileAtomic(mdFile, `# ${title}\n\n${rerun}\n\n${chartLink}${md}\n${JUDGE_NOTE}\n`);
  }
  if (json) writeFileAtomic(json, JSON.stringify(rows, null, 2));
  if (png && rows.length > 1) writeEvalChart(png, rows);
}

/** The chart PNG: the solver study (accuracy and FD against NFE) or the guidance sweep (against w). */
function writeEvalChart(file: string, rows: readonly EvalRow[]): void {
  const study = rows[0]!.label.includes("NFE");
  if (study) {
    const solvers = [...new Set(rows.map((r) => r.solver!))];
    const shades = [0, 70, 130, 180];
    const xs = [...new Set(rows.map((r) => r.nfe!))].sort((a, b) => a - b);
    const series = (metric: (r: Report) => number) =>
      solvers.map((s, i) => ({ name: s, shade: shades[i % 4]!, ys: xs.map((x) => { const r = rows.find((q) => q.solver === s && q.nfe === x); return r ? metric(r.report) : NaN; }) }));
    writeFileAtomic(file, encodePng(hstack([
      chart({ title: "accuracy % at w = 3", xs, series: series((r) => r.accuracy * 100), xLabel: "NFE", logX: true, yRange: [0, 100] }),
      chart({ title: "FD at w = 3", xs, series: series((r) => r.fd), xLabel: "NFE", logX: true }),
    ])));
  } else {
    const xs = rows.map((r) => r.w!);
    writeFileAtomic(file, encodePng(hstack([
      chart({ title: "judge accuracy %", xs, series: [{ name: "acc", shade: 0, ys: rows.map((r) => r.report.accuracy * 100) }], xLabel: "w", yRange: [0, 100] }),
      chart({ title: "Frechet distance", xs, series: [{ name: "FD", shade: 0, ys: rows.map((r) => r.report.fd) }], xLabel: "w" }),
      chart({ title: "diversity vs real", xs, series: [{ name: "div", shade: 0, ys: rows.map((r) => r.report.diversity) }], xLabel: "w" }),
    ])));
  }
}

export async function evalCommand(argv: string[], log: (s: string) => void): Promise<number> {
  const o = parseEvalFlags(argv);
  if (o === "help") {
    log(EVAL_HELP);
    return 0;
  }
  checkFiles(o);
  const rows = runEval(o, log);
  reportEval(o, rows, argv, log);
  return 0;
}
