// flowlab sample: the lab's guidance sweep (one panel per w, rows 0–9 and ∅), .npy export and
// trajectory pictures, from the shipped model or any checkpoint (flowlab or bare PyTorch state_dict).
import path from "node:path";
import { progressBar } from "./progress.js";
import * as T from "../tensor/index.js";
import { parse, num, numList, str, UsageError } from "./args.js";
import { readCheckpoint } from "./ckpt-io.js";
import { defaultModel } from "./paths.js";
import { ensureWritableFile } from "./writable.js";
import { FIGURE_FLAGS, FIGURE_HELP, figureOutputs, writeFigure } from "./figure-out.js";
import { samplingNet } from "../train/checkpoint.js";
import { generate, type Generated } from "../sample/generate.js";
import { isOdeSolverName, type OdeSolverName } from "../solvers/steppers.js";
import { sweepFigure, trajectoryFigure, trajectoryFrame } from "../viz/lab-figures.js";
import { svgToGrey, svgToPng } from "../viz/raster.js";
import { encodeGif } from "../viz/gif.js";
import { encodeNpy } from "../io/npy.js";
import { writeFileAtomic } from "../io/atomic.js";
import type { UNet } from "../nn/unet.js";

/**
 * Defaults chosen by the solver study (reports/solvers.md): the midpoint rule with 5 steps (20 network
 * evaluations at w ≠ 1) matches the quality of 100–200-evaluation runs of every solver at a tenth of the time.
 */
export const SAMPLE_DEFAULTS = { w: [1, 3, 5], perClass: 8, steps: 5, solver: "midpoint" as OdeSolverName, seed: 0 };

export const SAMPLE_HELP = `flowlab sample [flags]
  --ckpt FILE            checkpoint (default: the shipped models/mnist-cfg.safetensors)
  --w 1,3,5              guidance scales, one panel each (w = 1: no guidance)
  --per-class N          samples per class (default ${SAMPLE_DEFAULTS.perClass})
  --classes 0,7,…        classes to draw (default 0–9; the ∅ row is added to the PNG)
  --steps N              solver steps (default ${SAMPLE_DEFAULTS.steps}; the lab: --solver euler --steps 99)
  --solver euler|midpoint|heun|rk4   (default ${SAMPLE_DEFAULTS.solver})
  --seed N               noise seed, shared by every w (default 0)
  --png FILE             the guidance-sweep figure
${FIGURE_HELP}
  --npy FILE             float32 [10·N, 1, 32, 32] in [−1, 1], class-major (single w only)
  --trajectory FILE      .gif, .png or .svg of x_t along the solve (first w; PNG/SVG: a row per class, a column per t)
  --record-every K       trajectory frame spacing in steps (default: about 12 frames)
  --threads N`;

const FLAGS = {
  ckpt: { type: "string" }, w: { type: "string" }, "per-class": { type: "string" }, classes: { type: "string" },
  steps: { type: "string" }, solver: { type: "string" }, seed: { type: "string" }, ...FIGURE_FLAGS,
  npy: { type: "string" }, trajectory: { type: "string" }, "record-every": { type: "string" }, threads: { type: "string" },
} as const;

export async function sampleCommand(argv: string[], log: (s: string) => void): Promise<number> {
  const v = parse("sample", argv, FLAGS);
  if (v["help"]) {
    log(SAMPLE_HELP);
    return 0;
  }
  const ws = numList("w", v["w"]) ?? SAMPLE_DEFAULTS.w;
  const perClass = num("per-class", v["per-class"], { int: true, min: 1, max: 1000 }) ?? SAMPLE_DEFAULTS.perClass;
  const steps = num("steps", v["steps"], { int: true, min: 1, max: 10000 }) ?? SAMPLE_DEFAULTS.steps;
  const seed = num("seed", v["seed"], { int: true }) ?? SAMPLE_DEFAULTS.seed;
  const solver = str(v["solver"]) ?? SAMPLE_DEFAULTS.solver;
  if (!isOdeSolverName(solver)) throw new UsageError(`--solver must be euler, midpoint, heun or rk4, got "${solver}"`);
  const fig = figureOutputs(v);
  const sweep = fig.png ?? fig.svg, npy = str(v["npy"]), traj = str(v["trajectory"]);
  if (!sweep && !npy && !traj) throw new UsageError("nothing to write: give --png, --svg, --npy and/or --trajectory");
  if (npy && ws.length !== 1) throw new UsageError(`--npy holds one guidance scale; got --w ${ws.join(",")}`);
  if (traj && !/\.(gif|png|svg)$/i.test(traj)) throw new UsageError(`--trajectory must end in .gif, .png or .svg, got ${traj}`);
  for (const [f, what] of [[npy, "--npy"], [traj, "--trajectory"]] as const) if (f) ensureWritableFile(f, what);
  const ckpt = str(v["ckpt"]) ?? defaultModel;
  const state = readCheckpoint(ckpt);
  const net = samplingNet(state);
  const K = net.config.numClasses;
  const classes = numList("classes", v["classes"], { int: true }) ?? Array.from({ length: K }, (_, i) => i);
  for (const c of classes) if (c < 0 || c >= K) throw new UsageError(`--classes: class ${c} is out of range 0..${K - 1} (this model has ${K} classes)`);
  const recordEvery = num("record-every", v["record-every"], { int: true, min: 1 }) ?? Math.max(1, Math.round(steps / 12));
  const drawn = sweep ? [...classes, K] : classes;
  log(`sampling ${drawn.length} × ${perClass} digits at w = ${ws.join(", ")} with ${solver}, ${steps} steps (${ckpt === defaultModel ? "shipped model" : ckpt}${state.ema ? ", EMA weights" : ""})`);
  const bar = progressBar("w = {w} |{bar}| step {value}/{total} | {secs}s");
  const results: Generated[] = [];
  for (const [k, w] of ws.entries()) {
    const t0 = performance.now();
    bar.start(steps, 0, { w, secs: "0.0" });
    const g = generate(net, {
      classes: drawn, perClass, w, steps, solver, seed,
      ...(traj && k === 0 ? { recordEvery } : {}),
      onStep: (s) => bar.tick(s.done, { secs: ((performance.now() - t0) / 1000).toFixed(1) }),
    });
    bar.stop();
    log(`w = ${w}: ${g.images.shape[0]} digits, ${g.nfe} network evaluations, ${g.seconds.toFixed(1)} s`);
    results.push(g);
  }
  if (sweep) {
    const svg = sweepFigure({ images: results.map((g) => g.images.toFloat32Array()), ws, classes: drawn, numClasses: K, perClass, solver, steps });
    log(`wrote ${(await writeFigure(svg, fig)).join(" and ")}`);
  }
  if (npy) {
    const g = results[0]!;
    const n = classes.length * perClass * 1024;
    writeFileAtomic(npy, encodeNpy({ dtype: "<f4", shape: [classes.length * perClass, 1, 32, 32], data: g.images.toFloat32Array().slice(0, n) }));
    log(`wrote ${npy} (labels, class-major: ${classes.join(",")} × ${perClass})`);
  }
  if (traj) {
    await writeTrajectory(traj, results[0]!, drawn, perClass, net, { w: ws[0]!, solver, steps, scale: fig.scale });
    log(`wrote ${traj}`);
  }
  for (const g of results) {
    g.images.dispose();
    g.trajectory?.frames.forEach((f) => f.dispose());
  }
  T.disposeAll(net.params);
  if (net !== state.net) T.disposeAll(state.net.params);
  return 0;
}

/** GIF: one frame per recorded time, the whole grid; PNG/SVG: one row per class (first sample), x_t across. */
async function writeTrajectory(file: string, g: Generated, drawn: number[], perClass: number, net: UNet, o: { w: number; solver: string; steps: number; scale: number }): Promise<void> {
  const frames = g.trajectory!.frames, times = g.trajectory!.times;
  const K = net.config.numClasses;
  const ext = path.extname(file).toLowerCase();
  if (ext === ".gif") {
    const cols = Math.min(perClass, 8);
    const pick = drawn.flatMap((_, r) => Array.from({ length: cols }, (_, c) => r * perClass + c));
    const canvases = [];
    for (const [i, f] of frames.entries()) {
      const data = f.toFloat32Array();
      const sel = new Float32Array(pick.length * 1024);
      pick.forEach((n, j) => sel.set(data.subarray(n * 1024, (n + 1) * 1024), j * 1024));
      canvases.push(await svgToGrey(trajectoryFrame(sel, times[i]!, drawn, K, cols, o), o.scale));
    }
    writeFileAtomic(file, encodeGif(canvases));
    return;
  }
  // frames: [times, rows, 32, 32], the first sample of each class
  const sel = new Float32Array(frames.length * drawn.length * 1024);
  frames.forEach((f, i) => {
    const data = f.toFloat32Array();
    drawn.forEach((_, r) => sel.set(data.subarray(r * perClass * 1024, (r * perClass + 1) * 1024), (i * drawn.length + r) * 1024));
  });
  const svg = trajectoryFigure({ frames: sel, times: [...times], classes: drawn, numClasses: K, ...o });
  writeFileAtomic(file, ext === ".svg" ? svg : await svgToPng(svg, o.scale));
}
