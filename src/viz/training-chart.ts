// The time-to-quality chart of a training run: smoothed loss, judge accuracy, Fréchet distance and
// diversity against minutes of training, a line per w (the loss from the run's log, the rest per snapshot).
import type { ChartPoint, ChartSpec } from "./charts.js";
import type { LossPoint } from "./loss-point.js";

/** What the chart needs of one judged snapshot. */
export interface TrainingChartRow {
  seconds: number;
  w: number;
  accuracy: number;
  fd: number;
  diversity: number;
}

export type { LossPoint } from "./loss-point.js";

/** Round minute ticks from 0 past `max`, about five of them. */
export function minuteTicks(max: number): number[] {
  const step = [1, 2, 5, 10, 15, 20, 30, 60, 120, 240].find((s) => max / s <= 6) ?? Math.ceil(max / 6 / 60) * 60;
  return Array.from({ length: Math.floor(max / step) + 1 }, (_, i) => i * step);
}

/** Four panels against training minutes; null when fewer than two snapshots were judged. */
export function trainingChartSpec(rows: readonly TrainingChartRow[], loss: readonly LossPoint[], title: string, subtitle: string): ChartSpec | null {
  if (new Set(rows.map((r) => r.seconds)).size < 2) return null;
  const series = (w: number) => `w = ${w}`;
  const per = (value: (r: TrainingChartRow) => number): ChartPoint[] => rows.map((r) => ({ x: r.seconds / 60, y: value(r), series: series(r.w) }));
  const fds = rows.map((r) => r.fd).filter((v) => v > 0);
  const maxMinutes = Math.max(...rows.map((r) => r.seconds), ...loss.map((p) => p.seconds)) / 60;
  const losses = loss.map((p) => p.loss).filter((v) => v > 0);
  const steep = losses.length > 0 && Math.max(...losses) / Math.min(...losses) > 8;
  const wide = fds.length > 0 && Math.max(...fds) / Math.min(...fds) > 8;
  return {
    title,
    subtitle,
    xTitle: "minutes of training",
    xFormat: "d",
    xDomain: [0, maxMinutes],
    xTicks: minuteTicks(maxMinutes),
    legendTitle: "series",
    panels: [
      { title: "training loss (smoothed)", yTitle: steep ? "loss (log scale)" : "loss", dense: true, ...(steep ? { yLog: true } : {}), points: loss.map((p) => ({ x: p.seconds / 60, y: p.loss, series: "loss" })) },
      { title: "judge accuracy", yTitle: "accuracy (%)", points: per((r) => r.accuracy * 100) },
      { title: "Fréchet distance (lower is better)", yTitle: wide ? "FD on judge features (log scale)" : "FD on judge features", ...(wide ? { yLog: true } : {}), points: per((r) => r.fd).filter((p) => p.y > 0) },
      { title: "diversity", yTitle: "within-class spread ÷ real digits'", points: per((r) => r.diversity), reference: { y: 1, label: "real digits" } },
    ],
  };
}
