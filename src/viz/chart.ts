// Minimal line charts on grey canvases: one panel per metric, x = a shared axis (e.g. w or NFE).
import { canvas, type Canvas } from "./grid.js";
import { drawText, textWidth } from "./font.js";

export interface Series {
  name: string;
  ys: number[];
  shade: number; // grey level of the line
}

export interface ChartSpec {
  title: string;
  xs: number[];
  series: Series[];
  xLabel: string;
  logX?: boolean;
  /** Fixed y range (e.g. [0, 100] for a percentage); by default the data's range, widened to ticks. */
  yRange?: [number, number];
}

function line(c: Canvas, x0: number, y0: number, x1: number, y1: number, v: number, thick = 1): void {
  const n = Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0), 1);
  for (let i = 0; i <= n; i++) {
    const x = Math.round(x0 + ((x1 - x0) * i) / n), y = Math.round(y0 + ((y1 - y0) * i) / n);
    for (let d = 0; d < thick; d++) for (let e = 0; e < thick; e++) if (x + d < c.width && y + e < c.height && x >= 0 && y >= 0) c.px[(y + e) * c.width + x + d] = v;
  }
}

function fmt(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2);
}

/** A tick value without trailing zeros: 0.5, 1, 2.5, 120. */
export function tickLabel(v: number): string {
  return String(Number(fmt(v)));
}

/** "Nice" ticks (steps of 1, 2 or 5 × 10^k) covering [lo, hi]: the count closest to `target` (ties: more ticks). */
export function niceTicks(lo: number, hi: number, target = 5): number[] {
  if (!(hi > lo)) return [lo];
  const mag = 10 ** Math.floor(Math.log10((hi - lo) / Math.max(1, target - 1)));
  const span = (step: number): [number, number] => [Math.floor(lo / step + 1e-9), Math.ceil(hi / step - 1e-9)];
  let best = mag, bestErr = Infinity;
  for (const step of [1, 2, 5, 10].map((m) => m * mag)) {
    const [a, b] = span(step);
    const err = Math.abs(b - a + 1 - target);
    if (err < bestErr) [best, bestErr] = [step, err];
  }
  const [a, b] = span(best);
  const ticks: number[] = [];
  for (let i = a; i <= b; i++) ticks.push(i === 0 ? 0 : Number((i * best).toPrecision(12)));
  return ticks;
}

/** Indices of labels to draw left to right so that none overlaps the last one drawn (gap in px). */
export function nonOverlapping(centres: readonly number[], widths: readonly number[], gap = 4): number[] {
  const keep: number[] = [];
  let right = -Infinity;
  centres.forEach((c, i) => {
    const w = widths[i]!;
    if (c - w / 2 >= right + gap) {
      keep.push(i);
      right = c + w / 2;
    }
  });
  return keep;
}

/** One chart: axes, y ticks with light gridlines, x ticks at the data, a polyline and markers per series, a legend. */
export function chart(spec: ChartSpec, width = 360, height = 240): Canvas {
  const c = canvas(width, height);
  const L = 48, R = 12, T = 24, B = 34;
  drawText(c.px, width, Math.floor((width - textWidth(spec.title)) / 2), 6, spec.title, 0);
  const tx = (x: number) => (spec.logX ? Math.log(x) : x);
  const xs = spec.xs.map(tx);
  const all = spec.series.flatMap((s) => s.ys).filter(Number.isFinite);
  let lo: number, hi: number;
  let yTicks: number[];
  if (spec.yRange) {
    [lo, hi] = spec.yRange;
    yTicks = niceTicks(lo, hi).filter((v) => v >= lo && v <= hi);
  } else {
    lo = all.length ? Math.min(...all) : 0;
    hi = all.length ? Math.max(...all) : 1;
    if (!(hi > lo)) [lo, hi] = [lo - 1, hi + 1];
    yTicks = niceTicks(lo, hi);
    lo = yTicks[0]!;
    hi = yTicks[yTicks.length - 1]!;
  }
  const xmin = Math.min(...xs), xmax = Math.max(...xs) === xmin ? xmin + 1 : Math.max(...xs);
  const px = (x: number) => L + ((x - xmin) / (xmax - xmin)) * (width - L - R);
  const py = (y: number) => height - B - ((y - lo) / (hi - lo)) * (height - T - B);
  for (const v of yTicks) {
    const Y = Math.round(py(v));
    line(c, L + 1, Y, width - R, Y, 200); // gridline
    line(c, L - 3, Y, L, Y, 0);
    const t = tickLabel(v);
    drawText(c.px, width, L - 6 - textWidth(t), Y - 3, t, 0);
  }
  line(c, L, T, L, height - B, 0);
  line(c, L, height - B, width - R, height - B, 0);
  const labels = spec.xs.map(tickLabel);
  const centres = xs.map((x) => Math.round(px(x)));
  for (const X of centres) line(c, X, height - B, X, height - B + 3, 0);
  for (const i of nonOverlapping(centres, labels.map(textWidth))) {
    drawText(c.px, width, centres[i]! - Math.floor(textWidth(labels[i]!) / 2), height - B + 6, labels[i]!, 0);
  }
  drawText(c.px, width, Math.floor((width - textWidth(spec.xLabel)) / 2), height - 10, spec.xLabel, 0);
  spec.series.forEach((s, k) => {
    let prev: [number, number] | null = null;
    s.ys.forEach((y, i) => {
      if (!Number.isFinite(y)) return;
      const p: [number, number] = [Math.round(px(xs[i]!)), Math.round(py(y))];
      if (prev) line(c, prev[0], prev[1], p[0], p[1], s.shade, 2);
      for (let d = -2; d <= 2; d++) line(c, p[0] - 2, p[1] + d, p[0] + 2, p[1] + d, s.shade);
      prev = p;
    });
    const ly = T + 4 + k * 10;
    line(c, width - R - 70, ly + 3, width - R - 60, ly + 3, s.shade, 2);
    drawText(c.px, width, width - R - 56, ly, s.name, 0);
  });
  return c;
}

/** Charts side by side on one canvas. */
export function hstack(cs: readonly Canvas[]): Canvas {
  const W = cs.reduce((a, c) => a + c.width, 0), H = Math.max(...cs.map((c) => c.height));
  const out = canvas(W, H);
  let x0 = 0;
  for (const c of cs) {
    for (let y = 0; y < c.height; y++) out.px.set(c.px.subarray(y * c.width, (y + 1) * c.width), y * W + x0);
    x0 += c.width;
  }
  return out;
}
