// flowlab eval: what guidance does. For each w: judge accuracy (overall and per class), confidence,
// Fréchet distance on judge features vs MNIST test digits, diversity, NFE and wall time.
// Also judges external samples (--samples FILE.npy [--labels FILE.npy]) and runs the solver study.
import { existsSync } from "node:fs";
import path from "node:path";
import * as T from "../tensor/index.js";
import { parse, num, numList, str, UsageError, refuseBesideFrom, readJsonFlag, type Flags, seedFlag } from "./args.js";
import { defaultJudge, defaultModel, weakModel } from "../io/package-files.js";
import { ensureWritableFile, ensureReadableFile } from "./writable.js";
import { readCheckpoint, checkCheckpoint } from "./ckpt-io.js";
import { progressBar } from "./progress.js";
import { samplingNet } from "../train/checkpoint.js";
import { modelImageShape } from "../nn/config.js";
import { generate } from "../sample/generate.js";
import { checkSampleRange, solveChecked } from "../sample/range.js";
import { SAMPLE_DEFAULTS } from "./sample.js";
import { isOdeSolverName, ODE_SOLVERS, type OdeSolverName } from "../solvers/steppers.js";
import type { Report } from "../eval/metrics.js";
import { judging, judgeSamples, type Judging } from "../eval/judging.js";
import type { Views } from "../eval/views.js";
import { viewsMarkdown } from "../eval/views-table.js";
import { samplesGrid } from "../viz/samples-grid.js";
import { readSamples, SAMPLE_RANGES, type SampleRange } from "../eval/samples.js";
import { writeFileAtomic } from "../io/atomic.js";
import { FIGURE_FLAGS, FIGURE_HELP, figureOutputs, checkFigureOutputs, writeFigure, type FigureOutputs } from "./figure-out.js";
import { guidanceHelp, parseGuidanceFlag, parseGuidanceText, type GuidanceFlag } from "./guidance-flag.js";
import { GUIDANCE_DEFAULTS } from "../flow/guidance-methods.js";
import { chartSvg } from "../viz/charts.js";
import { evalChartSpec, frontierChartSpec } from "../viz/report-charts.js";
import type { UNet } from "../nn/unet.js";
import { isFewStepStudy, fewStepStudyCommand } from "./few-step-study.js";
import { isTrainingStudy, trainingStudyCommand } from "./training-study.js";

/** flowlab eval's defaults; the guidance study sweeps studyW for every method. */
export const EVAL_DEFAULTS = { w: [0.5, 1, 3, 5, 10], studyW: [1, 1.5, 2, 2.5, 3, 4, 5], perClass: 50, solver: SAMPLE_DEFAULTS.solver, steps: SAMPLE_DEFAULTS.steps, seed: SAMPLE_DEFAULTS.seed };

export const EVAL_HELP = `flowlab eval [flags]
  --ckpt FILE            model to sample (default: the shipped model)
  --w 0.5,1,3,5,10       guidance scales   --per-class N (default ${EVAL_DEFAULTS.perClass})
  --solver S --steps N --seed N            (defaults as flowlab sample)
  --samples FILE.npy[,FILE.npy…] [--labels FILE.npy]   judge samples made elsewhere instead,
                         a row per file (float32 [N,1,32,32] or [N,32,32]; labels int, default class-major)
  --grid FILE.png        with --samples: the first digits of each class, a panel per file
  --range auto|-1..1|0..1|0..255           value range of --samples (default auto: any
                         negative value means [−1, 1], else max ≤ 1 means [0, 1], else 0..255)
  --study solvers        Euler, midpoint, Heun, RK4 at NFE 10, 20, 50, 100, 200 (w = 3)
  --study guidance       every guidance method (cfg, interval, rescale, zero-star, and auto with
                         --weak) at w = ${EVAL_DEFAULTS.studyW.join(", ")} (or --w): the accuracy/diversity–FD frontier
  --study few-step       few-step models against the teacher (flowlab eval --study few-step --help)
  --study training       a run's time-to-quality curve (flowlab eval --study training --help)
  --weak CKPT            autoguidance's weak model in the study (default models/mnist-cfg-weak.safetensors)
${guidanceHelp("cfg")}
  --json FILE --md FILE  outputs (a markdown table is always printed); --png/--svg: the chart
${FIGURE_HELP}
  --from FILE.json       redraw the tables and chart from rows saved by --json (no sampling)
  --judge FILE           classifier (default models/judge.safetensors); its training data's test
                         split is the reference. Every run is also scored on every view (calibrate)`;

const FLAGS = {
  ckpt: { type: "string" }, w: { type: "string" }, "per-class": { type: "string" }, solver: { type: "string" },
  steps: { type: "string" }, seed: { type: "string" }, samples: { type: "string" }, labels: { type: "string" },
  range: { type: "string" }, study: { type: "string" }, weak: { type: "string" }, guidance: { type: "string" },
  json: { type: "string" }, md: { type: "string" }, ...FIGURE_FLAGS, from: { type: "string" }, judge: { type: "string" },
  grid: { type: "string" }, threads: { type: "string" },
} as const;

/** Judge a file of samples made elsewhere. */
export interface SamplesSource {
  kind: "samples";
  samples: string;
  labels?: string;
  range: SampleRange | "auto";
}

/** Redraw the tables and chart from rows an earlier --json saved. */
export interface FromSource {
  kind: "from";
  from: string;
}

/** Generate with a checkpoint: a sweep over `w` (one guidance method), or a study. */
export interface GenerateSource {
  kind: "generate";
  ckpt: string;
  study: "solvers" | "guidance" | null;
  /** --guidance as given (sweeps); the guidance study runs every method. */
  guidance?: string;
  /** Autoguidance's weak model in the guidance study, when there is one. */
  weak?: string;
  w: number[];
  perClass: number;
  solver: OdeSolverName;
  steps: number;
  seed: number;
}

export interface EvalOptions {
  source: SamplesSource | GenerateSource | FromSource;
  judge: string;
  outputs: { json?: string; md?: string; grid?: string; figure: FigureOutputs };
}

export interface EvalRow {
  label: string;
  w: number | null;
  solver: string | null;
  steps: number | null;
  nfe: number | null;
  seconds: number | null;
  /** The guidance method (absent: plain CFG). */
  guidance?: string;
  report: Report;
  /** Every view with its interval (absent in rows saved before the views existed). */
  views?: Views;
}

const GENERATE_ONLY = ["ckpt", "w", "per-class", "solver", "steps", "seed", "study", "weak", "guidance"] as const;

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
  if (study !== undefined && study !== "solvers" && study !== "guidance") throw new UsageError(`--study must be "solvers", "guidance", "few-step" or "training", got "${study}"`);
  if (study === "solvers" && (v["w"] !== undefined || v["solver"] !== undefined || v["steps"] !== undefined)) {
    throw new UsageError("--study solvers sets w, the solver and the steps itself; drop --w, --solver and --steps");
  }
  if (study && v["guidance"] !== undefined) throw new UsageError(`--study ${study} chooses the guidance itself; drop --guidance`);
  if (study !== "guidance" && v["weak"] !== undefined) throw new UsageError("--weak is the guidance study's weak model; with a sweep, use --guidance auto:CKPT");
  const weak = str(v["weak"]) ?? (study === "guidance" && existsSync(weakModel) ? weakModel : undefined);
  const guidance = str(v["guidance"]);
  parseGuidanceText(guidance); // a bad value fails here, before the judge and reference setup
  const solver = str(v["solver"]) ?? EVAL_DEFAULTS.solver;
  if (!isOdeSolverName(solver)) throw new UsageError(`--solver must be euler, midpoint, heun or rk4, got "${solver}"`);
  return {
    kind: "generate",
    ckpt: str(v["ckpt"]) ?? defaultModel,
    study: study === "solvers" || study === "guidance" ? study : null,
    ...(guidance !== undefined ? { guidance } : {}),
    ...(weak !== undefined ? { weak } : {}),
    w: numList("w", v["w"], { min: -1e3, max: 1e3 }) ?? (study === "guidance" ? EVAL_DEFAULTS.studyW : EVAL_DEFAULTS.w),
    perClass: num("per-class", v["per-class"], { int: true, min: 2, max: 2000 }) ?? EVAL_DEFAULTS.perClass,
    solver,
    steps: num("steps", v["steps"], { int: true, min: 1, max: 10000 }) ?? EVAL_DEFAULTS.steps,
    seed: seedFlag(v["seed"]) ?? EVAL_DEFAULTS.seed,
  };
}

/** Flags → validated options (no side effects; every flag checked before any setup). */
export function parseEvalFlags(argv: string[]): EvalOptions | "help" {
  const v = parse("eval", argv, FLAGS);
  if (v["help"]) return "help";
  const samples = str(v["samples"]), from = str(v["from"]);
  if (from !== undefined) {
    refuseBesideFrom(v, [...GENERATE_ONLY, "samples", "labels", "range", "judge"]);
  }
  const source = from !== undefined ? { kind: "from" as const, from } : samples !== undefined ? samplesSource(v, samples) : generateSource(v);
  const json = str(v["json"]), md = str(v["md"]), grid = str(v["grid"]);
  if (grid !== undefined && source.kind !== "samples") throw new UsageError("--grid draws the files of --samples; give --samples FILE.npy");
  return {
    source,
    judge: str(v["judge"]) ?? defaultJudge,
    outputs: { ...(json ? { json } : {}), ...(md ? { md } : {}), ...(grid ? { grid } : {}), figure: figureOutputs(v) },
  };
}

/** Cheap checks of every file named, before the seconds of judge and reference setup. */
function checkFiles(o: EvalOptions): void {
  for (const k of ["json", "md", "grid"] as const) if (o.outputs[k]) ensureWritableFile(o.outputs[k], `--${k}`);
  checkFigureOutputs(o.outputs.figure);
  if (o.source.kind === "from") return; // readRows names a missing or unreadable --from file
  ensureReadableFile(o.judge, "--judge", "judge (train one with flowlab train-judge)");
  if (o.source.kind === "generate") ensureReadableFile(o.source.ckpt, "--ckpt", "checkpoint");
  if (o.source.kind === "generate" && o.source.weak) ensureReadableFile(o.source.weak, "--weak", "checkpoint");
  const g = o.source.kind === "generate" ? parseGuidanceText(o.source.guidance) : null;
  if (g?.kind === "auto") ensureReadableFile(g.file, "--guidance auto", "checkpoint");
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

/** One generated run: its label, w, solver, steps and guidance. */
interface Run {
  label: string;
  w: number;
  solver: OdeSolverName;
  steps: number;
  guidance: string;
}

/**
 * The guidance study's runs: every method at every w (its strength). At w = 1 every method is the
 * conditional field, so that run is made once and shared by every method's curve.
 */
function guidanceStudyRuns(src: GenerateSource): Run[] {
  const d = GUIDANCE_DEFAULTS;
  const weak = src.weak ? path.relative(process.cwd(), src.weak) || src.weak : null; // labels stay short and portable
  const methods = ["cfg", `interval:${d.interval.lo}:${d.interval.hi}`, `rescale:${d.rescale.phi}`, `zero-star:${d.zeroStar.zeroUntil}`, ...(weak ? [`auto:${weak}`] : [])];
  return methods.flatMap((guidance) => src.w.filter((w) => w !== 1 || guidance === "cfg").map((w) => ({ label: `${guidance.split(":")[0]} w = ${w}`, w, solver: src.solver, steps: src.steps, guidance })));
}

function runsOf(src: GenerateSource): Run[] {
  if (src.study === "solvers") return studyRuns().map((r) => ({ ...r, guidance: "cfg" }));
  if (src.study === "guidance") return guidanceStudyRuns(src);
  const guidance = src.guidance ?? "cfg";
  return src.w.map((w) => ({ label: `w = ${w}`, w, solver: src.solver, steps: src.steps, guidance }));
}

function generateRows(src: GenerateSource, j: Judging, log: (s: string) => void): EvalRow[] {
  const state = readCheckpoint(src.ckpt);
  const net: UNet = samplingNet(state);
  if (net.config.fewStep) throw new UsageError(`--ckpt ${src.ckpt} is a few-step model: evaluate it with flowlab eval --study few-step --fewstep ${src.ckpt}`);
  const [, C, S] = modelImageShape(net.config, 1);
  if (C !== 1 || S !== 32 || net.config.numClasses !== 10) throw new UsageError(`--ckpt ${src.ckpt} draws ${C === 1 ? "grey" : "colour"} ${S}×${S} images in ${net.config.numClasses} classes; eval's judge reads grey 32×32 digits in 10 classes`);
  const classes = Array.from({ length: 10 }, (_, i) => i);
  const methods = new Map<string, GuidanceFlag>();
  try {
    const rows = runsOf(src).map(({ label, w, solver, steps, guidance }) => {
      if (!methods.has(guidance)) methods.set(guidance, parseGuidanceFlag(guidance, net.config.numClasses));
      const method = methods.get(guidance)!.method;
      const bar = progressBar(`${label} |{bar}| step {value}/{total}`);
      bar.start(steps, 0);
      const g = solveChecked({ w, source: src.ckpt }, () => generate(net, { classes, perClass: src.perClass, w, steps, solver, seed: src.seed, guidance: method, onStep: (s) => bar.tick(s.done) }));
      bar.stop();
      const images = g.images.toFloat32Array();
      g.images.dispose();
      checkSampleRange(images, { w, source: src.ckpt });
      const { report, views } = judgeSamples(j, images, g.labels);
      log(`${label}: accuracy ${pct(report.accuracy)}, FD ${report.fd.toFixed(2)}, diversity ${report.diversity.toFixed(2)}, ${g.nfe} NFE, ${g.seconds.toFixed(1)} s`);
      return { label, w, solver, steps, nfe: g.nfe, seconds: g.seconds, ...(guidance !== "cfg" ? { guidance } : {}), report, views };
    });
    return src.study === "guidance" ? withSharedW1(rows) : rows;
  } finally {
    for (const m of methods.values()) m.dispose();
    T.disposeAll(net.params);
    if (net !== state.net) T.disposeAll(state.net.params);
  }
}

/** The study's w = 1 row (plain CFG) copied onto every other method's curve. */
function withSharedW1(rows: EvalRow[]): EvalRow[] {
  const base = rows.find((r) => r.w === 1 && !r.guidance);
  if (!base) return rows;
  const others = [...new Set(rows.map((r) => r.guidance).filter((g): g is string => g !== undefined))];
  return [...rows, ...others.map((guidance) => ({ ...base, label: `${guidance.split(":")[0]} w = 1`, guidance }))];
}

/** Rows saved by --json, checked enough that the tables and chart can be drawn from them. */
export function readRows(file: string): EvalRow[] {
  const rows = readJsonFlag("from", file);
  const ok = (r: unknown): r is EvalRow => {
    const o = r as Partial<EvalRow> | null;
    const rep = o?.report;
    return typeof o?.label === "string" && !!rep && ["n", "accuracy", "confidence", "fd", "diversity"].every((k) => typeof (rep as unknown as Record<string, unknown>)[k] === "number") && Array.isArray(rep.perClass);
  };
  if (!Array.isArray(rows) || rows.length === 0 || !rows.every(ok)) throw new UsageError(`--from ${file}: expected the rows that flowlab eval --json writes (label, w, solver, steps, nfe, report)`);
  return rows;
}

/** The files of --samples (a comma-separated list). */
export function sampleFiles(src: SamplesSource): string[] {
  return src.samples.split(",").filter((f) => f.length > 0);
}

/** Runs the evaluation: reads saved rows, or reads or generates the samples and scores them. */
export function runEval(o: EvalOptions, log: (s: string) => void): EvalRow[] {
  const src = o.source;
  if (src.kind === "from") return readRows(src.from);
  const sets = src.kind === "samples" ? sampleFiles(src).map((file) => ({ file, set: readSamples(file, src.labels, src.range) })) : null;
  if (sets && src.kind === "samples" && src.range === "auto") for (const { file, set } of sets) log(`${file}: values read as ${set.range} (pass --range to override)`);
  if (src.kind === "generate") checkCheckpoint(src.ckpt); // a bad checkpoint fails before the judge's slow setup
  const j = judging(o.judge);
  if (sets) {
    return sets.map(({ file, set }) => {
      const { report, views } = judgeSamples(j, set.images, set.labels);
      return { label: file, w: null, solver: null, steps: null, nfe: null, seconds: null, report, views };
    });
  }
  return generateRows(src as GenerateSource, j, log);
}

/** The lab's certainty, as the guidance study's bar: judge accuracy of at least 99.5 %. */
export const CERTAINTY = 0.995;

/**
 * The guidance study's verdict: for each method, its lowest FD among runs at ≥ 99.5 % accuracy, best
 * first (methods that never reach it last).
 */
export function guidanceVerdict(rows: readonly EvalRow[]): { guidance: string; row: EvalRow | null }[] {
  const methods = [...new Set(rows.map((r) => r.guidance ?? "cfg"))];
  return methods
    .map((guidance) => {
      const ok = rows.filter((r) => (r.guidance ?? "cfg") === guidance && r.report.accuracy >= CERTAINTY);
      return { guidance, row: ok.sort((a, b) => a.report.fd - b.report.fd)[0] ?? null };
    })
    .sort((a, b) => (a.row?.report.fd ?? Infinity) - (b.row?.report.fd ?? Infinity));
}

function verdictMarkdown(rows: readonly EvalRow[]): string {
  const v = guidanceVerdict(rows);
  const lines = v.map(({ guidance, row }) => `| ${guidance} | ${row ? `${row.w}` : "—"} | ${row ? pct(row.report.accuracy) : "never ≥ 99.5 %"} | ${row ? row.report.fd.toFixed(2) : "—"} | ${row ? row.report.diversity.toFixed(2) : "—"} | ${row?.nfe ?? "—"} |`);
  const best = v[0]?.row ? `**${v[0].guidance}** reaches the lab's certainty (≥ 99.5 % judge accuracy) at the lowest FD (${v[0].row.report.fd.toFixed(2)}, at w = ${v[0].row.w}).` : "No method reached 99.5 % judge accuracy.";
  return `${best}\n\n| method | w | accuracy | FD | diversity | NFE |\n|---|---|---|---|---|---|\n${lines.join("\n")}`;
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

/** The page title of an eval run. */
function titleOf(o: EvalOptions, rows: readonly EvalRow[]): string {
  const src = o.source;
  if (src.kind === "samples") return `Judged samples: ${src.samples}`;
  const study = src.kind === "generate" ? src.study : rows.some((r) => r.guidance) ? "guidance" : rows.every((r) => r.label.includes("NFE")) ? "solvers" : null;
  return study === "solvers" ? "Solver study (w = 3)" : study === "guidance" ? "Guidance methods: certainty against fidelity" : "What guidance does";
}

/** Prints the tables and writes --md, --json and the chart (--png, --svg). */
export async function reportEval(o: EvalOptions, rows: readonly EvalRow[], argv: readonly string[], log: (s: string) => void): Promise<void> {
  const guidanceStudy = rows.some((r) => r.guidance) && new Set(rows.map((r) => r.guidance ?? "cfg")).size > 1;
  const verdict = guidanceStudy ? `${verdictMarkdown(rows)}\n\n` : "";
  const viewRows = rows.flatMap((r) => (r.views ? [{ label: r.label, views: r.views }] : []));
  const views = viewRows.length ? `\nEvery view, with 95 % intervals ([what each view sees](${path.join("reports", "calibration.md")})):\n\n${viewsMarkdown(viewRows)}\n` : "";
  const md = `${verdict}${markdown(rows)}\n\nPer class (accuracy % / FD):\n\n${perClassMarkdown(rows)}\n${views}`;
  log(md);
  const { md: mdFile, json, figure } = o.outputs;
  const chartFile = figure.svg ?? figure.png;
  if (mdFile) {
    const rel = (f: string) => path.relative(path.dirname(path.resolve(mdFile)), path.resolve(f));
    const chartLink = chartFile && rows.length > 1 ? `![chart](${rel(chartFile)})\n\n` : "";
    const from = o.source.kind === "from" ? o.source.from : null;
    const provenance = from
      ? `Rows: [${path.basename(from)}](${rel(from)}), ${Math.round((rows[0]?.report.n ?? 0) / 10)} digits per class and run (the sampling command is in package.json, \`reports:sample\`). Tables and chart drawn from them by \`flowlab eval ${argv.join(" ")}\`.`
      : `This run: \`flowlab eval ${argv.join(" ")}\`.`;
    const rerun = `Regenerate with \`npm run reports\` (samples again), or redraw this page and its chart from the saved rows with \`npm run reports:render\`. ${provenance}`;
    writeFileAtomic(mdFile, `# ${titleOf(o, rows)}\n\n${rerun}\n\n${chartLink}${md}\n${JUDGE_NOTE}\n`);
  }
  if (json) writeFileAtomic(json, JSON.stringify(rows, null, 2));
  if (chartFile) {
    const spec = guidanceStudy ? frontierChartSpec(rows) : evalChartSpec(rows);
    if (spec) log(`wrote ${(await writeFigure(await chartSvg(spec), figure)).join(" and ")}`);
    else log(`no chart: ${rows.length < 2 ? "one row" : "rows without w"} (charts need two or more runs)`);
  }
}

export async function evalCommand(argv: string[], log: (s: string) => void): Promise<number> {
  if (isFewStepStudy(argv)) return fewStepStudyCommand(argv, log);
  if (isTrainingStudy(argv)) return trainingStudyCommand(argv, log);
  const o = parseEvalFlags(argv);
  if (o === "help") {
    log(EVAL_HELP);
    return 0;
  }
  checkFiles(o);
  const rows = runEval(o, log);
  await reportEval(o, rows, argv, log);
  if (o.outputs.grid && o.source.kind === "samples") {
    const src = o.source;
    writeFileAtomic(o.outputs.grid, await samplesGrid(sampleFiles(src).map((file) => ({ title: path.basename(file, ".npy"), ...readSamples(file, src.labels, src.range) }))));
    log(`wrote ${o.outputs.grid}`);
  }
  return 0;
}
