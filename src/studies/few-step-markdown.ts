// The few-step study's page: the targets met or missed, a table per w, the models and how they were made.
import { FEW_STEP_STUDY, FEW_STEP_TARGETS, TEACHER_BASELINE, type FewStepModelInfo, type FewStepRow, type FewStepStudyFile } from "./few-step.js";
import { accuracyCell, allHaveIntervals, diversityCell, fdCell, NO_INTERVALS_NOTE } from "./report-cells.js";

/** The teacher's 20-NFE row at w (the baseline the targets are relative to). */
function teacher20(rows: readonly FewStepRow[], w: number): FewStepRow | undefined {
  return rows.find((r) => r.series === TEACHER_BASELINE && r.solver === "midpoint" && r.w === w);
}

/** The targets at w = 3, for each few-step model: met or how far. */
export function targetsMarkdown(s: FewStepStudyFile): string {
  const T3 = FEW_STEP_TARGETS;
  const ref = teacher20(s.rows, T3.w);
  if (!ref) return `No teacher row at w = ${T3.w}: the targets cannot be checked.`;
  const lines = s.models.map((m) => {
    const at = (steps: number) => s.rows.find((r) => r.series === `few-step (${m.method})` && r.steps === steps && r.w === T3.w);
    const one = at(1), two = at(2);
    const cell = (ok: boolean, text: string) => `${ok ? "✓" : "✗"} ${text}`;
    const acc = one ? cell(one.report.accuracy >= T3.accuracy1, accuracyCell(one.report)) : "—";
    const r1 = one ? one.report.fd / ref.report.fd : NaN, r2 = two ? two.report.fd / ref.report.fd : NaN;
    const fd1 = one ? cell(r1 <= T3.fdRatio1, `${fdCell(one.report)} = ${r1.toFixed(2)}×`) : "—";
    const fd2 = two ? cell(r2 <= T3.fdRatio2, `${fdCell(two.report)} = ${r2.toFixed(2)}×`) : "—";
    return `| ${m.method} (${m.file}) | ${acc} | ${fd1} | ${fd2} |`;
  });
  return [
    `Targets at w = ${T3.w}, against the teacher at 20 NFE (FD ${fdCell(ref.report)}, accuracy ${accuracyCell(ref.report)}):`,
    "",
    `| few-step model | 1 evaluation: accuracy ≥ ${T3.accuracy1 * 100} % | 1 evaluation: FD ≤ ${T3.fdRatio1}× | 2 evaluations: FD ≤ ${T3.fdRatio2}× |`,
    "|---|---|---|---|",
    ...lines,
    "",
    "Judge accuracy and FD only, on samples clamped to [−1, 1] as pictures show them. Every view (the texture FD that sees grain, the background level, recall, diversity, with intervals) at w = 3: [few-step-views.md](few-step-views.md).",
  ].join("\n");
}

function modelsMarkdown(s: FewStepStudyFile): string {
  const head = "| model | method | distillation steps | batch | teacher solve | wall time | command |\n|---|---|---|---|---|---|---|";
  const what = (m: FewStepModelInfo) => (m.method === "trajectory" ? `${m.batch} teacher solves × 5 rows` : `${m.batch} rows`);
  const solve = (m: FewStepModelInfo) => (m.method === "trajectory" ? `midpoint ${m.teacherSteps} steps (${4 * m.teacherSteps} NFE)` : "one CFG velocity (2 NFE) per d = 0 row");
  return [head, ...s.models.map((m) => `| ${m.file} | ${m.method} | ${m.steps} | ${what(m)} | ${solve(m)} | ${(m.seconds / 60).toFixed(0)} min | \`${m.command}\` |`)].join("\n");
}

function tableMarkdown(s: FewStepStudyFile, w: number): string {
  const ref = teacher20(s.rows, w);
  const head = "| sampler | steps | NFE | accuracy | FD | FD ÷ teacher at 20 NFE | diversity | 100 digits (s) |\n|---|---|---|---|---|---|---|---|";
  const body = s.rows.filter((r) => r.w === w).map((r) => {
    const ratio = ref ? (r.report.fd / ref.report.fd).toFixed(2) + "×" : "—";
    return `| ${r.label} | ${r.steps} | ${r.nfe} | ${accuracyCell(r.report)} | ${fdCell(r.report)} | ${ratio} | ${diversityCell(r.report)} | ${r.seconds100.toFixed(2)} |`;
  });
  const old = allHaveIntervals(s.rows.map((r) => r.report)) ? [] : ["", NO_INTERVALS_NOTE];
  return [`### w = ${w}`, "", head, ...body, ...old].join("\n");
}

const METHOD_NOTE =
  "How guidance enters training: the student is the teacher's U-Net with two extra embeddings added to its time embedding, " +
  "one of w (scaled to [0, 1] over the trained range) and one of the step size d; both start at zero, so the student starts as the " +
  "teacher's conditional field. Each training row draws w uniformly from the trained range, and the target is made with the teacher's " +
  "CFG field at that w, (1 − w)·u(x, t, ∅) + w·u(x, t, y): the trajectory method regresses chords (x_{t+d} − x_t)/d of the teacher's " +
  "guided ODE solved from noise (midpoint rule), for d = 1, 1/2, 1/4; the shortcut method regresses the guided velocity at d = 0 on the " +
  "data path and, at d > 0, the average of two half steps of the student itself. The student then needs one pass per step at any w " +
  "(no unconditional pass). w outside the trained range is refused, not clamped.";

const JUDGE_NOTE =
  "Accuracy: the judge's argmax equals the class asked for. FD: Fréchet distance between judge features (128-d) of the samples and of " +
  "the 10 000 MNIST test digits. Diversity: mean pairwise L2 distance within a class divided by the same on real test digits. Each figure ± the half-width of its 95 % interval (Wilson for accuracy, a bootstrap for FD, a jackknife for diversity). NFE: network " +
  "passes over the batch (a CFG evaluation is two; a few-step step is one). Wall time: 100 digits (10 per class), one batch, on the machine " +
  "that ran the study, sharing its 2 cores with other work (compare within the table, not across machines).";

/** The report page. */
export function fewStepMarkdown(s: FewStepStudyFile, provenance: string, chartLink: string | null = null): string {
  const ws = [...new Set(s.rows.map((r) => r.w))].sort((a, b) => a - b);
  return [
    "# Few-step generation: digits in 1, 2 and 4 network evaluations",
    "",
    provenance,
    "",
    targetsMarkdown(s),
    "",
    ...(chartLink ? [`![FD against network evaluations](${chartLink})`, ""] : []),
    `${s.perClass} digits per class and run (${s.perClass * 10} per row), seed ${FEW_STEP_STUDY.seed}, judged by models/judge.safetensors.`,
    "",
    ...ws.flatMap((w) => [tableMarkdown(s, w), ""]),
    "## The models",
    "",
    modelsMarkdown(s),
    "",
    "Each command is the run's first; a run continued with `--resume` (and a changed `--steps`) keeps it. The model cards in models/README.md give every resume.",
    "",
    METHOD_NOTE,
    "",
    JUDGE_NOTE,
    "",
  ].join("\n");
}

