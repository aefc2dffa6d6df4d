// The few-step report's chart: Fréchet distance against network evaluations, one panel per w, a line
// per few-step model and for the teacher's Euler runs, the teacher's reference samplers as points.
import type { ChartPoint, ChartSpec } from "./charts.js";

/** What the chart needs of a few-step study row. */
export interface FewStepChartRow {
  series: string;
  w: number;
  nfe: number;
  fd: number;
}

/** FD (log) against NFE (log), one panel per w. */
export function fewStepChartSpec(rows: readonly FewStepChartRow[], digitsPerClass: number): ChartSpec | null {
  if (rows.length < 2) return null;
  const ws = [...new Set(rows.map((r) => r.w))].sort((a, b) => a - b);
  const fds = rows.map((r) => r.fd).filter((v) => v > 0);
  const steps = [1, 2, 5].flatMap((m) => [0, 1, 2, 3, 4].map((e) => m * 10 ** e)).sort((a, b) => a - b);
  const lo = steps.filter((v) => v <= Math.min(...fds)).pop() ?? Math.min(...fds), hi = steps.find((v) => v >= Math.max(...fds)) ?? Math.max(...fds);
  const nfeTicks = [1, 2, 4, 10, 20, 50, 100, 200].filter((t) => rows.some((r) => r.nfe <= t * 1.5) && rows.some((r) => r.nfe >= t / 1.5));
  return {
    title: "Few-step generation: Fréchet distance against network evaluations",
    subtitle: `${digitsPerClass} digits per class and run; lower is better`,
    xTitle: "network evaluations (NFE, log scale)",
    xLog: true,
    xTicks: nfeTicks,
    legendTitle: "sampler",
    panels: ws.map((w) => ({
      title: `w = ${w}`,
      yTitle: "FD on judge features (log scale)",
      yLog: true,
      yDomain: [lo, hi] as [number, number],
      yTicks: steps.filter((v) => v >= lo && v <= hi),
      points: rows.filter((r) => r.w === w && r.fd > 0).map((r): ChartPoint => ({ x: r.nfe, y: r.fd, series: r.series })),
    })),
  };
}
