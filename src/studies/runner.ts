// What every study shares: how it reads checkpoints, reports progress and lines, and one run of it:
// generate digits, check their range, judge them (clamped to [−1, 1]) against the real images.
import * as T from "../tensor/index.js";
import { generate, type GenerateOptions, type Generated } from "../sample/generate.js";
import { checkSampleRange, solveChecked } from "../sample/range.js";
import { judgeReport, judgeSamples, type JudgeSetup, type Judging } from "../eval/judging.js";
import type { Report } from "../eval/metrics.js";
import type { Views } from "../eval/views.js";
import type { UNet } from "../nn/unet.js";
import type { TrainState } from "../train/checkpoint.js";

/** A study's input does not fit it (e.g. a few-step model where a CFG model is needed); the message names the flag or file. */
export class StudyError extends Error {
  override name = "StudyError";
}

/** One run's progress display: ticks with the solver steps done. */
export interface RunProgress {
  /** `done` solver steps of the run have finished. */
  tick(done: number): void;
  /** The run has ended (also when it failed). */
  stop(): void;
}

/** How a study talks to its caller (the CLI gives progress bars and its checkpoint reader). */
export interface StudyHooks {
  /** One finished run, as a line. */
  log(line: string): void;
  /** A progress display for a run of `total` solver steps (default: none). */
  progress?(label: string, total: number): RunProgress;
  /** Reads a checkpoint file; errors name the file. */
  readCheckpoint(file: string): TrainState;
  /** Sees each run's samples (clamped to [−1, 1] later by the judge), e.g. for a figure drawn after scoring. */
  onSamples?(label: string, images: Float32Array, labels: Int32Array): void;
}

/** The digits 0–9, the classes every study draws. */
export const STUDY_CLASSES: readonly number[] = Array.from({ length: 10 }, (_, i) => i);

/** A percentage with one decimal, as the studies' tables write it. */
export function pct(v: number): string {
  return (v * 100).toFixed(1) + " %";
}

/** One scored run: what generate() reported and the judge's figures (every view when judged with views). */
export interface JudgedRun {
  report: Report;
  views?: Views;
  nfe: number;
  seconds: number;
}

/**
 * Draws every class of `net` (the digits 0–9 for MNIST models) from it, stops on samples far outside [−1, 1] (naming `source`
 * and w), and judges them: the classic report, and every view when `judging` has views (eval's rows).
 */
export function sampleAndJudge(net: UNet, source: string, label: string, opts: Omit<GenerateOptions, "classes" | "onStep"> & { w: number; steps: number }, judging: JudgeSetup | Judging, hooks: StudyHooks): JudgedRun {
  const bar = hooks.progress?.(label, opts.steps);
  let g: Generated;
  try {
    g = solveChecked({ w: opts.w, source }, () => generate(net, { ...opts, classes: Array.from({ length: net.config.numClasses }, (_, i) => i), ...(bar ? { onStep: (s) => bar.tick(s.done) } : {}) }));
  } finally {
    bar?.stop();
  }
  const images = g.images.toFloat32Array();
  g.images.dispose();
  checkSampleRange(images, { w: opts.w, source });
  hooks.onSamples?.(label, images, Int32Array.from(g.labels));
  const judged = "views" in judging ? judgeSamples(judging, images, g.labels) : { report: judgeReport(judging, images, g.labels) };
  return { ...judged, nfe: g.nfe, seconds: g.seconds };
}

/** Releases a loaded checkpoint's sampling net and, when different, its training net. */
export function disposeLoaded(net: UNet, state: TrainState): void {
  T.disposeAll(net.params);
  if (net !== state.net) T.disposeAll(state.net.params);
}
