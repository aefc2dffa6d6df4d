// flowlab eval --study training: the time-to-quality curve of a training run. Judges every snapshot the
// run kept (flowlab train --keep-every N) and its last checkpoint at each w, beside the loss in its log.
import { readdirSync, existsSync, statSync } from "node:fs";
import path from "node:path";
import * as T from "../tensor/index.js";
import { parse, num, numList, str, UsageError, refuseBesideFrom, asksForStudy, readJsonFlag, seedFlag } from "./args.js";
import { defaultJudge } from "../io/package-files.js";
import { ensureWritableFile, ensureReadableFile } from "./writable.js";
import { readCheckpoint } from "./ckpt-io.js";
import { readCheckpointBytes } from "../train/checkpoint-file.js";
import { readInputFile } from "../io/read-input.js";
import { progressBar } from "./progress.js";
import { samplingNet } from "../train/checkpoint.js";
import { isDistillRecord } from "../train/distill.js";
import { generate } from "../sample/generate.js";
import { checkSampleRange, clampUnit, solveChecked } from "../sample/range.js";
import { isOdeSolverName, type OdeSolverName } from "../solvers/steppers.js";
import { judge } from "../judge/judge.js";
import { score, type Report } from "../eval/metrics.js";
import { loadJudge, reference } from "../eval/reference.js";
import { writeFileAtomic } from "../io/atomic.js";
import { parseSafetensors } from "../io/safetensors.js";
import { FIGURE_FLAGS, FIGURE_HELP, figureOutputs, checkFigureOutputs, writeFigure, type FigureOutputs } from "./figure-out.js";
import { guidanceHelp, parseGuidanceFlag, parseGuidanceText } from "./guidance-flag.js";
import { chartSvg } from "../viz/charts.js";
import { trainingChartSpec, type LossPoint } from "../viz/training-chart.js";

/** The study's defaults: w = 1 and the lab's 3, 50 digits per class, Heun 12 steps (as the model card). */
export const TRAINING_STUDY = { w: [1, 3], perClass: 50, solver: "heun" as OdeSolverName, steps: 12, seed: 0, lossPoints: 300 };

export const TRAINING_STUDY_HELP = `flowlab eval --study training --run DIR [flags]
  the time-to-quality curve of a training run: judges every snapshot it kept (flowlab train --keep-every N
  writes DIR/snapshots/step-N.safetensors) and its last checkpoint, at each --w, against minutes of
  training, beside the smoothed loss in DIR/log.jsonl
  --run DIR              the run folder (flowlab train --out)
  --w LIST (default ${TRAINING_STUDY.w.join(",")})   --per-class N (default ${TRAINING_STUDY.perClass})   --seed N
  --solver S --steps N   (default ${TRAINING_STUDY.solver} ${TRAINING_STUDY.steps}, as the model card)
${guidanceHelp("cfg")}
  --judge FILE           classifier (default models/judge.safetensors)
  --json FILE --md FILE  outputs   --from FILE.json  redraw from saved rows (no sampling)
${FIGURE_HELP}`;

const FLAGS = {
  study: { type: "string" }, run: { type: "string" }, w: { type: "string" }, "per-class": { type: "string" }, solver: { type: "string" },
  steps: { type: "string" }, seed: { type: "string" }, guidance: { type: "string" }, judge: { type: "string" }, json: { type: "string" },
  md: { type: "string" }, from: { type: "string" }, ...FIGURE_FLAGS, threads: { type: "string" },
} as const;

/** One snapshot judged at one w. */
export interface TrainingRow {
  file: string;
  step: number;
  /** Training samples seen (step × batch). */
  samples: number;
  /** Wall time of training up to this step, seconds. */
  seconds: number;
  w: number;
  report: Report;
}

/** What --json writes and --from reads. */
export interface TrainingStudyFile {
  study: "training";
  run: string;
  /** The run's first command, and how many times it was resumed (up to its last judged checkpoint). */
  command: string;
  resumed?: number;
  perClass: number;
  solver: string;
  steps: number;
  guidance: string;
  rows: TrainingRow[];
  loss: LossPoint[];
}

interface Options {
  run?: string;
  w: number[];
  perClass: number;
  solver: OdeSolverName;
  steps: number;
  seed: number;
  guidance: string;
  judge: string;
  from?: string;
  json?: string;
  md?: string;
  figure: FigureOutputs;
}

/** Whether argv asks for this study (flowlab eval routes it here). */
export function isTrainingStudy(argv: readonly string[]): boolean {
  return asksForStudy(argv, "training");
}

function parseFlags(argv: string[]): Options | "help" {
  const v = parse("eval", argv, FLAGS);
  if (v["help"]) return "help";
  const from = str(v["from"]), run = str(v["run"]);
  if (from !== undefined) {
    refuseBesideFrom(v, ["run", "w", "per-class", "solver", "steps", "seed", "guidance", "judge"]);
  } else if (run === undefined) throw new UsageError("--study training needs --run DIR (a flowlab train run folder) or --from FILE.json");
  const solver = str(v["solver"]) ?? TRAINING_STUDY.solver;
  if (!isOdeSolverName(solver)) throw new UsageError(`--solver must be euler, midpoint, heun or rk4, got "${solver}"`);
  const guidance = str(v["guidance"]) ?? "cfg";
  parseGuidanceText(guidance);
  const json = str(v["json"]), md = str(v["md"]);
  return {
    ...(run !== undefined ? { run } : {}),
    w: numList("w", v["w"], { min: -100, max: 100 }) ?? TRAINING_STUDY.w,
    perClass: num("per-class", v["per-class"], { int: true, min: 2, max: 2000 }) ?? TRAINING_STUDY.perClass,
    solver,
    steps: num("steps", v["steps"], { int: true, min: 1, max: 10000 }) ?? TRAINING_STUDY.steps,
    seed: seedFlag(v["seed"]) ?? TRAINING_STUDY.seed,
    guidance,
    judge: str(v["judge"]) ?? defaultJudge,
    ...(from !== undefined ? { from } : {}),
    ...(json ? { json } : {}),
    ...(md ? { md } : {}),
    figure: figureOutputs(v),
  };
}

/** The checkpoints of a run to judge: its snapshots and, if it is further on, its last checkpoint. */
export function runCheckpoints(run: string): string[] {
  if (!existsSync(run) || !statSync(run).isDirectory()) throw new UsageError(`--run ${run} is not a folder (give the --out of a flowlab train run)`);
  const snapDir = path.join(run, "snapshots");
  const snaps = existsSync(snapDir) ? readdirSync(snapDir).filter((f) => f.endsWith(".safetensors")).map((f) => path.join(snapDir, f)) : [];
  const last = path.join(run, "checkpoint.safetensors");
  const files = [...snaps, ...(existsSync(last) ? [last] : [])];
  if (files.length === 0) throw new UsageError(`--run ${run} has no checkpoint.safetensors and no snapshots/ (train with --keep-every N to keep snapshots)`);
  return files;
}

/** The log's smoothed loss against training seconds, thinned to at most `n` points. */
export function lossCurve(logFile: string, n: number): LossPoint[] {
  if (!existsSync(logFile)) return [];
  const points: LossPoint[] = [];
  for (const line of new TextDecoder().decode(readInputFile(logFile, { what: "log" })).split("\n")) {
    if (!line) continue;
    try {
      const o = JSON.parse(line) as { smoothed?: unknown; seconds?: unknown };
      if (typeof o.smoothed === "number" && typeof o.seconds === "number" && Number.isFinite(o.smoothed)) points.push({ seconds: o.seconds, loss: o.smoothed });
    } catch {
      // a torn last line of a killed run: skipped
    }
  }
  const stride = Math.max(1, Math.ceil(points.length / n));
  return points.filter((_, i) => i % stride === 0 || i === points.length - 1);
}

/** A checkpoint's step from its metadata alone (no weights loaded); unreadable files sort last and fail when read. */
function recordedStep(file: string): number {
  try {
    const meta = parseSafetensors(readCheckpointBytes(file), file).metadata["flowlab"];
    const step = meta ? (JSON.parse(meta) as { step?: unknown }).step : undefined;
    return typeof step === "number" ? step : Infinity;
  } catch {
    return Infinity;
  }
}

const pct = (v: number) => (v * 100).toFixed(1) + " %";
const rel = (f: string) => path.relative(process.cwd(), f) || f;

/** Judges every checkpoint of the run at every w, in order of step (a step kept twice is judged once). */
function runStudy(o: Options & { run: string }, log: (s: string) => void): TrainingStudyFile {
  const jnet = loadJudge(o.judge);
  const ref = reference(jnet);
  const classes = Array.from({ length: 10 }, (_, i) => i);
  const seen = new Set<number>();
  const rows: TrainingRow[] = [];
  let command = "—", resumed = 0;
  const files = runCheckpoints(o.run)
    .map((file) => ({ file, step: recordedStep(file) }))
    .sort((a, b) => a.step - b.step);
  for (const { file } of files) {
    const state = readCheckpoint(file);
    const rec = state.record;
    const net = samplingNet(state);
    try {
      if (!rec) throw new UsageError(`${file} has no training record (step, time): it is not from flowlab train`);
      if (isDistillRecord(rec) || net.config.fewStep) throw new UsageError(`${file} is a few-step model; --study training judges flowlab train runs`);
      if (seen.has(rec.step)) continue;
      seen.add(rec.step);
      command = rec.notes?.["command"] ?? command;
      resumed = Number(rec.notes?.["resumed"] ?? resumed);
      const method = parseGuidanceFlag(o.guidance, net.config.numClasses);
      try {
        for (const w of o.w) {
          const label = `step ${rec.step}, w = ${w}`;
          const bar = progressBar(`${label} |{bar}| step {value}/{total}`);
          bar.start(o.steps, 0);
          const g = solveChecked({ w, source: file }, () => generate(net, { classes, perClass: o.perClass, w, steps: o.steps, solver: o.solver, seed: o.seed, guidance: method.method, onStep: (s) => bar.tick(s.done) }));
          bar.stop();
          const images = g.images.toFloat32Array();
          g.images.dispose();
          checkSampleRange(images, { w, source: file });
          const report = score(judge(jnet, clampUnit(images)), g.labels, clampUnit(images), ref, 10); // judged as pictures show them
          log(`${label} (${(rec.seconds / 60).toFixed(1)} min): accuracy ${pct(report.accuracy)}, FD ${report.fd.toFixed(2)}, diversity ${report.diversity.toFixed(2)}`);
          rows.push({ file: rel(file), step: rec.step, samples: rec.step * rec.config.batch, seconds: rec.seconds, w, report });
        }
      } finally {
        method.dispose();
      }
    } finally {
      T.disposeAll(net.params);
      if (net !== state.net) T.disposeAll(state.net.params);
    }
  }
  return { study: "training", run: rel(o.run), command, resumed, perClass: o.perClass, solver: o.solver, steps: o.steps, guidance: o.guidance, rows, loss: lossCurve(path.join(o.run, "log.jsonl"), TRAINING_STUDY.lossPoints) };
}

/** The table: a row per snapshot, accuracy / FD / diversity per w. */
export function trainingMarkdown(s: TrainingStudyFile): string {
  const ws = [...new Set(s.rows.map((r) => r.w))].sort((a, b) => a - b);
  const steps = [...new Set(s.rows.map((r) => r.step))].sort((a, b) => a - b);
  const head = `| step | samples | minutes | ${ws.map((w) => `w = ${w}: accuracy / FD / diversity`).join(" | ")} |\n|---|---|---|${"---|".repeat(ws.length)}`;
  const body = steps.map((step) => {
    const at = s.rows.filter((r) => r.step === step);
    const first = at[0]!;
    const cells = ws.map((w) => {
      const r = at.find((x) => x.w === w);
      return r ? `${pct(r.report.accuracy)} / ${r.report.fd.toFixed(1)} / ${r.report.diversity.toFixed(2)}` : "—";
    });
    return `| ${step} | ${first.samples.toLocaleString("en-US")} | ${(first.seconds / 60).toFixed(1)} | ${cells.join(" | ")} |`;
  });
  return [head, ...body].join("\n");
}

function readStudy(file: string): TrainingStudyFile {
  const s = readJsonFlag("from", file) as Partial<TrainingStudyFile>;
  if (s.study !== "training" || !Array.isArray(s.rows) || !Array.isArray(s.loss) || typeof s.perClass !== "number") throw new UsageError(`--from ${file}: expected what flowlab eval --study training --json writes`);
  return s as TrainingStudyFile;
}

export async function trainingStudyCommand(argv: string[], log: (s: string) => void): Promise<number> {
  const o = parseFlags(argv);
  if (o === "help") {
    log(TRAINING_STUDY_HELP);
    return 0;
  }
  for (const k of ["json", "md"] as const) if (o[k]) ensureWritableFile(o[k], `--${k}`);
  checkFigureOutputs(o.figure);
  if (!o.from) {
    ensureReadableFile(o.judge, "--judge", "judge (train one with flowlab train-judge)");
    runCheckpoints(o.run!);
  }
  const study = o.from ? readStudy(o.from) : runStudy({ ...o, run: o.run! }, log);
  const how = `${study.perClass} digits per class at each w, ${study.solver} ${study.steps} steps, guidance ${study.guidance}, judged by models/judge.safetensors`;
  const chart = o.figure.png ?? o.figure.svg;
  const chartLink = chart && o.md ? path.relative(path.dirname(path.resolve(o.md)), path.resolve(chart)) : null;
  const md = [
    `# Time to quality: ${study.run}`,
    "",
    `Training command: \`${study.command}\`${study.resumed ? ` (its first; the run was resumed ${study.resumed} time${study.resumed > 1 ? "s" : ""}, and --steps may have changed)` : ""}. Each kept snapshot (EMA weights) judged: ${how}. Made by \`flowlab eval ${argv.join(" ")}\`.`,
    "",
    ...(chartLink ? [`![time to quality](${chartLink})`, ""] : []),
    trainingMarkdown(study),
    "",
  ].join("\n");
  log(md);
  if (o.md) writeFileAtomic(o.md, md);
  if (o.json) writeFileAtomic(o.json, JSON.stringify(study, null, 2));
  const spec = trainingChartSpec(study.rows.map((r) => ({ seconds: r.seconds, w: r.w, accuracy: r.report.accuracy, fd: r.report.fd, diversity: r.report.diversity })), study.loss, `Time to quality: ${study.run}`, how);
  if (o.figure.png || o.figure.svg) {
    if (spec) log(`wrote ${(await writeFigure(await chartSvg(spec), o.figure)).join(" and ")}`);
    else log("no chart: fewer than two checkpoints were judged (train with --keep-every N)");
  }
  return 0;
}
