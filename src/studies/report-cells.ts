// How the studies' tables write a report's figures: each with ± its 95 % half-width. Accuracy's
// Wilson interval follows from the count alone, so rows saved before intervals were kept still get it.
import { formatEstimate, proportion, type Estimate } from "../eval/estimate.js";
import type { ClassReport, Report } from "../eval/metrics.js";

/** A report overall or of one class: its figures and, when measured, their intervals. */
type Scored = Pick<Report, "n" | "accuracy" | "confidence" | "fd" | "diversity" | "intervals"> | ClassReport;

/** Accuracy as "99.2 ± 0.8 %" (`digits` decimals). */
export function accuracyCell(r: Scored, digits = 1): string {
  const e = r.intervals?.accuracy ?? { ...proportion(Math.round(r.accuracy * r.n), r.n), value: r.accuracy };
  return `${formatEstimate(e, digits, 100)} %`;
}

/** A figure with its interval when one was measured, else the bare figure. */
function cell(value: number, e: Estimate | undefined, digits: number): string {
  return e ? formatEstimate(e, digits) : value.toFixed(digits);
}

/** Confidence, FD and diversity of a report, each "value ± half-width" when measured. */
export const confidenceCell = (r: Scored, digits = 3): string => cell(r.confidence, r.intervals?.confidence, digits);
export const fdCell = (r: Scored, digits = 2): string => cell(r.fd, r.intervals?.fd, digits);
export const diversityCell = (r: Scored, digits = 2): string => cell(r.diversity, r.intervals?.diversity, digits);

/** Whether every report carries its intervals; else tables say which figures lack them. */
export function allHaveIntervals(reports: readonly Scored[]): boolean {
  return reports.every((r) => r.intervals !== undefined);
}

/** The sentence under a table whose rows predate intervals. */
export const NO_INTERVALS_NOTE =
  "Rows saved before intervals were measured show accuracy's Wilson interval (it follows from the count) and the other figures bare; sample them again to get their intervals.";
