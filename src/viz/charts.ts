// Line charts as SVG through Vega-Lite (compiled to Vega, rendered headless): panels side by side
// sharing one x axis kind, axis titles, one colour legend outside the plots, colours from palette.ts.
import type { TopLevelSpec } from "vega-lite";
import { coloursFor } from "./palette.js";
import { needingAsync } from "../io/optional-packages.js";
import { FONT_FAMILY, measureText } from "./typeface.js";

export interface ChartPoint {
  x: number;
  y: number;
  series: string;
  /** Where the point comes along its series' line (default: by x), e.g. w for a frontier. */
  order?: number;
}

export interface ChartPanel {
  title: string;
  yTitle: string;
  points: ChartPoint[];
  /** Fixed y range, e.g. [0, 100] for a percentage (default: the data's, not forced to include 0). */
  yDomain?: [number, number];
  /** Log y axis, for values spanning more than a few times. */
  yLog?: boolean;
  /** Tick positions on the y axis (default: Vega's). */
  yTicks?: number[];
  /** A dashed horizontal reference line, e.g. real digits' diversity. */
  reference?: { y: number; label: string };
  /** A dense curve (e.g. a loss log): a line without point markers. */
  dense?: boolean;
}

export interface ChartSpec {
  title: string;
  subtitle?: string;
  xTitle: string;
  xLog?: boolean;
  /** Tick positions on the x axis (default: Vega's). */
  xTicks?: number[];
  /** One x range for every panel (default: each panel's data). */
  xDomain?: [number, number];
  /** d3-format of the x labels (default "~g"; "d" for whole numbers such as minutes). */
  xFormat?: string;
  legendTitle: string;
  panels: ChartPanel[];
}

/** Type sizes (px at 1×): every text is ≥ 12 px. */
export const CHART_STYLE = { title: 17, subtitle: 13, panelTitle: 14, axisTitle: 13, axisLabel: 12, legend: 13, width: 250, height: 190 };

/** Series names in order of first appearance. */
function seriesOf(spec: ChartSpec): string[] {
  return [...new Set(spec.panels.flatMap((p) => p.points.map((q) => q.series)))];
}

export function vegaLiteSpec(spec: ChartSpec): TopLevelSpec {
  const S = CHART_STYLE, names = seriesOf(spec);
  const x = { field: "x", type: "quantitative" as const, scale: { type: spec.xLog ? ("log" as const) : ("linear" as const), nice: false, padding: 12, ...(spec.xDomain ? { domain: spec.xDomain } : {}) }, axis: { title: spec.xTitle, format: spec.xFormat ?? "~g", labelOverlap: true, ...(spec.xTicks ? { values: spec.xTicks } : {}), grid: false } };
  const color = { field: "series", type: "nominal" as const, scale: { domain: names, range: coloursFor(names) }, legend: { title: spec.legendTitle, orient: "right" as const } };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: spec.title, ...(spec.subtitle ? { subtitle: spec.subtitle } : {}), anchor: "middle", fontSize: S.title, subtitleFontSize: S.subtitle, subtitleColor: "#444", offset: 12 },
    background: "white",
    padding: 12,
    config: {
      font: `${FONT_FAMILY}, sans-serif`,
      axis: { labelFontSize: S.axisLabel, titleFontSize: S.axisTitle, titleFontWeight: "normal", titleColor: "#222", labelColor: "#222", gridColor: "#e6e6e6" },
      legend: { labelFontSize: S.legend, titleFontSize: S.legend, symbolSize: 120, symbolStrokeWidth: 3 },
      header: { labelFontSize: S.panelTitle },
      view: { stroke: "#bbb" },
      concat: { spacing: 28 },
    },
    hconcat: spec.panels.map((p) => ({
      width: S.width,
      height: S.height,
      title: { text: p.title, fontSize: S.panelTitle, fontWeight: "bold" as const, anchor: "middle" as const },
      layer: [
        {
          data: { values: p.points },
          mark: { type: "line" as const, strokeWidth: 2.5, point: p.dense ? false : { filled: true, size: 55 } },
          encoding: {
            x, y: { field: "y", type: "quantitative" as const, scale: { ...(p.yLog ? { type: "log" as const } : { zero: false }), ...(p.yDomain ? { domain: p.yDomain, nice: false } : {}), padding: 8 }, axis: { title: p.yTitle, ...(p.yTicks ? { values: p.yTicks } : {}) } }, color,
            ...(p.points.some((q) => q.order !== undefined) ? { order: { field: "order", type: "quantitative" as const } } : {}),
          },
        },
        ...(p.reference
          ? [
              { data: { values: [{ y: p.reference.y }] }, mark: { type: "rule" as const, strokeDash: [5, 4], color: "#777" }, encoding: { y: { field: "y", type: "quantitative" as const } } },
              { data: { values: [{ y: p.reference.y, label: p.reference.label }] }, mark: { type: "text" as const, align: "right" as const, dy: -7, x: S.width - 4, fontSize: 12, color: "#555" }, encoding: { y: { field: "y", type: "quantitative" as const }, text: { field: "label" } } },
            ]
          : []),
      ],
    })),
    resolve: { scale: { color: "shared" } },
  } as TopLevelSpec;
}

interface TextItem {
  fontSize?: number;
  fontWeight?: string | number;
}
interface TextMetrics {
  width(item: TextItem, text: unknown): number;
}

/** Vega and Vega-Lite, loaded on first use (they are large; most commands draw no chart). */
async function libs() {
  const [vega, vl] = await Promise.all([needingAsync("charts", () => import("vega")), needingAsync("charts", () => import("vega-lite"))]);
  // Vega lays out text with a rough estimate unless it can measure it: give it the shipped font's metrics.
  const metrics = (vega as unknown as { textMetrics: TextMetrics }).textMetrics;
  metrics.width = (item, text) => {
    const s = Array.isArray(text) ? text.map(String) : [text == null ? "" : String(text)];
    const bold = item.fontWeight === "bold" || Number(item.fontWeight) >= 600;
    return Math.max(0, ...s.map((line) => measureText(line, item.fontSize ?? 11, bold ? "bold" : "normal")));
  };
  return { vega, compile: vl.compile };
}

/** The chart as a standalone SVG document. */
export async function chartSvg(spec: ChartSpec): Promise<string> {
  const { vega, compile } = await libs();
  const view = new vega.View(vega.parse(compile(vegaLiteSpec(spec)).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
