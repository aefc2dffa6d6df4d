// flowlab eval's flags: what to judge (a checkpoint's sweep or study, a file of samples, or saved rows),
// checked in full before any setup; the defaults are generate()'s (GENERATE_DEFAULTS) and the studies'.
import { existsSync } from "node:fs";
import { parse, num, numList, str, solverFlag, seedFlag, UsageError, refuseBesideFrom, type Flags } from "./args.js";
import { defaultJudge, defaultModel, weakModel } from "../io/package-files.js";
import { GENERATE_DEFAULTS, DEFAULT_GUIDANCE } from "../sample/generate.js";
import { SAMPLE_RANGES, type SampleRange } from "../eval/samples.js";
import { FIGURE_FLAGS, FIGURE_HELP, figureOutputs, type FigureOutputs } from "./figure-out.js";
import { guidanceHelp, parseGuidanceText } from "./guidance-flag.js";
import { GUIDANCE_STUDY_W } from "../studies/guidance.js";
import { SOLVER_STUDY } from "../studies/solvers.js";
import { dataFlags } from "./data-flags.js";
import { PRESET_HELP, samplingPreset } from "./sampling-presets.js";
import { ODE_SOLVER_NAMES, type OdeSolverName } from "../solvers/steppers.js";

/** flowlab eval's own defaults: the sweep's w and 50 digits per class; the sampler is GENERATE_DEFAULTS'. */
export const EVAL_DEFAULTS = { w: [0.5, 1, 3, 5, 10], perClass: 50 };

export const EVAL_HELP = `flowlab eval [flags]
  --ckpt FILE            model to sample (default: the shipped model)
${PRESET_HELP}
  --w 0.5,1,3,5,10       guidance scales   --per-class N (default ${EVAL_DEFAULTS.perClass})
  --solver S --steps N --seed N            (default ${GENERATE_DEFAULTS.solver}, ${GENERATE_DEFAULTS.steps} steps, seed ${GENERATE_DEFAULTS.seed}, as flowlab sample)
  --samples FILE.npy[,FILE.npy…] [--labels FILE.npy]   judge samples made elsewhere instead,
                         a row per file (float32 [N,1,32,32] or [N,32,32]; labels int, default class-major)
  --grid FILE.png        with --samples: the first digits of each class, a panel per file
  --range auto|-1..1|0..1|0..255           value range of --samples (default auto: any
                         negative value means [−1, 1], else max ≤ 1 means [0, 1], else 0..255)
  --study solvers        ${ODE_SOLVER_NAMES.join(", ")} at NFE ${SOLVER_STUDY.nfe.join(", ")} (CFG, w = ${SOLVER_STUDY.w})
  --study guidance       every guidance method (cfg, interval, rescale, zero-star, and auto with
                         --weak) at w = ${GUIDANCE_STUDY_W.join(", ")} (or --w): the accuracy/diversity–FD frontier
  --study few-step       few-step models against the teacher (flowlab eval --study few-step --help)
  --study training       a run's time-to-quality curve (flowlab eval --study training --help)
  --weak CKPT            autoguidance's weak model in the study (default models/mnist-cfg-weak.safetensors)
${guidanceHelp(DEFAULT_GUIDANCE)}
  --json FILE --md FILE  outputs (a markdown table is always printed); --png/--svg: the chart
${FIGURE_HELP}
  --from FILE.json       redraw the tables and chart from rows saved by --json (no sampling)
  --judge FILE           classifier (default models/judge.safetensors); its training data's test
                         split (or recorded hold-out) is the real images. Every run is also scored on every view
  --data SPEC            read the judge's data from here instead of the spec it records (a moved folder)
  --nearest FILE.png     the first run's samples beside their nearest training image (memorisation)`;

const FLAGS = {
  ckpt: { type: "string" }, w: { type: "string" }, "per-class": { type: "string" }, solver: { type: "string" },
  steps: { type: "string" }, seed: { type: "string" }, samples: { type: "string" }, labels: { type: "string" },
  range: { type: "string" }, study: { type: "string" }, weak: { type: "string" }, guidance: { type: "string" }, preset: { type: "string" },
  json: { type: "string" }, md: { type: "string" }, ...FIGURE_FLAGS, from: { type: "string" }, judge: { type: "string" },
  grid: { type: "string" }, threads: { type: "string" }, data: { type: "string" }, nearest: { type: "string" },
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
  /** --guidance as given, or DEFAULT_GUIDANCE (sweeps); the studies choose their own. */
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
  /** The judge's data read from this spec instead of the one it records. */
  data?: string;
  outputs: { json?: string; md?: string; grid?: string; nearest?: string; figure: FigureOutputs };
}

const GENERATE_ONLY = ["ckpt", "w", "per-class", "solver", "steps", "seed", "study", "weak", "guidance", "preset"] as const;

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
  if (study && v["preset"] !== undefined) throw new UsageError(`--study ${study} chooses its own settings; drop --preset`);
  const preset = samplingPreset(str(v["preset"]));
  if (study !== "guidance" && v["weak"] !== undefined) throw new UsageError("--weak is the guidance study's weak model; with a sweep, use --guidance auto:CKPT");
  const weak = str(v["weak"]) ?? (study === "guidance" && existsSync(weakModel) ? weakModel : undefined);
  const guidance = str(v["guidance"]) ?? preset?.guidance;
  parseGuidanceText(guidance); // a bad value fails here, before the judge and real-image setup
  const solver = solverFlag(v["solver"], GENERATE_DEFAULTS.solver);
  return {
    kind: "generate",
    ckpt: str(v["ckpt"]) ?? preset?.ckpt ?? defaultModel,
    study: study === "solvers" || study === "guidance" ? study : null,
    ...(study ? {} : { guidance: guidance ?? DEFAULT_GUIDANCE }),
    ...(weak !== undefined ? { weak } : {}),
    w: numList("w", v["w"], { min: -1e3, max: 1e3 }) ?? (preset ? [...preset.w] : study === "guidance" ? [...GUIDANCE_STUDY_W] : EVAL_DEFAULTS.w),
    perClass: num("per-class", v["per-class"], { int: true, min: 2, max: 2000 }) ?? EVAL_DEFAULTS.perClass,
    solver,
    steps: num("steps", v["steps"], { int: true, min: 1, max: 10000 }) ?? GENERATE_DEFAULTS.steps,
    seed: seedFlag(v["seed"]) ?? GENERATE_DEFAULTS.seed,
  };
}

/** Flags → validated options (no side effects; every flag checked before any setup). */
export function parseEvalFlags(argv: string[]): EvalOptions | "help" {
  const v = parse("eval", argv, FLAGS);
  if (v["help"]) return "help";
  const samples = str(v["samples"]), from = str(v["from"]);
  if (from !== undefined) {
    refuseBesideFrom(v, [...GENERATE_ONLY, "samples", "labels", "range", "judge", "data", "nearest"]);
  }
  const source = from !== undefined ? { kind: "from" as const, from } : samples !== undefined ? samplesSource(v, samples) : generateSource(v);
  const json = str(v["json"]), md = str(v["md"]), grid = str(v["grid"]), nearest = str(v["nearest"]), data = str(v["data"]);
  if (nearest !== undefined && !nearest.toLowerCase().endsWith(".png")) throw new UsageError(`--nearest ${nearest}: expected a .png file name`);
  if (data !== undefined) dataFlags({ data }, "mnist"); // checks the spec's form
  if (grid !== undefined && source.kind !== "samples") throw new UsageError("--grid draws the files of --samples; give --samples FILE.npy");
  return {
    source,
    judge: str(v["judge"]) ?? defaultJudge,
    ...(data !== undefined ? { data } : {}),
    outputs: { ...(json ? { json } : {}), ...(md ? { md } : {}), ...(grid ? { grid } : {}), ...(nearest ? { nearest } : {}), figure: figureOutputs(v) },
  };
}

/** The files of --samples (a comma-separated list). */
export function sampleFiles(src: SamplesSource): string[] {
  return src.samples.split(",").filter((f) => f.length > 0);
}
