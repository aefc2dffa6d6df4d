// flowlab eval's rows: one generated (or judged) set of digits each, with its sampler and the judge's
// figures; the runs a sweep or a study makes, and how they are sampled and scored.
import { samplingNet } from "../train/checkpoint.js";
import type { GuidanceMethod } from "../flow/guidance-methods.js";
import { disposeLoaded, StudyError, pct, sampleAndJudge, type StudyHooks } from "./runner.js";
import type { Judging } from "../eval/judging.js";
import { judgeMismatchOf } from "../eval/judge-fit.js";
import type { Views } from "../eval/views.js";
import type { OdeSolverName } from "../solvers/steppers.js";
import type { Report } from "../eval/metrics.js";

/** One evaluated set of digits (what --json writes and --from reads). */
export interface EvalRow {
  label: string;
  w: number | null;
  solver: string | null;
  steps: number | null;
  nfe: number | null;
  seconds: number | null;
  /** The guidance method (absent: plain CFG). */
  guidance?: string;
  /** The real images the figures compare with, as realImagesText() writes them (absent in rows saved before it was kept). */
  real?: string;
  report: Report;
  /** Every view with its interval (absent in rows saved before the views existed). */
  views?: Views;
  /** The class names the checkpoint records (an image folder's), for the tables' columns; absent: MNIST's digits 0–9. */
  classNames?: string[];
}

/** One generated run: its label, w, solver, steps and guidance (as --guidance writes it). */
export interface EvalRun {
  label: string;
  w: number;
  solver: OdeSolverName;
  steps: number;
  guidance: string;
}

/** The sampling settings a sweep or study shares. */
export interface EvalSampling {
  /** The checkpoint sampled. */
  ckpt: string;
  perClass: number;
  seed: number;
}

/** A sweep over w with one guidance method. */
export function sweepRuns(ws: readonly number[], solver: OdeSolverName, steps: number, guidance: string): EvalRun[] {
  return ws.map((w) => ({ label: `w = ${w}`, w, solver, steps, guidance }));
}

/**
 * Samples and judges every run with the checkpoint `s.ckpt`. `methodOf` turns a run's guidance text into
 * a method (loading autoguidance's weak model once); it is the caller's to release.
 */
export function evalRows(runs: readonly EvalRun[], s: EvalSampling, methodOf: (guidance: string, numClasses: number) => GuidanceMethod, judging: Judging, hooks: StudyHooks): EvalRow[] {
  const state = hooks.readCheckpoint(s.ckpt);
  const net = samplingNet(state);
  try {
    if (net.config.fewStep) throw new StudyError(`--ckpt ${s.ckpt} is a few-step model: evaluate it with flowlab eval --study few-step --fewstep ${s.ckpt}`);
    const misfit = judgeMismatchOf(judging, net.config);
    if (misfit) throw new StudyError(`--ckpt ${s.ckpt} ${misfit}`);
    const names = net.config.classNames;
    return runs.map(({ label, w, solver, steps, guidance }) => {
      const method = methodOf(guidance, net.config.numClasses);
      const r = sampleAndJudge(net, s.ckpt, label, { perClass: s.perClass, w, steps, solver, seed: s.seed, guidance: method }, judging, hooks);
      hooks.log(`${label}: accuracy ${pct(r.report.accuracy)}, FD ${r.report.fd.toFixed(2)}, diversity ${r.report.diversity.toFixed(2)}, ${r.nfe} NFE, ${r.seconds.toFixed(1)} s`);
      return { label, w, solver, steps, nfe: r.nfe, seconds: r.seconds, ...(guidance !== "cfg" ? { guidance } : {}), report: r.report, ...(r.views ? { views: r.views } : {}), ...(names ? { classNames: [...names] } : {}) };
    });
  } finally {
    disposeLoaded(net, state);
  }
}

/** Whether a value is a row --json wrote, checked enough that the tables and chart can be drawn from it. */
export function isEvalRow(r: unknown): r is EvalRow {
  const o = r as Partial<EvalRow> | null;
  const rep = o?.report;
  return typeof o?.label === "string" && !!rep && ["n", "accuracy", "confidence", "fd", "diversity"].every((k) => typeof (rep as unknown as Record<string, unknown>)[k] === "number") && Array.isArray(rep.perClass);
}
