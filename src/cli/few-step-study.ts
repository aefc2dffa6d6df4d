// flowlab eval --study few-step: few-step models at 1, 2, 4 evaluations against the teacher at 20 NFE
// (midpoint, 5 steps, CFG), 198 NFE (the lab's Euler 99) and 1, 2, 4 Euler steps, at w = 1, 3, 5: judge
// accuracy, FD, diversity, NFE and the wall time of 100 digits. Writes reports/few-step.{md,json,png}.
import { existsSync } from "node:fs";
import path from "node:path";
import * as T from "../tensor/index.js";
import { parse, num, numList, str, UsageError, refuseBesideFrom, asksForStudy, readJsonFlag, seedFlag } from "./args.js";
import { defaultJudge, defaultModel, fewStepModel, packageRoot } from "../io/package-files.js";
import { ensureWritableFile, ensureReadableFile } from "./writable.js";
import { readCheckpoint } from "./ckpt-io.js";
import { progressBar } from "./progress.js";
import { samplingNet } from "../train/checkpoint.js";
import { isDistillRecord } from "../train/distill.js";
import { generate, type GenerateOptions } from "../sample/generate.js";
import { checkSampleRange, clampUnit, solveChecked } from "../sample/range.js";
import { judge } from "../judge/judge.js";
import { score } from "../eval/metrics.js";
import { loadJudge, reference } from "../eval/reference.js";
import { writeFileAtomic } from "../io/atomic.js";
import { FIGURE_FLAGS, FIGURE_HELP, figureOutputs, checkFigureOutputs, writeFigure, type FigureOutputs } from "./figure-out.js";
import { chartSvg } from "../viz/charts.js";
import { fewStepChartSpec } from "../viz/few-step-chart.js";
import type { Report } from "../eval/metrics.js";
import type { UNet } from "../nn/unet.js";

/** The shipped few-step model, and the comparison model distilled by the other method (not in the npm package). */
export const FEW_STEP_MODELS = [fewStepModel, path.join(packageRoot, "models", "mnist-fewstep-shortcut.safetensors")];

/** The study's defaults: w = 1, 3, 5; 50 digits per class scored; 10 per class timed. */
export const FEW_STEP_STUDY = { w: [1, 3, 5], perClass: 50, timedPerClass: 10, seed: 0, fewSteps: [1, 2, 4], teacherEuler: [1, 2, 4] };

/** The targets at w = 3, relative to the teacher at 20 NFE. */
export const FEW_STEP_TARGETS = { w: 3, accuracy1: 0.99, fdRatio1: 1.5, fdRatio2: 1.2 };

export const FEW_STEP_STUDY_HELP = `flowlab eval --study few-step [flags]
  few-step models at 1, 2, 4 evaluations against the teacher (--ckpt) at 20 NFE (midpoint 5, CFG),
  198 NFE (Euler 99, CFG) and Euler 1, 2, 4 steps, at each --w (default ${FEW_STEP_STUDY.w.join(",")})
  --fewstep A,B          few-step checkpoints (default: models/mnist-fewstep.safetensors and, when present,
                         models/mnist-fewstep-shortcut.safetensors)
  --ckpt FILE --w LIST --per-class N (default ${FEW_STEP_STUDY.perClass}) --seed N --judge FILE
  --json FILE --md FILE  outputs   --from FILE.json  redraw from saved rows (no sampling)
${FIGURE_HELP}`;

const FLAGS = {
  study: { type: "string" }, fewstep: { type: "string" }, ckpt: { type: "string" }, w: { type: "string" }, "per-class": { type: "string" },
  seed: { type: "string" }, judge: { type: "string" }, json: { type: "string" }, md: { type: "string" }, from: { type: "string" },
  ...FIGURE_FLAGS, threads: { type: "string" },
} as const;

/** One run of the study (the fields of flowlab eval's rows), with its series and the 100-digit wall time. */
export interface FewStepRow {
  label: string;
  w: number;
  solver: string;
  steps: number;
  nfe: number;
  /** Wall time of the scored run, seconds. */
  seconds: number;
  report: Report;
  /** "few-step (trajectory)", "teacher Euler", "teacher reference". */
  series: string;
  /** Wall time of 100 digits (10 per class), seconds. */
  seconds100: number;
}

/** How a few-step model was made, from its checkpoint's record. */
export interface FewStepModelInfo {
  file: string;
  method: string;
  steps: number;
  batch: number;
  seconds: number;
  command: string;
  teacherSteps: number;
}

/** What --json writes and --from reads. */
export interface FewStepStudyFile {
  study: "few-step";
  perClass: number;
  models: FewStepModelInfo[];
  rows: FewStepRow[];
}

interface Options {
  fewstep: string[];
  ckpt: string;
  w: number[];
  perClass: number;
  seed: number;
  judge: string;
  from?: string;
  json?: string;
  md?: string;
  figure: FigureOutputs;
}

/** Whether argv asks for this study (flowlab eval routes it here). */
export function isFewStepStudy(argv: readonly string[]): boolean {
  return asksForStudy(argv, "few-step");
}

function parseFlags(argv: string[]): Options | "help" {
  const v = parse("eval", argv, FLAGS);
  if (v["help"]) return "help";
  const from = str(v["from"]);
  if (from !== undefined) {
    refuseBesideFrom(v, ["fewstep", "ckpt", "w", "per-class", "seed", "judge"]);
  }
  const given = str(v["fewstep"])?.split(",").map((s) => s.trim());
  if (given?.some((s) => !s)) throw new UsageError(`--fewstep must be a comma-separated list of checkpoints, got "${String(v["fewstep"])}"`);
  const fewstep = given ?? FEW_STEP_MODELS.filter((f, i) => i === 0 || existsSync(f));
  const json = str(v["json"]), md = str(v["md"]);
  return {
    fewstep,
    ckpt: str(v["ckpt"]) ?? defaultModel,
    w: numList("w", v["w"], { min: -100, max: 100 }) ?? FEW_STEP_STUDY.w,
    perClass: num("per-class", v["per-class"], { int: true, min: 2, max: 2000 }) ?? FEW_STEP_STUDY.perClass,
    seed: seedFlag(v["seed"]) ?? FEW_STEP_STUDY.seed,
    judge: str(v["judge"]) ?? defaultJudge,
    ...(from !== undefined ? { from } : {}),
    ...(json ? { json } : {}),
    ...(md ? { md } : {}),
    figure: figureOutputs(v),
  };
}

const rel = (f: string) => path.relative(process.cwd(), f) || f;

function modelInfo(file: string, net: UNet, record: ReturnType<typeof readCheckpoint>["record"]): FewStepModelInfo {
  if (!net.config.fewStep) throw new UsageError(`--fewstep ${file} is not a few-step model (train one with flowlab distill)`);
  const d = isDistillRecord(record) ? record : null;
  return { file: rel(file), method: d?.config.method ?? "unknown", steps: record?.step ?? 0, batch: d?.config.batch ?? 0, seconds: record?.seconds ?? 0, command: record?.notes?.["command"] ?? "—", teacherSteps: d?.config.teacherSteps ?? 0 };
}

function pct(v: number): string {
  return (v * 100).toFixed(1) + " %";
}

/** Samples, scores and times every run. */
function runStudy(o: Options, log: (s: string) => void): FewStepStudyFile {
  const jnet = loadJudge(o.judge);
  const ref = reference(jnet);
  const classes = Array.from({ length: 10 }, (_, i) => i);
  const rows: FewStepRow[] = [];
  const models: FewStepModelInfo[] = [];
  const run = (net: UNet, source: string, series: string, label: string, w: number, gen: Omit<GenerateOptions, "classes" | "perClass" | "w" | "seed">) => {
    const bar = progressBar(`${label}, w = ${w} |{bar}| step {value}/{total}`);
    bar.start(gen.steps ?? 1, 0);
    const g = solveChecked({ w, source }, () => generate(net, { ...gen, classes, perClass: o.perClass, w, seed: o.seed, onStep: (s) => bar.tick(s.done) }));
    bar.stop();
    const images = g.images.toFloat32Array();
    g.images.dispose();
    checkSampleRange(images, { w, source });
    const report = score(judge(jnet, clampUnit(images)), g.labels, clampUnit(images), ref, 10); // judged as pictures show them
    const timed = generate(net, { ...gen, classes, perClass: FEW_STEP_STUDY.timedPerClass, w, seed: o.seed + 1 });
    timed.images.dispose();
    const row: FewStepRow = { label, series, w, solver: gen.solver ?? "few-step", steps: gen.steps!, nfe: g.nfe, seconds: g.seconds, seconds100: timed.seconds, report };
    log(`${label}, w = ${w}: accuracy ${pct(report.accuracy)}, FD ${report.fd.toFixed(2)}, diversity ${report.diversity.toFixed(2)}, ${g.nfe} NFE, 100 digits in ${timed.seconds.toFixed(2)} s`);
    rows.push(row);
  };
  for (const file of o.fewstep) {
    const state = readCheckpoint(file);
    const net = samplingNet(state);
    try {
      const info = modelInfo(file, net, state.record);
      models.push(info);
      const f = net.config.fewStep!;
      const bad = o.w.find((w) => w < f.wMin || w > f.wMax);
      if (bad !== undefined) throw new UsageError(`--w ${bad} is outside ${file}'s trained range [${f.wMin}, ${f.wMax}]`);
      for (const w of o.w) for (const steps of FEW_STEP_STUDY.fewSteps.filter((s) => f.steps.includes(s))) run(net, file, `few-step (${info.method})`, `few-step ${info.method}, ${steps} step${steps > 1 ? "s" : ""}`, w, { steps });
    } finally {
      T.disposeAll(net.params);
      if (net !== state.net) T.disposeAll(state.net.params);
    }
  }
  const state = readCheckpoint(o.ckpt);
  const teacher = samplingNet(state);
  try {
    if (teacher.config.fewStep) throw new UsageError(`--ckpt ${o.ckpt} is a few-step model; the study's teacher is a CFG model`);
    for (const w of o.w) {
      run(teacher, o.ckpt, "teacher reference", "teacher midpoint 5 steps (default)", w, { steps: 5, solver: "midpoint" });
      run(teacher, o.ckpt, "teacher reference", "teacher Euler 99 steps (the lab's)", w, { steps: 99, solver: "euler" });
      for (const steps of FEW_STEP_STUDY.teacherEuler) run(teacher, o.ckpt, "teacher Euler", `teacher Euler ${steps} step${steps > 1 ? "s" : ""}`, w, { steps, solver: "euler" });
    }
  } finally {
    T.disposeAll(teacher.params);
    if (teacher !== state.net) T.disposeAll(state.net.params);
  }
  return { study: "few-step", perClass: o.perClass, models, rows };
}

/** The teacher's 20-NFE row at w (the reference the targets are relative to). */
function teacher20(rows: readonly FewStepRow[], w: number): FewStepRow | undefined {
  return rows.find((r) => r.series === "teacher reference" && r.solver === "midpoint" && r.w === w);
}

/** The targets at w = 3, for each few-step model: met or how far. */
export function targetsMarkdown(s: FewStepStudyFile): string {
  const T3 = FEW_STEP_TARGETS;
  const ref = teacher20(s.rows, T3.w);
  if (!ref) return `No teacher row at w = ${T3.w}: the targets cannot be checked.`;
  const lines = s.models.map((m) => {
    const at = (steps: number) => s.rows.find((r) => r.series === `few-step (${m.method})` && r.steps === steps && r.w === T3.w);
    const one = at(1), two = at(2);
    const cell = (ok: boolean, text: string) => `${ok ? "✓" : "✗"} ${text}`;
    const acc = one ? cell(one.report.accuracy >= T3.accuracy1, pct(one.report.accuracy)) : "—";
    const r1 = one ? one.report.fd / ref.report.fd : NaN, r2 = two ? two.report.fd / ref.report.fd : NaN;
    const fd1 = one ? cell(r1 <= T3.fdRatio1, `${one.report.fd.toFixed(2)} = ${r1.toFixed(2)}×`) : "—";
    const fd2 = two ? cell(r2 <= T3.fdRatio2, `${two.report.fd.toFixed(2)} = ${r2.toFixed(2)}×`) : "—";
    return `| ${m.method} (${m.file}) | ${acc} | ${fd1} | ${fd2} |`;
  });
  return [
    `Targets at w = ${T3.w}, against the teacher at 20 NFE (FD ${ref.report.fd.toFixed(2)}, accuracy ${pct(ref.report.accuracy)}):`,
    "",
    `| few-step model | 1 evaluation: accuracy ≥ ${T3.accuracy1 * 100} % | 1 evaluation: FD ≤ ${T3.fdRatio1}× | 2 evaluations: FD ≤ ${T3.fdRatio2}× |`,
    "|---|---|---|---|",
    ...lines,
    "",
    "Judge accuracy and FD only, on samples clamped to [−1, 1] as pictures show them. Every view (the texture FD that sees grain, the background level, recall, diversity, with intervals) at w = 3: [few-step-views.md](few-step-views.md).",
  ].join("\n");
}

function modelsMarkdown(s: FewStepStudyFile): string {
  const head = "| model | method | distillation steps | batch | teacher solve | wall time | command |\n|---|---|---|---|---|---|---|";
  const what = (m: FewStepModelInfo) => (m.method === "trajectory" ? `${m.batch} teacher solves × 5 rows` : `${m.batch} rows`);
  const solve = (m: FewStepModelInfo) => (m.method === "trajectory" ? `midpoint ${m.teacherSteps} steps (${4 * m.teacherSteps} NFE)` : "one CFG velocity (2 NFE) per d = 0 row");
  return [head, ...s.models.map((m) => `| ${m.file} | ${m.method} | ${m.steps} | ${what(m)} | ${solve(m)} | ${(m.seconds / 60).toFixed(0)} min | \`${m.command}\` |`)].join("\n");
}

function tableMarkdown(s: FewStepStudyFile, w: number): string {
  const ref = teacher20(s.rows, w);
  const head = "| sampler | steps | NFE | accuracy | FD | FD ÷ teacher at 20 NFE | diversity | 100 digits (s) |\n|---|---|---|---|---|---|---|---|";
  const body = s.rows.filter((r) => r.w === w).map((r) => {
    const ratio = ref ? (r.report.fd / ref.report.fd).toFixed(2) + "×" : "—";
    return `| ${r.label} | ${r.steps} | ${r.nfe} | ${pct(r.report.accuracy)} | ${r.report.fd.toFixed(2)} | ${ratio} | ${r.report.diversity.toFixed(2)} | ${r.seconds100.toFixed(2)} |`;
  });
  return [`### w = ${w}`, "", head, ...body].join("\n");
}

const METHOD_NOTE =
  "How guidance enters training: the student is the teacher's U-Net with two extra embeddings added to its time embedding, " +
  "one of w (scaled to [0, 1] over the trained range) and one of the step size d; both start at zero, so the student starts as the " +
  "teacher's conditional field. Each training row draws w uniformly from the trained range, and the target is made with the teacher's " +
  "CFG field at that w, (1 − w)·u(x, t, ∅) + w·u(x, t, y): the trajectory method regresses chords (x_{t+d} − x_t)/d of the teacher's " +
  "guided ODE solved from noise (midpoint rule), for d = 1, 1/2, 1/4; the shortcut method regresses the guided velocity at d = 0 on the " +
  "data path and, at d > 0, the average of two half steps of the student itself. The student then needs one pass per step at any w " +
  "(no unconditional pass). w outside the trained range is refused, not clamped.";

const JUDGE_NOTE =
  "Accuracy: the judge's argmax equals the class asked for. FD: Fréchet distance between judge features (128-d) of the samples and of " +
  "the 10 000 MNIST test digits. Diversity: mean pairwise L2 distance within a class divided by the same on real test digits. NFE: network " +
  "passes over the batch (a CFG evaluation is two; a few-step step is one). Wall time: 100 digits (10 per class), one batch, on the machine " +
  "that ran the study, sharing its 2 cores with other work (compare within the table, not across machines).";

/** The report page. */
export function fewStepMarkdown(s: FewStepStudyFile, provenance: string, chartLink: string | null = null): string {
  const ws = [...new Set(s.rows.map((r) => r.w))].sort((a, b) => a - b);
  return [
    "# Few-step generation: digits in 1, 2 and 4 network evaluations",
    "",
    provenance,
    "",
    targetsMarkdown(s),
    "",
    ...(chartLink ? [`![FD against network evaluations](${chartLink})`, ""] : []),
    `${s.perClass} digits per class and run (${s.perClass * 10} per row), seed ${FEW_STEP_STUDY.seed}, judged by models/judge.safetensors.`,
    "",
    ...ws.flatMap((w) => [tableMarkdown(s, w), ""]),
    "## The models",
    "",
    modelsMarkdown(s),
    "",
    "Each command is the run's first; a run continued with `--resume` (and a changed `--steps`) keeps it. The model cards in models/README.md give every resume.",
    "",
    METHOD_NOTE,
    "",
    JUDGE_NOTE,
    "",
  ].join("\n");
}

function readStudy(file: string): FewStepStudyFile {
  const s = readJsonFlag("from", file) as Partial<FewStepStudyFile>;
  if (s.study !== "few-step" || !Array.isArray(s.rows) || !Array.isArray(s.models) || typeof s.perClass !== "number") throw new UsageError(`--from ${file}: expected what flowlab eval --study few-step --json writes`);
  return s as FewStepStudyFile;
}

export async function fewStepStudyCommand(argv: string[], log: (s: string) => void): Promise<number> {
  const o = parseFlags(argv);
  if (o === "help") {
    log(FEW_STEP_STUDY_HELP);
    return 0;
  }
  for (const k of ["json", "md"] as const) if (o[k]) ensureWritableFile(o[k], `--${k}`);
  checkFigureOutputs(o.figure);
  if (!o.from) {
    ensureReadableFile(o.judge, "--judge", "judge (train one with flowlab train-judge)");
    ensureReadableFile(o.ckpt, "--ckpt", "checkpoint");
    for (const f of o.fewstep) ensureReadableFile(f, "--fewstep", "few-step checkpoint (make one with flowlab distill)");
  }
  const study = o.from ? readStudy(o.from) : runStudy(o, log);
  const provenance = o.from
    ? `Rows: [${path.basename(o.from)}](${path.basename(o.from)}); page and chart drawn from them by \`flowlab eval ${argv.join(" ")}\`. Sample again with \`npm run reports:few-step\`.`
    : `Made by \`flowlab eval ${argv.join(" ")}\` (\`npm run reports:few-step\`).`;
  const chart = o.figure.png ?? o.figure.svg;
  const chartLink = chart && o.md ? path.relative(path.dirname(path.resolve(o.md)), path.resolve(chart)) : null;
  const md = fewStepMarkdown(study, provenance, chartLink);
  log(md);
  if (o.md) writeFileAtomic(o.md, md);
  if (o.json) writeFileAtomic(o.json, JSON.stringify(study, null, 2));
  const spec = fewStepChartSpec(study.rows.map((r) => ({ series: r.series, w: r.w, nfe: r.nfe, fd: r.report.fd })), study.perClass);
  if (spec && (o.figure.png || o.figure.svg)) log(`wrote ${(await writeFigure(await chartSvg(spec), o.figure)).join(" and ")}`);
  return 0;
}
