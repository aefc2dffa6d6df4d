// flowlab eval --study few-step: flags and outputs of the few-step study (src/studies/few-step.ts runs
// it). Writes reports/few-step.{md,json,png}.
import { existsSync } from "node:fs";
import path from "node:path";
import { parse, num, numList, str, UsageError, refuseBesideFrom, asksForStudy, readJsonFlag, seedFlag } from "./args.js";
import { defaultJudge, defaultModel, fewStepModel, packageRoot } from "../io/package-files.js";
import { ensureWritableFile, ensureReadableFile } from "./writable.js";
import { judgeSetup } from "../eval/real-images.js";
import { writeFileAtomic } from "../io/atomic.js";
import { FIGURE_FLAGS, FIGURE_HELP, figureOutputs, checkFigureOutputs, writeFigure, type FigureOutputs } from "./figure-out.js";
import { chartSvg } from "../viz/charts.js";
import { fewStepChartSpec } from "../viz/few-step-chart.js";
import { FEW_STEP_STUDY, isFewStepStudyFile, runFewStepStudy, withCurrentSeries, type FewStepStudyFile } from "../studies/few-step.js";
import { fewStepMarkdown } from "../studies/few-step-markdown.js";
import { cliHooks } from "./study-hooks.js";

export { FEW_STEP_STUDY, FEW_STEP_TARGETS, type FewStepRow, type FewStepStudyFile, type FewStepModelInfo } from "../studies/few-step.js";
export { targetsMarkdown, fewStepMarkdown } from "../studies/few-step-markdown.js";

/** The shipped few-step model, and the comparison model distilled by the other method (not in the npm package). */
export const FEW_STEP_MODELS = [fewStepModel, path.join(packageRoot, "models", "mnist-fewstep-shortcut.safetensors")];

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

/** Samples, scores and times every run. */
function runStudy(o: Options, log: (s: string) => void): FewStepStudyFile {
  return runFewStepStudy(o, judgeSetup(o.judge), cliHooks(log), rel);
}

function readStudy(file: string): FewStepStudyFile {
  const s = readJsonFlag("from", file);
  if (!isFewStepStudyFile(s)) throw new UsageError(`--from ${file}: expected what flowlab eval --study few-step --json writes`);
  return withCurrentSeries(s);
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
