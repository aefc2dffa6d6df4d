// The eval reports' charts from their rows (the shape of reports/*.json): the guidance sweep
// (accuracy, Fréchet distance, diversity against w, one line per guidance method) and the solver
// study (the same against network evaluations, one line per solver).
import type { ChartPanel, ChartPoint, ChartSpec } from "./charts.js";

export interface ChartRow {
  label: string;
  w: number | null;
  solver: string | null;
  steps: number | null;
  nfe: number | null;
  /** Guidance method (default "cfg"). */
  guidance?: string;
  report: { n: number; accuracy: number; fd: number; diversity: number };
}

const DISPLAY: Record<string, string> = { euler: "Euler", midpoint: "midpoint", heun: "Heun", rk4: "RK4", cfg: "CFG" };
const display = (name: string) => DISPLAY[name] ?? name;

/** A solver study's rows are labelled "<solver> NFE <n>". */
export function isSolverStudy(rows: readonly ChartRow[]): boolean {
  return rows.length > 0 && rows.every((r) => r.label.includes("NFE") && r.solver !== null && r.nfe !== null);
}

function panels(rows: readonly ChartRow[], x: (r: ChartRow) => number, series: (r: ChartRow) => string): ChartPanel[] {
  const pts = (y: (r: ChartRow) => number): ChartPoint[] => rows.map((r) => ({ x: x(r), y: y(r), series: series(r) })).filter((p) => Number.isFinite(p.y));
  return [
    { title: "Judge accuracy", yTitle: "accuracy (%)", yDomain: [0, 100], points: pts((r) => r.report.accuracy * 100) },
    fdPanel(pts((r) => r.report.fd)),
    { title: "Diversity", yTitle: "diversity (1 = real digits)", points: pts((r) => r.report.diversity), reference: { y: 1, label: "real digits" } },
  ];
}

/** FD on a log axis when one run is far off the rest (e.g. a 1-step solver), so the others stay readable. */
function fdPanel(points: ChartPoint[]): ChartPanel {
  const ys = points.map((p) => p.y).filter((y) => y > 0);
  const yLog = ys.length === points.length && Math.max(...ys) > 4 * Math.min(...ys);
  const panel: ChartPanel = { title: "Fréchet distance (lower is better)", yTitle: "FD on judge features", points };
  if (!yLog) return panel;
  // a 1–2–5 axis from the 1–2–5 value below the smallest FD to the one above the largest
  const steps = [1, 2, 5].flatMap((m) => [-1, 0, 1, 2, 3, 4, 5].map((e) => m * 10 ** e)).sort((a, b) => a - b);
  const lo = steps.filter((v) => v <= Math.min(...ys)).pop() ?? Math.min(...ys), hi = steps.find((v) => v >= Math.max(...ys)) ?? Math.max(...ys);
  return { ...panel, yTitle: "FD on judge features (log scale)", yLog, yDomain: [lo, hi], yTicks: steps.filter((v) => v >= lo && v <= hi) };
}

/** The chart for an eval run, or null when there is nothing to plot (fewer than two rows, or judged samples). */
export function evalChartSpec(rows: readonly ChartRow[]): ChartSpec | null {
  if (rows.length < 2) return null;
  const perClass = (r: ChartRow) => Math.round(r.report.n / 10);
  if (isSolverStudy(rows)) {
    const ws = [...new Set(rows.map((r) => r.w))];
    const nfes = [...new Set(rows.map((r) => r.nfe!))];
    const ticks = [10, 20, 50, 100, 200, 500, 1000].filter((t) => t >= Math.min(...nfes) * 0.8 && t <= Math.max(...nfes) * 1.25);
    return {
      title: `Solver study: quality against network evaluations${ws.length === 1 && ws[0] !== null ? ` (w = ${ws[0]})` : ""}`,
      subtitle: `${perClass(rows[0]!)} digits per class and run`,
      xTitle: "network evaluations (NFE, log scale)",
      xLog: true,
      xTicks: ticks,
      legendTitle: "solver",
      panels: panels(rows, (r) => r.nfe!, (r) => display(r.solver!)),
    };
  }
  if (rows.some((r) => r.w === null)) return null;
  const solvers = [...new Set(rows.map((r) => `${r.solver ?? "?"}, ${r.steps ?? "?"} steps`))];
  return {
    title: "What guidance does: quality against the guidance scale w",
    subtitle: `${solvers.join("; ")}; ${perClass(rows[0]!)} digits per class and w`,
    xTitle: rows.every((r) => r.w! > 0) ? "guidance scale w (log scale)" : "guidance scale w",
    xLog: rows.every((r) => r.w! > 0),
    xTicks: [...new Set(rows.map((r) => r.w!))].sort((a, b) => a - b),
    legendTitle: "guidance",
    panels: panels(rows, (r) => r.w!, methodOf),
  };
}

/** A guidance method's series name: its kind ("interval:0.16:0.78" → "interval"), CFG when absent. */
function methodOf(r: ChartRow): string {
  return display((r.guidance ?? "cfg").split(":")[0]!);
}

/** The frontier chart's window: runs beyond it (a diverging method) are named in the subtitle instead. */
const FRONTIER = { maxFd: 150, maxErrorPct: 10 };

/**
 * The guidance study's frontier: the judge's error rate and diversity against Fréchet distance, one curve
 * per method joining its runs in order of w (lower left is better on the left panel). The error rate is
 * 100 % − accuracy, so the region near certainty, where the methods differ, is readable.
 */
export function frontierChartSpec(rows: readonly ChartRow[]): ChartSpec | null {
  if (rows.length < 2 || rows.some((r) => r.w === null)) return null;
  const inside = (r: ChartRow) => r.report.fd > 0 && r.report.fd <= FRONTIER.maxFd && (1 - r.report.accuracy) * 100 <= FRONTIER.maxErrorPct;
  const shown = rows.filter(inside), off = rows.filter((r) => !inside(r));
  const pts = (y: (r: ChartRow) => number): ChartPoint[] => shown.map((r) => ({ x: r.report.fd, y: y(r), series: methodOf(r), order: r.w! })).filter((p) => Number.isFinite(p.y));
  const ws = [...new Set(rows.map((r) => r.w!))].sort((a, b) => a - b);
  const fds = shown.map((r) => r.report.fd);
  const steps = [1, 2, 5].flatMap((m) => [0, 1, 2, 3].map((e) => m * 10 ** e)).sort((a, b) => a - b);
  const lo = steps.filter((v) => v <= Math.min(...fds)).pop() ?? Math.min(...fds), hi = steps.find((v) => v >= Math.max(...fds)) ?? Math.max(...fds);
  const offText = off.length ? `; off the chart: ${off.map((r) => `${methodOf(r)} w = ${r.w} (${(r.report.accuracy * 100).toFixed(0)} %, FD ${r.report.fd.toFixed(0)})`).join(", ")}` : "";
  return {
    title: "Guidance methods: certainty and variety against fidelity",
    subtitle: `each method swept over w = ${ws.join(", ")}; ${Math.round(rows[0]!.report.n / 10)} digits per class and run${offText}`,
    xTitle: "Fréchet distance to MNIST (log scale, lower is better)",
    xLog: true,
    xTicks: steps.filter((v) => v >= lo && v <= hi),
    legendTitle: "guidance",
    panels: [
      { title: "Judge errors against FD", yTitle: "digits misread (%)", yDomain: [0, FRONTIER.maxErrorPct], points: pts((r) => (1 - r.report.accuracy) * 100), reference: { y: 0.5, label: "lab's certainty (99.5 %)" } },
      { title: "Diversity against FD", yTitle: "diversity (1 = real digits)", points: pts((r) => r.report.diversity), reference: { y: 1, label: "real digits" } },
    ],
  };
}
