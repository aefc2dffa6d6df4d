// flowlab eval's page: the rows as a table (and per class), the guidance study's verdict above them,
// the title and the note on what each figure means.
import { isGuidanceStudy, verdictMarkdown } from "./guidance.js";
import { pct } from "./runner.js";
import type { Report } from "../eval/metrics.js";
import type { EvalRow } from "./eval-rows.js";
import { viewsMarkdown } from "../eval/views-table.js";

/** One row per run: sampler, cost, the judge's figures and the worst class. */
export function markdown(rows: readonly EvalRow[]): string {
  const head = "| run | w | solver | steps | NFE | time (s) | accuracy | confidence | FD | diversity | worst class |\n|---|---|---|---|---|---|---|---|---|---|---|";
  const body = rows.map((r) => {
    const worst = [...r.report.perClass].sort((a, b) => a.accuracy - b.accuracy)[0];
    const cells = [r.label, r.w ?? "—", r.solver ?? "—", r.steps ?? "—", r.nfe ?? "—", r.seconds?.toFixed(1) ?? "—"];
    const metrics = [pct(r.report.accuracy), r.report.confidence.toFixed(3), r.report.fd.toFixed(2), r.report.diversity.toFixed(2)];
    return `| ${[...cells, ...metrics, worst ? `${worst.label}: ${pct(worst.accuracy)}` : "—"].join(" | ")} |`;
  });
  return [head, ...body].join("\n");
}

/** Accuracy and FD of every class, one row per run. */
export function perClassMarkdown(rows: readonly EvalRow[], classNames?: readonly string[]): string {
  const K = rows.length ? Math.max(...rows.map((r) => r.report.perClass.length)) : 10;
  const head = `| run | ${Array.from({ length: K }, (_, k) => classNames?.[k] ?? k).join(" | ")} |\n|---|${"---|".repeat(K)}`;
  const cell = (c: Report["perClass"][number]) => `${(c.accuracy * 100).toFixed(0)} / ${c.fd.toFixed(1)}`;
  const body = rows.map((r) => `| ${r.label} acc / FD | ${r.report.perClass.map(cell).join(" | ")} |`);
  return [head, ...body].join("\n");
}

/** What the figures mean, under every eval page. */
export const JUDGE_NOTE =
  "Accuracy: the judge's argmax equals the class asked for. Confidence: the judge's mean probability of that class. " +
  "FD: Fréchet distance between judge features (128-d) of the samples and of the 10 000 MNIST test digits. " +
  "Diversity: mean pairwise L2 distance within a class divided by the same on real test digits (1 = as varied as real digits).";

/** The tables printed and written: the verdict (guidance study), every run, per class, and every view (rows that have them). */
export function evalTables(rows: readonly EvalRow[]): string {
  const verdict = isGuidanceStudy(rows) ? `${verdictMarkdown(rows)}\n\n` : "";
  const viewRows = rows.flatMap((r) => (r.views ? [{ label: r.label, views: r.views }] : []));
  const views = viewRows.length ? `\nEvery view, with 95 % intervals ([what each view sees](reports/calibration.md)):\n\n${viewsMarkdown(viewRows)}\n` : "";
  return `${verdict}${markdown(rows)}\n\nPer class (accuracy % / FD):\n\n${perClassMarkdown(rows)}\n${views}`;
}

/** Which study rows come from: "solvers", "guidance", or null for a sweep or judged samples. */
export type EvalStudy = "solvers" | "guidance" | null;

/** The study saved rows came from, read off the rows themselves. */
export function studyOfRows(rows: readonly EvalRow[]): EvalStudy {
  return rows.some((r) => r.guidance) ? "guidance" : rows.every((r) => r.label.includes("NFE")) ? "solvers" : null;
}

/** The page title of an eval run (`samples`: the judged file, when it judged one). */
export function evalTitle(study: EvalStudy, samples?: string): string {
  if (samples !== undefined) return `Judged samples: ${samples}`;
  return study === "solvers" ? "Solver study (w = 3)" : study === "guidance" ? "Guidance methods: certainty against fidelity" : "What guidance does";
}
