// The guidance study: every guidance method at every w, and its verdict: which method reaches the lab's
// certainty (≥ 99.5 % judge accuracy) at the lowest Fréchet distance.
import { GUIDANCE_DEFAULTS } from "../flow/guidance-methods.js";
import { withinNoise } from "../eval/estimate.js";
import { NOISE_Z } from "../eval/view-metrics.js";
import { accuracyCell, diversityCell, fdCell } from "./report-cells.js";
import type { OdeSolverName } from "../solvers/steppers.js";
import type { EvalRow, EvalRun } from "./eval-rows.js";

/** The study's guidance scales (each method's strength). */
export const GUIDANCE_STUDY_W: readonly number[] = [1, 1.5, 2, 2.5, 3, 4, 5];

/** The lab's certainty, as the guidance study's bar: judge accuracy of at least 99.5 %. */
export const CERTAINTY = 0.995;

/**
 * The study's runs: every method at every w. At w = 1 every method is the conditional field, so that run
 * is made once (plain CFG) and shared by every method's curve (withSharedW1). `weak` names autoguidance's
 * weak model as the labels show it (null: no autoguidance).
 */
export function guidanceStudyRuns(ws: readonly number[], solver: OdeSolverName, steps: number, weak: string | null): EvalRun[] {
  const d = GUIDANCE_DEFAULTS;
  const methods = ["cfg", `interval:${d.interval.lo}:${d.interval.hi}`, `rescale:${d.rescale.phi}`, `zero-star:${d.zeroStar.zeroUntil}`, ...(weak ? [`auto:${weak}`] : [])];
  return methods.flatMap((guidance) => ws.filter((w) => w !== 1 || guidance === "cfg").map((w) => ({ label: `${guidance.split(":")[0]} w = ${w}`, w, solver, steps, guidance })));
}

/** The study's w = 1 row (plain CFG) copied onto every other method's curve. */
export function withSharedW1(rows: EvalRow[]): EvalRow[] {
  const base = rows.find((r) => r.w === 1 && !r.guidance);
  if (!base) return rows;
  const others = [...new Set(rows.map((r) => r.guidance).filter((g): g is string => g !== undefined))];
  return [...rows, ...others.map((guidance) => ({ ...base, label: `${guidance.split(":")[0]} w = 1`, guidance }))];
}

/** Whether rows hold a guidance study (more than one method). */
export function isGuidanceStudy(rows: readonly EvalRow[]): boolean {
  return rows.some((r) => r.guidance) && new Set(rows.map((r) => r.guidance ?? "cfg")).size > 1;
}

/**
 * The guidance study's verdict: for each method, its lowest FD among runs at ≥ 99.5 % accuracy, best
 * first (methods that never reach it last).
 */
export function guidanceVerdict(rows: readonly EvalRow[]): { guidance: string; row: EvalRow | null }[] {
  const methods = [...new Set(rows.map((r) => r.guidance ?? "cfg"))];
  return methods
    .map((guidance) => {
      const ok = rows.filter((r) => (r.guidance ?? "cfg") === guidance && r.report.accuracy >= CERTAINTY);
      return { guidance, row: ok.sort((a, b) => a.report.fd - b.report.fd)[0] ?? null };
    })
    .sort((a, b) => (a.row?.report.fd ?? Infinity) - (b.row?.report.fd ?? Infinity));
}

/** Whether a row's FD is within noise of the best row's (NOISE_Z combined standard errors); null when either lacks its interval. */
function fdWithinNoise(row: EvalRow, best: EvalRow): boolean | null {
  const a = row.report.intervals?.fd, b = best.report.intervals?.fd;
  return a && b ? withinNoise(a, b, NOISE_Z) : null;
}

/** The verdict as a sentence and a table, one row per method, each FD compared with the best's. */
export function verdictMarkdown(rows: readonly EvalRow[]): string {
  const v = guidanceVerdict(rows);
  const top = v[0]?.row ?? null;
  const against = (row: EvalRow | null) => {
    if (!row || !top) return "—";
    if (row === top) return "best";
    const same = fdWithinNoise(row, top);
    return same === null ? "—" : same ? "within noise" : "worse";
  };
  const lines = v.map(({ guidance, row }) => `| ${guidance} | ${row ? `${row.w}` : "—"} | ${row ? accuracyCell(row.report) : "never ≥ 99.5 %"} | ${row ? fdCell(row.report) : "—"} | ${against(row)} | ${row ? diversityCell(row.report) : "—"} | ${row?.nfe ?? "—"} |`);
  const tied = v.filter(({ row }) => row && row !== top && fdWithinNoise(row, top!) === true).map(({ guidance }) => guidance);
  const ties = tied.length ? ` ${tied.join(", ")} ${tied.length > 1 ? "are" : "is"} within noise of it (${NOISE_Z} combined standard errors of FD).` : "";
  const best = top ? `**${v[0]!.guidance}** reaches the lab's certainty (≥ 99.5 % judge accuracy) at the lowest FD (${fdCell(top.report)}, at w = ${top.w}).${ties}` : "No method reached 99.5 % judge accuracy.";
  return `${best}\n\n| method | w | accuracy | FD | FD against the best | diversity | NFE |\n|---|---|---|---|---|---|---|\n${lines.join("\n")}`;
}
