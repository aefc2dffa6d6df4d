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

/** One chart: axes, min/max labels, a polyline and markers per series, and a legend. */
export function chart(spec: ChartSpec, width = 360, height = 240): Canvas {
  const c = canvas(width, height);
  const L = 48, R = 12, T = 24, B = 34;
  drawText(c.px, width, Math.floor((width - textWidth(spec.title)) / 2), 6, spec.title, 0);
  const tx = (x: number) => (spec.logX ? Math.log(x) : x);
  const xs = spec.xs.map(tx);
  const all = spec.series.flatMap((s) => s.ys).filter(Number.isFinite);
  let lo = Math.min(...all), hi = Math.max(...all);
  if (!(hi > lo)) [lo, hi] = [lo - 1, hi + 1];
  const pad = (hi - lo) * 0.08;
  lo -= pad;
  hi += pad;
  const xmin = Math.min(...xs), xmax = Math.max(...xs) === xmin ? xmin + 1 : Math.max(...xs);
  const px = (x: number) => L + ((x - xmin) / (xmax - xmin)) * (width - L - R);
  const py = (y: number) => height - B - ((y - lo) / (hi - lo)) * (height - T - B);
  line(c, L, T, L, height - B, 0);
  line(c, L, height - B, width - R, height - B, 0);
  drawText(c.px, width, 2, T, fmt(hi), 0);
  drawText(c.px, width, 2, height - B - 8, fmt(lo), 0);
  spec.xs.forEach((x, i) => {
    const X = Math.round(px(xs[i]!));
    line(c, X, height - B, X, height - B + 3, 0);
    drawText(c.px, width, X - Math.floor(textWidth(fmt(x)) / 2), height - B + 6, fmt(x), 0);
  });
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
