// flowlab eval --study training: flags and outputs of the time-to-quality study (src/studies/training.ts
// runs it): every snapshot of a training run judged at each w, beside the loss in its log.
import path from "node:path";
import { parse, num, numList, str, solverFlag, seedFlag, UsageError, refuseBesideFrom, asksForStudy, readJsonFlag } from "./args.js";
import { defaultJudge } from "../io/package-files.js";
import { ensureWritableFile, ensureReadableFile } from "./writable.js";
import { judgeSetup } from "../eval/real-images.js";
import { writeFileAtomic } from "../io/atomic.js";
import { FIGURE_FLAGS, FIGURE_HELP, figureOutputs, checkFigureOutputs, writeFigure, type FigureOutputs } from "./figure-out.js";
import { guidanceHelp, parseGuidanceFlag, parseGuidanceText } from "./guidance-flag.js";
import { chartSvg } from "../viz/charts.js";
import { trainingChartSpec } from "../viz/training-chart.js";
import { isTrainingStudyFile, runCheckpoints, runTrainingStudy, trainingMarkdown, TRAINING_STUDY, type TrainingStudyFile } from "../studies/training.js";
import { cliHooks } from "./study-hooks.js";
import type { OdeSolverName } from "../solvers/steppers.js";

export { TRAINING_STUDY, lossCurve, runCheckpoints, trainingMarkdown, type TrainingRow, type TrainingStudyFile } from "../studies/training.js";

export const TRAINING_STUDY_HELP = `flowlab eval --study training --run DIR [flags]
  the time-to-quality curve of a training run: judges every snapshot it kept (flowlab train --keep-every N
  writes DIR/snapshots/step-N.safetensors) and its last checkpoint, at each --w, against minutes of
  training, beside the smoothed loss in DIR/log.jsonl
  --run DIR              the run folder (flowlab train --out)
  --w LIST (default ${TRAINING_STUDY.w.join(",")})   --per-class N (default ${TRAINING_STUDY.perClass})   --seed N
  --solver S --steps N   (default ${TRAINING_STUDY.solver} ${TRAINING_STUDY.steps}, as the model card)
${guidanceHelp(TRAINING_STUDY.guidance)}
  --judge FILE           classifier (default models/judge.safetensors)
  --json FILE --md FILE  outputs   --from FILE.json  redraw from saved rows (no sampling)
${FIGURE_HELP}`;

const FLAGS = {
  study: { type: "string" }, run: { type: "string" }, w: { type: "string" }, "per-class": { type: "string" }, solver: { type: "string" },
  steps: { type: "string" }, seed: { type: "string" }, guidance: { type: "string" }, judge: { type: "string" }, json: { type: "string" },
  md: { type: "string" }, from: { type: "string" }, ...FIGURE_FLAGS, threads: { type: "string" },
} as const;

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
  const solver = solverFlag(v["solver"], TRAINING_STUDY.solver);
  const guidance = str(v["guidance"]) ?? TRAINING_STUDY.guidance;
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

const rel = (f: string) => path.relative(process.cwd(), f) || f;

/** Judges every checkpoint of the run at every w. */
function runStudy(o: Options & { run: string }, log: (s: string) => void): TrainingStudyFile {
  return runTrainingStudy(o, parseGuidanceFlag, judgeSetup(o.judge), cliHooks(log), rel);
}

function readStudy(file: string): TrainingStudyFile {
  const s = readJsonFlag("from", file);
  if (!isTrainingStudyFile(s)) throw new UsageError(`--from ${file}: expected what flowlab eval --study training --json writes`);
  return s;
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
