// flowlab eval: what guidance does. For each w: judge accuracy (overall and per class), confidence,
// Fréchet distance on judge features vs the judge's real images, diversity, every view, NFE and wall
// time. Also judges external samples and routes the studies; the runs, verdicts and pages live in src/studies/.
import path from "node:path";
import { UsageError, readJsonFlag } from "./args.js";
import { ensureWritableFile, ensureReadableFile } from "./writable.js";
import { readCheckpoint } from "./ckpt-io.js";
import * as T from "../tensor/index.js";
import { classifierImage } from "../nn/classifier.js";
import { judgeMismatchOf } from "../eval/judge-fit.js";
import { DEFAULT_GUIDANCE } from "../sample/generate.js";
import { judgeSamples, type Judging } from "../eval/judging.js";
import { judging, loadJudgeWithData } from "../eval/real-images.js";
import { samplesGrid } from "../viz/samples-grid.js";
import { readSamples } from "../eval/samples.js";
import { writeFileAtomic } from "../io/atomic.js";
import { checkFigureOutputs, writeFigure } from "./figure-out.js";
import { parseGuidanceFlag, parseGuidanceText, type GuidanceFlag } from "./guidance-flag.js";
import { chartSvg } from "../viz/charts.js";
import { evalChartSpec, frontierChartSpec } from "../viz/report-charts.js";
import { evalRows, isEvalRow, sweepRuns, type EvalRow, type EvalRun } from "../studies/eval-rows.js";
import { guidanceStudyRuns, isGuidanceStudy, withSharedW1 } from "../studies/guidance.js";
import { solverStudyRuns } from "../studies/solvers.js";
import { evalTables, evalTitle, studyOfRows, judgeNote, realImagesText } from "../studies/eval-markdown.js";
import { cliHooks } from "./study-hooks.js";
import { writeNearest, type KeptSamples } from "./eval-nearest.js";
import { parseEvalFlags, sampleFiles, EVAL_HELP, type EvalOptions, type GenerateSource } from "./eval-flags.js";
import { isFewStepStudy, fewStepStudyCommand } from "./few-step-study.js";
import { isTrainingStudy, trainingStudyCommand } from "./training-study.js";

export { parseEvalFlags, sampleFiles, EVAL_HELP, EVAL_DEFAULTS, type EvalOptions } from "./eval-flags.js";

/** Cheap checks of every file named, before the seconds of judge and real-image setup. */
function checkFiles(o: EvalOptions): void {
  for (const k of ["json", "md", "grid", "nearest"] as const) if (o.outputs[k]) ensureWritableFile(o.outputs[k], `--${k}`);
  checkFigureOutputs(o.outputs.figure);
  if (o.source.kind === "from") return; // readRows names a missing or unreadable --from file
  ensureReadableFile(o.judge, "--judge", "judge (train one with flowlab train-judge)");
  if (o.source.kind === "generate") ensureReadableFile(o.source.ckpt, "--ckpt", "checkpoint");
  if (o.source.kind === "generate" && o.source.weak) ensureReadableFile(o.source.weak, "--weak", "checkpoint");
  const g = o.source.kind === "generate" ? parseGuidanceText(o.source.guidance) : null;
  if (g?.kind === "auto") ensureReadableFile(g.file, "--guidance auto", "checkpoint");
}

function runsOf(src: GenerateSource): EvalRun[] {
  if (src.study === "solvers") return solverStudyRuns();
  const weak = src.weak ? path.relative(process.cwd(), src.weak) || src.weak : null; // labels stay short and portable
  if (src.study === "guidance") return guidanceStudyRuns(src.w, src.solver, src.steps, weak);
  return sweepRuns(src.w, src.solver, src.steps, src.guidance ?? DEFAULT_GUIDANCE);
}

/** Sees each run's samples and the judging that scored them (the first is kept for --nearest). */
type OnSamples = (s: KeptSamples, j: Judging) => void;

function generateRows(src: GenerateSource, j: Judging, log: (s: string) => void, onSamples: OnSamples): EvalRow[] {
  const methods = new Map<string, GuidanceFlag>();
  const methodOf = (guidance: string, numClasses: number) => {
    if (!methods.has(guidance)) methods.set(guidance, parseGuidanceFlag(guidance, numClasses));
    return methods.get(guidance)!.method;
  };
  try {
    const hooks = { ...cliHooks(log), onSamples: (label: string, images: Float32Array, labels: Int32Array) => onSamples({ label, images, labels }, j) };
    const rows = evalRows(runsOf(src), src, methodOf, j, hooks);
    return src.study === "guidance" ? withSharedW1(rows) : rows;
  } finally {
    for (const m of methods.values()) m.dispose();
  }
}

/** Rows saved by --json, checked enough that the tables and chart can be drawn from them. */
export function readRows(file: string): EvalRow[] {
  const rows = readJsonFlag("from", file);
  if (!Array.isArray(rows) || rows.length === 0 || !rows.every(isEvalRow)) throw new UsageError(`--from ${file}: expected the rows that flowlab eval --json writes (label, w, solver, steps, nfe, report)`);
  return rows;
}

/** Runs the evaluation: reads saved rows, or reads or generates the samples and scores them. */
export function runEval(o: EvalOptions, log: (s: string) => void, onSamples: OnSamples = () => {}): EvalRow[] {
  const src = o.source;
  if (src.kind === "from") return readRows(src.from);
  // a bad checkpoint fails first, then a bad judge, then a checkpoint this judge cannot read: all before the slow setup
  const ckpt = src.kind === "generate" ? readCheckpoint(src.ckpt) : null;
  if (ckpt) T.disposeAll([ckpt.net.params, ckpt.ema, ckpt.adam]);
  const jf = loadJudgeWithData(o.judge);
  const misfit = ckpt && judgeMismatchOf(jf, ckpt.net.config);
  if (misfit) throw new UsageError(`--ckpt ${(src as GenerateSource).ckpt} ${misfit}`);
  // samples are read (and bad files refused) before the judge's slow setup too
  const kind = { ...classifierImage(jf.net.config), numClasses: jf.net.config.numClasses };
  const sets = src.kind === "samples" ? sampleFiles(src).map((file) => ({ file, set: readSamples(file, src.labels, src.range, kind) })) : null;
  const j = judging(jf, {}, o.data);
  const g = j.views.geometry;
  log(`judge: ${g.channels === 3 ? "RGB" : "grey"} ${g.size}×${g.size}, ${j.net.config.numClasses} classes; reference ${j.real.labels.length} real images (${j.splits.how}), memorisation searched over ${j.splits.train.count} training images`);
  const real = realImagesText(j.real.labels.length, j.data, j.splits.how);
  if (src.kind === "samples" && sets) {
    if (src.range === "auto") for (const { file, set } of sets) log(`${file}: values read as ${set.range} (pass --range to override)`);
    return sets.map(({ file, set }) => {
      onSamples({ label: file, images: set.images, labels: set.labels }, j);
      return { label: file, w: null, solver: null, steps: null, nfe: null, seconds: null, real, ...judgeSamples(j, set.images, set.labels) };
    });
  }
  return generateRows(src as GenerateSource, j, log, onSamples).map((r) => ({ ...r, real }));
}

/** Prints the tables and writes --md, --json and the chart (--png, --svg). */
export async function reportEval(o: EvalOptions, rows: readonly EvalRow[], argv: readonly string[], log: (s: string) => void): Promise<void> {
  log(evalTables(rows));
  const { md: mdFile, json, figure } = o.outputs;
  const chartFile = figure.svg ?? figure.png;
  if (mdFile) {
    const rel = (f: string) => path.relative(path.dirname(path.resolve(mdFile)), path.resolve(f));
    const md = evalTables(rows, rel("reports/calibration.md")); // the views table links the calibration page npm run reports writes
    const chartLink = chartFile && rows.length > 1 ? `![chart](${rel(chartFile)})\n\n` : "";
    const from = o.source.kind === "from" ? o.source.from : null;
    const provenance = from
      ? `Rows: [${path.basename(from)}](${rel(from)}), ${Math.round((rows[0]?.report.n ?? 0) / 10)} digits per class and run (the sampling command is in package.json, \`reports:sample\`). Tables and chart drawn from them by \`flowlab eval ${argv.join(" ")}\`.`
      : `This run: \`flowlab eval ${argv.join(" ")}\`.`;
    const rerun = `Regenerate with \`npm run reports\` (samples again), or redraw this page and its chart from the saved rows with \`npm run reports:render\`. ${provenance}`;
    const src = o.source;
    const title = evalTitle(src.kind === "generate" ? src.study : studyOfRows(rows), src.kind === "samples" ? src.samples : undefined);
    writeFileAtomic(mdFile, `# ${title}\n\n${rerun}\n\n${chartLink}${md}\n${judgeNote(rows[0]?.real)}\n`);
  }
  if (json) writeFileAtomic(json, JSON.stringify(rows, null, 2));
  if (chartFile) {
    const spec = isGuidanceStudy(rows) ? frontierChartSpec(rows) : evalChartSpec(rows);
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
  let first: [KeptSamples, Judging] | null = null;
  const rows = runEval(o, log, (kept, j) => (first ??= [kept, j]));
  if (o.outputs.nearest && first) await writeNearest(o.outputs.nearest, ...(first as [KeptSamples, Judging]), log);
  await reportEval(o, rows, argv, log);
  if (o.outputs.grid && o.source.kind === "samples") {
    const src = o.source;
    writeFileAtomic(o.outputs.grid, await samplesGrid(sampleFiles(src).map((file) => ({ title: path.basename(file, ".npy"), ...readSamples(file, src.labels, src.range) }))));
    log(`wrote ${o.outputs.grid}`);
  }
  return 0;
}
