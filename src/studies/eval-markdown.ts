// flowlab eval's page: the rows as a table (and per class), the guidance study's verdict above them,
// the title and the note on what each figure means.
import { isGuidanceStudy, verdictMarkdown } from "./guidance.js";
import type { ClassReport } from "../eval/metrics.js";
import type { EvalRow } from "./eval-rows.js";
import { viewsMarkdown } from "../eval/views-table.js";
import { accuracyCell, allHaveIntervals, confidenceCell, diversityCell, fdCell, NO_INTERVALS_NOTE } from "./report-cells.js";

/** Class k as the tables write it: the name the checkpoint records, else its number (MNIST's digit). */
function className(rows: readonly EvalRow[], k: number): string {
  return rows.find((r) => r.classNames)?.classNames?.[k] ?? String(k);
}

/** One row per run: sampler, cost, the judge's figures (each ± its 95 % half-width) and the worst class (by name where the checkpoint records names). */
export function markdown(rows: readonly EvalRow[]): string {
  const head = "| run | w | solver | steps | NFE | time (s) | accuracy | confidence | FD | diversity | worst class |\n|---|---|---|---|---|---|---|---|---|---|---|";
  const body = rows.map((r) => {
    const worst = [...r.report.perClass].sort((a, b) => a.accuracy - b.accuracy)[0];
    const cells = [r.label, r.w ?? "—", r.solver ?? "—", r.steps ?? "—", r.nfe ?? "—", r.seconds?.toFixed(1) ?? "—"];
    const metrics = [accuracyCell(r.report), confidenceCell(r.report), fdCell(r.report), diversityCell(r.report)];
    return `| ${[...cells, ...metrics, worst ? `${className(rows, worst.label)}: ${accuracyCell(worst, 0)}` : "—"].join(" | ")} |`;
  });
  return [head, ...body].join("\n");
}

/** Accuracy and FD of every class (each ± its 95 % half-width), one row per run; columns named as the checkpoint names its classes. */
export function perClassMarkdown(rows: readonly EvalRow[]): string {
  const K = rows.length ? Math.max(...rows.map((r) => r.report.perClass.length)) : 10;
  const head = `| run | ${Array.from({ length: K }, (_, k) => className(rows, k)).join(" | ")} |\n|---|${"---|".repeat(K)}`;
  const cell = (c: ClassReport) => `${accuracyCell(c, 0)} / ${fdCell(c, 1)}`;
  const body = rows.map((r) => `| ${r.label} acc / FD | ${r.report.perClass.map(cell).join(" | ")} |`);
  return [head, ...body].join("\n");
}

/** The real images of a judge, as the note under a page names them: "the 10 000 test images of `mnist`". */
export function realImagesText(count: number, data: string, how: string): string {
  return `the ${count.toLocaleString("en-US").replace(/,/g, " ")} ${how === "test split" ? "test images" : `images held out (${how})`} of \`${data}\``;
}

/** What the figures mean, under every eval page; `real` names the real images they compare with (as realImagesText writes it). */
export function judgeNote(real = "the judge's real images (its data's test split, or the part held out for it)"): string {
  return (
    "Accuracy: the judge's argmax equals the class asked for. Confidence: the judge's mean probability of that class. " +
    `FD: Fréchet distance between judge features of the samples and of ${real}. ` +
    "Diversity: mean pairwise L2 distance within a class divided by the same on those real images (1 = as varied as real images). " +
    "Each figure is given ± the half-width of its 95 % interval: Wilson's for accuracy, the mean's standard error for confidence, a bootstrap over the samples for FD, a jackknife for diversity."
  );
}

/** The tables printed and written: the verdict (guidance study), every run, per class, and every view (rows that have them; `calibration` links the page on what each view sees). */
export function evalTables(rows: readonly EvalRow[], calibration = "reports/calibration.md"): string {
  const verdict = isGuidanceStudy(rows) ? `${verdictMarkdown(rows)}\n\n` : "";
  const viewRows = rows.flatMap((r) => (r.views ? [{ label: r.label, views: r.views }] : []));
  const views = viewRows.length ? `\nEvery view, with 95 % intervals ([what each view sees](${calibration})):\n\n${viewsMarkdown(viewRows)}\n` : "";
  const old = allHaveIntervals(rows.map((r) => r.report)) ? "" : `\n${NO_INTERVALS_NOTE}\n`;
  return `${verdict}${markdown(rows)}\n${old}\nPer class (accuracy % / FD):\n\n${perClassMarkdown(rows)}\n${views}`;
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
