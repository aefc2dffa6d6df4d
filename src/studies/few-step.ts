// The few-step study: few-step models at 1, 2, 4 evaluations against their teacher at 20 NFE (midpoint,
// 5 steps, CFG), 198 NFE (the lab's Euler 99) and 1, 2, 4 Euler steps, at each w: judge accuracy, FD,
// diversity, NFE and the wall time of 100 digits.
import { samplingNet, type TrainState } from "../train/checkpoint.js";
import { isDistillRecord } from "../train/distill.js";
import { generate, GENERATE_DEFAULTS } from "../sample/generate.js";
import { CFG, type GuidanceMethod } from "../flow/guidance-methods.js";
import { disposeLoaded, pct, sampleAndJudge, StudyError, STUDY_CLASSES, type StudyHooks } from "./runner.js";
import type { JudgeSetup } from "../eval/judging.js";
import type { OdeSolverName } from "../solvers/steppers.js";
import type { Report } from "../eval/metrics.js";
import type { UNet } from "../nn/unet.js";

/** The study's defaults: w = 1, 3, 5; 50 digits per class scored; 10 per class timed. */
export const FEW_STEP_STUDY = { w: [1, 3, 5], perClass: 50, timedPerClass: 10, seed: GENERATE_DEFAULTS.seed, fewSteps: [1, 2, 4], teacherEuler: [1, 2, 4] };

/** The targets at w = 3, relative to the teacher at 20 NFE. */
export const FEW_STEP_TARGETS = { w: 3, accuracy1: 0.99, fdRatio1: 1.5, fdRatio2: 1.2 };

/** The series of the teacher's full samplers (midpoint 5 steps, Euler 99), the baseline the few-step rows are measured against. */
export const TEACHER_BASELINE = "teacher baseline";

/** The study's rows as saved by an older flowlab, whose baseline series was named "teacher reference" (a name kept for the plain-TS backend). */
export function withCurrentSeries(s: FewStepStudyFile): FewStepStudyFile {
  return { ...s, rows: s.rows.map((r) => (r.series === "teacher reference" ? { ...r, series: TEACHER_BASELINE } : r)) };
}

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
  /** "few-step (trajectory)", "teacher Euler", or TEACHER_BASELINE. */
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

/** Whether a value is what the study's --json wrote. */
export function isFewStepStudyFile(s: unknown): s is FewStepStudyFile {
  const f = s as Partial<FewStepStudyFile> | null;
  return !!f && f.study === "few-step" && Array.isArray(f.rows) && Array.isArray(f.models) && typeof f.perClass === "number";
}

/** The file names as the page shows them: relative to the working folder. */
export type RelativeName = (file: string) => string;

function modelInfo(rel: RelativeName, file: string, net: UNet, record: TrainState["record"]): FewStepModelInfo {
  if (!net.config.fewStep) throw new StudyError(`--fewstep ${file} is not a few-step model (train one with flowlab distill)`);
  const d = isDistillRecord(record) ? record : null;
  return { file: rel(file), method: d?.config.method ?? "unknown", steps: record?.step ?? 0, batch: d?.config.batch ?? 0, seconds: record?.seconds ?? 0, command: record?.notes?.["command"] ?? "—", teacherSteps: d?.config.teacherSteps ?? 0 };
}

/** What the study samples: the few-step checkpoints, the teacher, the scales, the digits per class and the seed. */
export interface FewStepStudyOptions {
  fewstep: readonly string[];
  ckpt: string;
  w: readonly number[];
  perClass: number;
  seed: number;
}

/** Samples, scores and times every run: each few-step model at its step counts, then the teacher. */
export function runFewStepStudy(o: FewStepStudyOptions, judging: JudgeSetup, hooks: StudyHooks, rel: RelativeName): FewStepStudyFile {
  const rows: FewStepRow[] = [];
  const models: FewStepModelInfo[] = [];
  const run = (net: UNet, source: string, series: string, label: string, w: number, gen: { steps: number; solver?: OdeSolverName; guidance?: GuidanceMethod }) => {
    const r = sampleAndJudge(net, source, `${label}, w = ${w}`, { ...gen, perClass: o.perClass, w, seed: o.seed }, judging, hooks);
    const timed = generate(net, { ...gen, classes: [...STUDY_CLASSES], perClass: FEW_STEP_STUDY.timedPerClass, w, seed: o.seed + 1 });
    timed.images.dispose();
    const row: FewStepRow = { label, series, w, solver: gen.solver ?? "few-step", steps: gen.steps, nfe: r.nfe, seconds: r.seconds, seconds100: timed.seconds, report: r.report };
    hooks.log(`${label}, w = ${w}: accuracy ${pct(r.report.accuracy)}, FD ${r.report.fd.toFixed(2)}, diversity ${r.report.diversity.toFixed(2)}, ${r.nfe} NFE, 100 digits in ${timed.seconds.toFixed(2)} s`);
    rows.push(row);
  };
  for (const file of o.fewstep) {
    const state = hooks.readCheckpoint(file);
    const net = samplingNet(state);
    try {
      const info = modelInfo(rel, file, net, state.record);
      models.push(info);
      const f = net.config.fewStep!;
      const bad = o.w.find((w) => w < f.wMin || w > f.wMax);
      if (bad !== undefined) throw new StudyError(`--w ${bad} is outside ${file}'s trained range [${f.wMin}, ${f.wMax}]`);
      for (const w of o.w) for (const steps of FEW_STEP_STUDY.fewSteps.filter((s) => f.steps.includes(s))) run(net, file, `few-step (${info.method})`, `few-step ${info.method}, ${steps} step${steps > 1 ? "s" : ""}`, w, { steps });
    } finally {
      disposeLoaded(net, state);
    }
  }
  const state = hooks.readCheckpoint(o.ckpt);
  const teacher = samplingNet(state);
  try {
    if (teacher.config.fewStep) throw new StudyError(`--ckpt ${o.ckpt} is a few-step model; the study's teacher is a CFG model`);
    for (const w of o.w) {
      // the teacher guides with plain CFG, as the few-step models were distilled from its CFG field
      run(teacher, o.ckpt, TEACHER_BASELINE, "teacher midpoint 5 steps (CFG)", w, { steps: 5, solver: "midpoint", guidance: CFG });
      run(teacher, o.ckpt, TEACHER_BASELINE, "teacher Euler 99 steps (the lab's)", w, { steps: 99, solver: "euler", guidance: CFG });
      for (const steps of FEW_STEP_STUDY.teacherEuler) run(teacher, o.ckpt, "teacher Euler", `teacher Euler ${steps} step${steps > 1 ? "s" : ""}`, w, { steps, solver: "euler", guidance: CFG });
    }
  } finally {
    disposeLoaded(teacher, state);
  }
  return { study: "few-step", perClass: o.perClass, models, rows };
}

