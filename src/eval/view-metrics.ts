// The views as a flat list of metrics, each with the direction that is worse, a unit for tables and
// the smallest change that counts (beside the noise): what tables, comparisons and calibration iterate.
import type { Estimate } from "./estimate.js";
import type { Views } from "./views.js";

/** One metric of the views. */
export interface ViewMetric {
  key: string;
  label: string;
  /** Which way is worse. */
  worse: "higher" | "lower";
  /** Table format: decimals and scale (100 for %). */
  digits: number;
  scale: number;
  /** The smallest difference from clean that counts, as a fraction of the clean value plus an absolute part. */
  floor: { relative: number; absolute: number };
  /** The metric's estimate in a set of views (null when that view was not measured). */
  get: (v: Views) => Estimate | null;
}

const NONE = null;

/** Every metric, in table order. */
export const VIEW_METRICS: readonly ViewMetric[] = [
  { key: "accuracy", label: "accuracy (%)", worse: "lower", digits: 1, scale: 100, floor: { relative: 0, absolute: 0.02 }, get: (v) => v.accuracy },
  { key: "fdJudge", label: "FD, judge", worse: "higher", digits: 1, scale: 1, floor: { relative: 0.2, absolute: 0 }, get: (v) => v.fdJudge },
  { key: "kidJudge", label: "KID, judge", worse: "higher", digits: 2, scale: 1, floor: { relative: 0, absolute: 0 }, get: (v) => v.kidJudge },
  { key: "fdTexture", label: "FD, texture", worse: "higher", digits: 2, scale: 1, floor: { relative: 0.2, absolute: 0 }, get: (v) => v.fdTexture },
  { key: "kidTexture", label: "KID, texture", worse: "higher", digits: 2, scale: 1, floor: { relative: 0, absolute: 0 }, get: (v) => v.kidTexture },
  { key: "background", label: "background level (%)", worse: "higher", digits: 2, scale: 100, floor: { relative: 0, absolute: 0.003 }, get: (v) => v.background.level },
  { key: "precision", label: "precision (%)", worse: "lower", digits: 1, scale: 100, floor: { relative: 0, absolute: 0.03 }, get: (v) => v.fidelity?.precision ?? NONE },
  { key: "recall", label: "recall (%)", worse: "lower", digits: 1, scale: 100, floor: { relative: 0, absolute: 0.03 }, get: (v) => v.fidelity?.recall ?? NONE },
  { key: "density", label: "density", worse: "lower", digits: 2, scale: 1, floor: { relative: 0, absolute: 0.05 }, get: (v) => v.fidelity?.density ?? NONE },
  { key: "coverage", label: "coverage (%)", worse: "lower", digits: 1, scale: 100, floor: { relative: 0, absolute: 0.03 }, get: (v) => v.fidelity?.coverage ?? NONE },
  { key: "diversity", label: "diversity", worse: "lower", digits: 3, scale: 1, floor: { relative: 0, absolute: 0.02 }, get: (v) => v.diversity },
  { key: "memorisation", label: "memorised (%)", worse: "higher", digits: 1, scale: 100, floor: { relative: 0, absolute: 0.05 }, get: (v) => v.memorisation?.rate ?? NONE },
];

/** How a row compares with a baseline on one metric. */
export type Comparison = "worse" | "within noise" | "better" | "n/a";

/** Standard errors apart that count as a difference. */
export const NOISE_Z = 3;

/**
 * Compares a row with a baseline: "worse" when it is worse by more than NOISE_Z combined standard
 * errors and by more than the metric's floor; "better" the same the other way; else "within noise".
 */
export function compare(m: ViewMetric, row: Views, base: Views): { verdict: Comparison; delta: number; margin: number } {
  const a = m.get(row), b = m.get(base);
  if (!a || !b || !Number.isFinite(a.value) || !Number.isFinite(b.value)) return { verdict: "n/a", delta: NaN, margin: NaN };
  const se = Math.hypot(Number.isFinite(a.se) ? a.se : 0, Number.isFinite(b.se) ? b.se : 0);
  const margin = Math.max(NOISE_Z * se, m.floor.relative * Math.abs(b.value) + m.floor.absolute);
  const delta = (a.value - b.value) * (m.worse === "higher" ? 1 : -1); // > 0: worse
  return { verdict: delta > margin ? "worse" : delta < -margin ? "better" : "within noise", delta, margin };
}
