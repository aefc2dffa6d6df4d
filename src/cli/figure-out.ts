// The figure flags every picture-writing command shares: --png FILE (rasterized at --scale),
// --svg FILE (the same figure as vector), both written atomically.
import { num, str, UsageError } from "./args.js";
import { ensureWritableFile } from "./writable.js";
import { svgToPng } from "../viz/raster.js";
import { writeFileAtomic } from "../io/atomic.js";
import { assertInstalled } from "../io/optional-packages.js";

export const FIGURE_FLAGS = { png: { type: "string" }, svg: { type: "string" }, scale: { type: "string" } } as const;

export const FIGURE_HELP = `  --svg FILE             the same figure as SVG (sharp at any size)
  --scale N              PNG pixels per figure pixel, 1–8 (default 1: 64 px tiles, text ≥ 12 px)`;

export interface FigureOutputs {
  png?: string;
  svg?: string;
  scale: number;
}

/** Reads --png, --svg and --scale (no side effects; checkFigureOutputs checks the files). */
export function figureOutputs(v: Record<string, string | boolean | undefined>): FigureOutputs {
  const png = str(v["png"]), svg = str(v["svg"]);
  const scale = num("scale", v["scale"], { int: true, min: 1, max: 8 }) ?? 1;
  return { ...(png ? { png } : {}), ...(svg ? { svg } : {}), scale };
}

/** Checks that the figure's files can be written and the figure packages are installed (one clear line if not). */
export function checkFigureOutputs(out: FigureOutputs): void {
  if (out.png || out.svg) assertInstalled("figures");
  if (out.png) ensureWritableFile(out.png, "--png");
  if (out.svg) ensureWritableFile(out.svg, "--svg");
  if (out.png && !/\.png$/i.test(out.png)) throw new UsageError(`--png must name a .png file, got ${out.png}`);
  if (out.svg && !/\.svg$/i.test(out.svg)) throw new UsageError(`--svg must name a .svg file, got ${out.svg}`);
}

/** Writes the figure to each requested file; returns the files written. */
export async function writeFigure(svg: string, out: FigureOutputs): Promise<string[]> {
  const written: string[] = [];
  if (out.svg) {
    writeFileAtomic(out.svg, svg);
    written.push(out.svg);
  }
  if (out.png) {
    writeFileAtomic(out.png, await svgToPng(svg, out.scale));
    written.push(out.png);
  }
  return written;
}
