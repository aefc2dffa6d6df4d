// The few-step report's target check: each model's 1- and 2-evaluation rows at w = 3 against the
// teacher's 20-NFE row, marked met (✓) or not (✗) with the ratio; and the study flag routing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { targetsMarkdown, isFewStepStudy, type FewStepRow, type FewStepStudyFile } from "./few-step-study.js";
import { TEACHER_BASELINE, withCurrentSeries } from "../studies/few-step.js";

const report = (accuracy: number, fd: number) => ({ n: 500, accuracy, confidence: accuracy, fd, diversity: 0.9, perClass: [] });
const row = (series: string, solver: string, steps: number, nfe: number, accuracy: number, fd: number): FewStepRow => ({ label: `${series} ${steps}`, series, w: 3, solver, steps, nfe, seconds: 1, seconds100: 0.2, report: report(accuracy, fd) });
const model = { file: "m.safetensors", method: "trajectory", steps: 1000, batch: 16, seconds: 600, command: "flowlab distill", teacherSteps: 4 };

const CASES: [string, FewStepRow[], RegExp][] = [
  ["all met", [row("few-step (trajectory)", "few-step", 1, 1, 0.995, 60), row("few-step (trajectory)", "few-step", 2, 2, 1, 55)], /✓ 99\.5 ± 0\.7 % \| ✓ 60\.00 = 1\.20× \| ✓ 55\.00 = 1\.10×/],
  ["accuracy and FD missed", [row("few-step (trajectory)", "few-step", 1, 1, 0.95, 80), row("few-step (trajectory)", "few-step", 2, 2, 1, 70)], /✗ 95\.0 ± 1\.9 % \| ✗ 80\.00 = 1\.60× \| ✗ 70\.00 = 1\.40×/],
];
for (const [what, rows, re] of CASES) test(`targets: ${what}`, () => {
  const s: FewStepStudyFile = { study: "few-step", perClass: 50, models: [model], rows: [...rows, row(TEACHER_BASELINE, "midpoint", 5, 20, 1, 50)] };
  assert.match(targetsMarkdown(s), re);
  assert.match(targetsMarkdown(s), /against the teacher at 20 NFE \(FD 50\.00, accuracy 100\.0 ± 0\.4 %\)/);
});

test("a study saved with the old series name \"teacher reference\" reads with its baseline found", () => {
  const rows = [row("few-step (trajectory)", "few-step", 1, 1, 0.95, 80), row("teacher reference", "midpoint", 5, 20, 1, 50)];
  const s: FewStepStudyFile = { study: "few-step", perClass: 50, models: [model], rows };
  assert.match(targetsMarkdown(s), /cannot be checked/, "the old name is not the baseline as such");
  assert.match(targetsMarkdown(withCurrentSeries(s)), /✗ 80\.00 = 1\.60×/);
});

test("without the teacher's 20-NFE row the targets are not checked", () => {
  assert.match(targetsMarkdown({ study: "few-step", perClass: 50, models: [model], rows: [] }), /cannot be checked/);
});

test("flowlab eval routes --study few-step (both spellings) to the study", () => {
  assert.equal(isFewStepStudy(["--study", "few-step"]), true);
  assert.equal(isFewStepStudy(["--study=few-step", "--json", "x"]), true);
  assert.equal(isFewStepStudy(["--study", "guidance"]), false);
});
