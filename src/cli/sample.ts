// flowlab sample: the lab's guidance sweep (one panel per w, rows 0–9 and ∅), .npy export and
// trajectory pictures, from the shipped model or any checkpoint (flowlab or bare PyTorch state_dict).
import path from "node:path";
import { progressBar } from "./progress.js";
import * as T from "../tensor/index.js";
import { parse, num, numList, str, solverFlag, UsageError, seedFlag } from "./args.js";
import { readCheckpoint } from "./ckpt-io.js";
import { defaultModel } from "../io/package-files.js";
import { PRESET_HELP, samplingPreset } from "./sampling-presets.js";
import { ensureWritableFile, ensureReadableFile, isStdout } from "./writable.js";
import { FIGURE_FLAGS, FIGURE_HELP, figureOutputs, checkFigureOutputs, writeFigure, type FigureOutputs } from "./figure-out.js";
import { assertInstalled } from "../io/optional-packages.js";
import { guidanceHelp, parseGuidanceFlag, parseGuidanceText, type GuidanceFlag } from "./guidance-flag.js";
import { samplingNet, type TrainState } from "../train/checkpoint.js";
import { generate, GENERATE_DEFAULTS, DEFAULT_GUIDANCE, type Generated } from "../sample/generate.js";
import { checkSampleRange, checkGuidanceWeight, clampUnit, solveChecked } from "../sample/range.js";
import { ODE_SOLVER_NAMES, type OdeSolverName } from "../solvers/steppers.js";
import { sweepFigure, trajectoryFigure, trajectoryFrame } from "../viz/lab-figures.js";
import { svgToGrey, svgToPng } from "../viz/raster.js";
import { encodeGif } from "../viz/gif.js";
import { encodeNpy } from "../io/npy.js";
import { writeFileAtomic } from "../io/atomic.js";
import type { UNet } from "../nn/unet.js";

/**
 * flowlab sample's own defaults: the lab's sweep over w and 8 digits per class. The solver, steps, seed
 * and guidance are generate()'s (GENERATE_DEFAULTS, DEFAULT_GUIDANCE).
 */
export const SAMPLE_DEFAULTS = { w: [1, 3, 5], perClass: 8 };

export const SAMPLE_HELP = `flowlab sample [flags]
  --ckpt FILE            checkpoint (default: the shipped models/mnist-cfg.safetensors)
${PRESET_HELP}
  --w 1,3,5              guidance scales, one panel each (w = 1: no guidance)
  --per-class N          samples per class (default ${SAMPLE_DEFAULTS.perClass})
  --classes 0,7,…        classes to draw, each once (default 0–9; the ∅ row is added to the PNG)
  --steps N              solver steps (default ${GENERATE_DEFAULTS.steps}; the lab: --solver euler --steps 99)
  --solver ${ODE_SOLVER_NAMES.join("|")}   (default ${GENERATE_DEFAULTS.solver})
  --seed N               noise seed, shared by every w (default ${GENERATE_DEFAULTS.seed})
  --png FILE             the guidance-sweep figure
${FIGURE_HELP}
${guidanceHelp(DEFAULT_GUIDANCE)}
  --npy FILE             float32 [10·N, 1, 32, 32] clamped to [−1, 1], class-major (single w only;
                         /dev/stdout or a pipe works)
  --trajectory FILE      .gif, .png or .svg of x_t along the solve (first w; PNG/SVG: a row per class, a column per t)
  --record-every K       trajectory frame spacing in steps (default: about 12 frames)
  --threads N
  --backend B            wasm (default) or webgpu (in Node: needs the optional webgpu package, Dawn, and a Vulkan driver)
  Samples far outside [−1, 1] (a corrupt checkpoint, an extreme w) stop with an error; a little
  outside gets a warning.`;

const FLAGS = {
  ckpt: { type: "string" }, w: { type: "string" }, "per-class": { type: "string" }, classes: { type: "string" },
  steps: { type: "string" }, solver: { type: "string" }, seed: { type: "string" }, ...FIGURE_FLAGS, guidance: { type: "string" }, preset: { type: "string" },
  npy: { type: "string" }, trajectory: { type: "string" }, "record-every": { type: "string" }, threads: { type: "string" }, backend: { type: "string" },
} as const;

export interface SampleOptions {
  ckpt: string;
  w: number[];
  perClass: number;
  /** Classes to draw; undefined: all of the model's. */
  classes?: number[];
  steps: number;
  solver: OdeSolverName;
  seed: number;
  /** The sweep figure's --png, --svg and --scale (the scale also sizes the trajectory). */
  figure: FigureOutputs;
  /** --guidance as given, or the default (parsed against the model once it is loaded). */
  guidance: string;
  npy?: string;
  trajectory?: string;
  recordEvery: number;
  /** Flags given on the command line (a few-step checkpoint rejects --solver and --guidance, and has its own --steps default). */
  given?: ReadonlySet<string>;
}

/** Flags → validated options (no side effects). */
export function parseSampleFlags(argv: string[]): SampleOptions | "help" {
  const v = parse("sample", argv, FLAGS);
  if (v["help"]) return "help";
  const solver = solverFlag(v["solver"], GENERATE_DEFAULTS.solver);
  const figure = figureOutputs(v);
  const preset = samplingPreset(str(v["preset"]));
  const npy = str(v["npy"]), trajectory = str(v["trajectory"]), guidance = str(v["guidance"]) ?? preset?.guidance ?? DEFAULT_GUIDANCE;
  parseGuidanceText(guidance); // a bad value fails here, before the checkpoint is read
  if (!figure.png && !figure.svg && !npy && !trajectory) throw new UsageError("nothing to write: give --png, --svg, --npy and/or --trajectory");
  const w = numList("w", v["w"]) ?? (preset ? [...preset.w] : SAMPLE_DEFAULTS.w);
  if (npy && w.length !== 1) throw new UsageError(`--npy holds one guidance scale; got --w ${w.join(",")}`);
  if (trajectory && !/\.(gif|png|svg)$/i.test(trajectory)) throw new UsageError(`--trajectory must end in .gif, .png or .svg, got ${trajectory}`);
  const classes = numList("classes", v["classes"], { int: true, min: 0 });
  const dup = classes?.find((c, i) => classes.indexOf(c) !== i);
  if (dup !== undefined) throw new UsageError(`--classes lists class ${dup} twice; list each class once (--per-class sets how many of each)`);
  const steps = num("steps", v["steps"], { int: true, min: 1, max: 10000 }) ?? GENERATE_DEFAULTS.steps;
  return {
    ckpt: str(v["ckpt"]) ?? preset?.ckpt ?? defaultModel,
    w,
    perClass: num("per-class", v["per-class"], { int: true, min: 1, max: 1000 }) ?? SAMPLE_DEFAULTS.perClass,
    ...(classes ? { classes } : {}),
    steps,
    solver,
    seed: seedFlag(v["seed"]) ?? GENERATE_DEFAULTS.seed,
    figure,
    guidance,
    ...(npy ? { npy } : {}),
    ...(trajectory ? { trajectory } : {}),
    recordEvery: num("record-every", v["record-every"], { int: true, min: 1 }) ?? Math.max(1, Math.round(steps / 12)),
    given: new Set(Object.keys(v).filter((k) => v[k] !== undefined)),
  };
}

/**
 * A few-step checkpoint's flags: --steps must be a count it was trained for (default its fewest), every --w
 * inside its trained range, and --solver or a --guidance method other than cfg do not apply. Returns the
 * options to sample with; errors name the flag.
 */
export function fewStepSampleOptions(o: SampleOptions, net: UNet): SampleOptions {
  const f = net.config.fewStep;
  if (!f) return o;
  const given = o.given ?? new Set<string>();
  if (given.has("solver")) throw new UsageError(`--solver does not apply to the few-step model ${o.ckpt}: it steps with its own update (drop --solver; choose --steps ${f.steps.join("|")})`);
  if (given.has("guidance") && o.guidance !== "cfg") throw new UsageError(`--guidance ${o.guidance} does not apply to the few-step model ${o.ckpt}: guidance is its w input (drop --guidance)`);
  const steps = given.has("steps") ? o.steps : f.steps[0]!;
  if (!f.steps.includes(steps)) throw new UsageError(`--steps ${steps}: the few-step model ${o.ckpt} was trained for ${f.steps.join(", ")} steps`);
  const out = o.w.find((w) => !(w >= f.wMin && w <= f.wMax));
  if (out !== undefined) throw new UsageError(`--w ${out} is outside the few-step model's trained range [${f.wMin}, ${f.wMax}] (w is not clamped)`);
  return { ...o, steps, recordEvery: given.has("record-every") ? o.recordEvery : 1, guidance: "cfg" };
}

interface Sampled {
  net: UNet;
  state: TrainState;
  /** Classes asked for, and the rows drawn (plus ∅ for the PNG). */
  classes: number[];
  drawn: number[];
  results: Generated[];
  /** Each result's samples as an array, checked for range. */
  images: Float32Array[];
  guidance: GuidanceFlag;
  /** The options sampled with (a few-step checkpoint fills in its own --steps). */
  options: SampleOptions;
}

/** Loads the checkpoint and generates one set per w (read back from the GPU on webgpu); checks every set's range. */
export async function runSample(opts: SampleOptions, log: (s: string) => void, warn: (s: string) => void): Promise<Sampled> {
  const state = readCheckpoint(opts.ckpt);
  const net = samplingNet(state);
  const few = !!net.config.fewStep;
  const o = fewStepSampleOptions(opts, net);
  const K = net.config.numClasses;
  const classes = o.classes ?? Array.from({ length: K }, (_, i) => i);
  for (const c of classes) if (c >= K) throw new UsageError(`--classes: class ${c} is out of range 0..${K - 1} (this model has ${K} classes)`);
  const drawn = o.figure.png || o.figure.svg ? [...classes, K] : classes;
  const what = o.ckpt === defaultModel ? "shipped model" : o.ckpt;
  const how = o.guidance !== "cfg" ? `, guidance ${o.guidance}` : "";
  const solver = few ? "the few-step update (w as an input)" : o.solver;
  const noun = net.config.classNames ? "images" : "digits"; // a model trained on an image folder names its classes
  log(`sampling ${drawn.length} × ${o.perClass} ${noun} at w = ${o.w.join(", ")} with ${solver}, ${o.steps} step${o.steps === 1 ? "" : "s"}${how} (${what}${state.ema ? ", EMA weights" : ""})`);
  const bar = progressBar("w = {w} |{bar}| step {value}/{total} | {secs}s");
  const guidance = parseGuidanceFlag(o.guidance, K);
  const out: Sampled = { net, state, classes, drawn, results: [], images: [], guidance, options: o };
  for (const w of o.w) checkGuidanceWeight(w, o.ckpt);
  for (const [k, w] of o.w.entries()) {
    const t0 = performance.now();
    bar.start(o.steps, 0, { w, secs: "0.0" });
    const g = solveChecked({ w, source: o.ckpt }, () => generate(net, {
      classes: drawn, perClass: o.perClass, w, steps: o.steps, seed: o.seed, ...(few ? {} : { solver: o.solver, guidance: guidance.method }),
      ...(o.trajectory && k === 0 ? { recordEvery: o.recordEvery } : {}),
      onStep: (s) => bar.tick(s.done, { secs: ((performance.now() - t0) / 1000).toFixed(1) }),
    }));
    bar.stop();
    out.results.push(g);
    for (const f of g.trajectory?.frames ?? []) await f.read(); // on webgpu the frames are newer on the GPU
    const images = await g.images.read();
    out.images.push(images);
    const check = checkSampleRange(images, { w, source: o.ckpt });
    if (check.warning) warn(check.warning);
    log(`w = ${w}: ${g.images.shape[0]} ${noun}, ${g.nfe} network evaluation${g.nfe === 1 ? "" : "s"}, ${g.seconds.toFixed(1)} s`);
  }
  return out;
}

function dispose(s: Sampled): void {
  s.guidance.dispose();
  for (const g of s.results) {
    g.images.dispose();
    g.trajectory?.frames.forEach((f) => f.dispose());
  }
  T.disposeAll(s.net.params);
  if (s.net !== s.state.net) T.disposeAll(s.state.net.params);
}

/** Writes the sweep figure (--png, --svg), --npy and --trajectory. */
export async function reportSample(o: SampleOptions, s: Sampled, log: (s: string) => void): Promise<void> {
  const K = s.net.config.numClasses;
  const info = { solver: s.net.config.fewStep ? "few-step model" : o.solver, steps: o.steps, guidance: o.guidance };
  const [C, S] = [s.results[0]!.images.shape[1]!, s.results[0]!.images.shape[2]!];
  const look = { size: S, channels: C, ...(s.net.config.classNames ? { classNames: s.net.config.classNames } : {}) };
  if (o.figure.png || o.figure.svg) {
    const svg = sweepFigure({ images: s.images, ws: o.w, classes: s.drawn, numClasses: K, perClass: o.perClass, ...info, ...look });
    log(`wrote ${(await writeFigure(svg, o.figure)).join(" and ")}`);
  }
  if (o.npy) {
    const raw = s.images[0]!.slice(0, s.classes.length * o.perClass * C * S * S);
    const clamped = clampUnit(raw);
    const changed = raw.reduce((n, v, i) => n + (v !== clamped[i] ? 1 : 0), 0);
    writeFileAtomic(o.npy, encodeNpy({ dtype: "<f4", shape: [s.classes.length * o.perClass, C, S, S], data: clamped }));
    const note = changed ? `${changed} of ${raw.length} values were outside [−1, 1] and clamped` : "all values within [−1, 1], none clamped";
    log(`wrote ${o.npy} (labels, class-major: ${s.classes.join(",")} × ${o.perClass}; ${note})`);
  }
  if (o.trajectory) {
    await writeTrajectory(o.trajectory, s.results[0]!, s.drawn, o.perClass, s.net, { w: o.w[0]!, ...info, scale: o.figure.scale, ...look });
    log(`wrote ${o.trajectory}`);
  }
}

export async function sampleCommand(argv: string[], log: (s: string) => void): Promise<number> {
  const o = parseSampleFlags(argv);
  if (o === "help") {
    log(SAMPLE_HELP);
    return 0;
  }
  checkFigureOutputs(o.figure);
  if (o.trajectory) assertInstalled("figures"); // before sampling, not after
  const outputs = [[o.figure.png, "--png"], [o.figure.svg, "--svg"], [o.npy, "--npy"], [o.trajectory, "--trajectory"]] as const;
  for (const [f, what] of outputs.slice(2)) if (f) ensureWritableFile(f, what);
  ensureReadableFile(o.ckpt, "--ckpt", "checkpoint");
  const g = parseGuidanceText(o.guidance);
  if (g.kind === "auto") ensureReadableFile(g.file, "--guidance auto", "checkpoint");
  // with an output on stdout, progress lines go to stderr so the data stays clean
  const say = outputs.some(([f]) => f && isStdout(f)) ? (s: string) => void process.stderr.write(s + "\n") : log;
  const s = await runSample(o, say, (w) => void process.stderr.write(`flowlab: warning: ${w}\n`));
  try {
    await reportSample(s.options, s, say);
  } finally {
    dispose(s);
  }
  return 0;
}

/** GIF: one frame per recorded time, the whole grid; PNG/SVG: one row per class (first sample), x_t across. */
async function writeTrajectory(file: string, g: Generated, drawn: number[], perClass: number, net: UNet, o: { w: number; solver: string; steps: number; guidance?: string; scale: number; size: number; channels: number; classNames?: readonly string[] }): Promise<void> {
  const frames = g.trajectory!.frames, times = g.trajectory!.times;
  const K = net.config.numClasses;
  const ext = path.extname(file).toLowerCase();
  const P = o.channels * o.size * o.size; // values per image
  if (ext === ".gif" && o.channels !== 1) throw new UsageError(`--trajectory ${file}: animated GIFs are grey only; this model draws colour images, so write .png or .svg`);
  if (ext === ".gif") {
    const cols = Math.min(perClass, 8);
    const pick = drawn.flatMap((_, r) => Array.from({ length: cols }, (_, c) => r * perClass + c));
    const canvases = [];
    for (const [i, f] of frames.entries()) {
      const data = f.toFloat32Array();
      const sel = new Float32Array(pick.length * P);
      pick.forEach((n, j) => sel.set(data.subarray(n * P, (n + 1) * P), j * P));
      canvases.push(await svgToGrey(trajectoryFrame(sel, times[i]!, drawn, K, cols, o), o.scale));
    }
    writeFileAtomic(file, encodeGif(canvases));
    return;
  }
  // frames: [times, rows, 32, 32], the first sample of each class
  const sel = new Float32Array(frames.length * drawn.length * P);
  frames.forEach((f, i) => {
    const data = f.toFloat32Array();
    drawn.forEach((_, r) => sel.set(data.subarray(r * perClass * P, (r * perClass + 1) * P), (i * drawn.length + r) * P));
  });
  const svg = trajectoryFigure({ frames: sel, times: [...times], classes: drawn, numClasses: K, ...o });
  writeFileAtomic(file, ext === ".svg" ? svg : await svgToPng(svg, o.scale));
}
