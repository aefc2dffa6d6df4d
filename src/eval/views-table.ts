// Views as markdown: one row per run, every metric with its 95 % interval, then which rows are within
// noise of the first (the baseline) on each metric, and the notes of views that could not be measured.
import { VIEW_METRICS, compare } from "./view-metrics.js";
import { formatEstimate } from "./estimate.js";
import type { Views } from "./views.js";

/** A labelled run's views. */
export interface ViewsRow {
  label: string;
  views: Views;
}

function cell(row: ViewsRow, i: number): string {
  const m = VIEW_METRICS[i]!;
  const e = m.get(row.views);
  return e && Number.isFinite(e.value) ? formatEstimate(e, m.digits, m.scale) : "—";
}

/** The views table; with two or more rows, each later row is compared with the first. */
export function viewsMarkdown(rows: readonly ViewsRow[]): string {
  if (!rows.length) return "";
  const head = `| run | ${VIEW_METRICS.map((m) => m.label).join(" | ")} |\n|---|${"---|".repeat(VIEW_METRICS.length)}`;
  const base = rows[0]!;
  const body = rows.map((r, ri) => {
    const cells = VIEW_METRICS.map((m, i) => {
      if (ri === 0) return cell(r, i);
      const v = compare(m, r.views, base.views).verdict;
      return `${cell(r, i)}${v === "worse" ? " ▼" : v === "better" ? " ▲" : ""}`;
    });
    return `| ${r.label} | ${cells.join(" | ")} |`;
  });
  const notes = rows.flatMap((r) => r.views.notes.map((n) => `- ${r.label}: ${n}`));
  const legend = rows.length > 1 ? `\n\n▼ worse and ▲ better than the first row (${base.label}) beyond noise (3 combined standard errors and the metric's floor); unmarked: within noise.` : "";
  return `${head}\n${body.join("\n")}${legend}${notes.length ? `\n\n${notes.join("\n")}` : ""}`;
}
