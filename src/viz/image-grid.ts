// Image-grid figures as SVG: a title, panels of image tiles (each optionally titled, with column
// labels), and row labels on the left. Tiles are embedded as grey or RGB PNGs drawn ≥ 64 px per side with
// nearest-neighbour upscaling (image-rendering="optimizeSpeed"). Pure: plain data in, SVG out.
import { toByte } from "./grid.js";
import { encodePng } from "./png.js";
import { document, esc, labelWidth, text } from "./svg.js";

export interface GridPanel {
  title?: string;
  images: Float32Array; // [rows·cols, C, S, S] in [−1, 1], row-major
  rows: number;
  cols: number;
  /** One label above each column (e.g. "t = 0.25"). */
  colLabels?: string[];
}

export interface GridFigureSpec {
  title: string;
  subtitle?: string;
  panels: GridPanel[];
  /** One label left of each row (e.g. the class, "∅" for unconditional). */
  rowLabels?: string[];
  /** A word above the row labels (e.g. "class"). */
  rowHeader?: string;
  /** Image side S in pixels (default 32). */
  size?: number;
  /** Image channels C: 1 (grey, default) or 3 (RGB planes). */
  channels?: number;
}

/** Type sizes (px at 1×) and spacing: every text is ≥ 12 px, every tile ≥ 64 px. */
export const GRID_STYLE = { title: 17, subtitle: 13, panelTitle: 15, colLabel: 13, rowLabel: 15, rowHeader: 12, pad: 14, gap: 4, panelGap: 28, minTile: 64 };

/** Display side of a tile: the smallest whole multiple of S that is ≥ 64 px. */
export function tileSide(size: number): number {
  return size * Math.max(1, Math.ceil(GRID_STYLE.minTile / size));
}

/** Image n of `images` ([N, C, S, S], C = 1 or 3) as a grey or RGB PNG data URI. */
export function tileUri(images: Float32Array, n: number, size: number, channels = 1): string {
  const P = size * size, C = channels;
  const px = new Uint8Array(P * C); // [S, S, C] interleaved
  const off = n * P * C;
  if (off + P * C > images.length) throw new RangeError(`tile ${n} is past the end of the images (${images.length / (P * C)} tiles)`);
  for (let i = 0; i < P; i++) for (let c = 0; c < C; c++) px[i * C + c] = toByte(images[off + c * P + i]!);
  return `data:image/png;base64,${Buffer.from(encodePng({ width: size, height: size, px, channels: C === 3 ? 3 : 1 })).toString("base64")}`;
}

/** The whole figure. Width grows to fit the longest title, so no text runs off the image. */
export function gridFigure(spec: GridFigureSpec): string {
  const S = GRID_STYLE, size = spec.size ?? 32, tile = tileSide(size);
  const rowLabels = spec.rowLabels ?? [];
  const labelW = rowLabels.length || spec.rowHeader ? Math.ceil(Math.max(0, ...rowLabels.map((l) => labelWidth(l, S.rowLabel)), labelWidth(spec.rowHeader ?? "", S.rowHeader))) + 12 : 0;
  const panelW = (p: GridPanel) => p.cols * (tile + S.gap) - S.gap;
  const panelH = (p: GridPanel) => p.rows * (tile + S.gap) - S.gap;
  const contentW = labelW + spec.panels.reduce((a, p) => a + Math.max(panelW(p), p.title ? labelWidth(p.title, S.panelTitle, "bold") : 0), 0) + S.panelGap * (spec.panels.length - 1);
  const titleW = Math.max(labelWidth(spec.title, S.title, "bold"), spec.subtitle ? labelWidth(spec.subtitle, S.subtitle) : 0);
  const W = Math.ceil(Math.max(contentW, titleW) + 2 * S.pad);
  let y = S.pad + S.title;
  const body: string[] = [text(W / 2, y, spec.title, { size: S.title, anchor: "middle", weight: "bold" })];
  if (spec.subtitle) {
    y += S.subtitle + 7;
    body.push(text(W / 2, y, spec.subtitle, { size: S.subtitle, anchor: "middle", fill: "#444" }));
  }
  y += 12;
  const hasTitles = spec.panels.some((p) => p.title), hasCols = spec.panels.some((p) => p.colLabels);
  if (hasTitles) y += S.panelTitle + 6;
  const titleY = y - 6;
  if (hasCols) y += S.colLabel + 8;
  else if (!hasTitles && spec.rowHeader) y += S.rowHeader + 6;
  const colY = y - 8;
  const top = y;
  let x = Math.round(S.pad + (W - 2 * S.pad - contentW) / 2 + labelW); // whole pixels: tiles stay sharp at 1×
  if (spec.rowHeader) body.push(text(x - 12, hasCols ? colY : top - 6, spec.rowHeader, { size: S.rowHeader, anchor: "end", fill: "#444" }));
  rowLabels.forEach((l, r) => body.push(text(x - 12, top + r * (tile + S.gap) + tile / 2 + S.rowLabel * 0.36, l, { size: S.rowLabel, anchor: "end" })));
  for (const p of spec.panels) {
    const w = Math.max(panelW(p), p.title ? labelWidth(p.title, S.panelTitle, "bold") : 0);
    const x0 = Math.round(x + (w - panelW(p)) / 2);
    if (p.title) body.push(text(x0 + panelW(p) / 2, titleY, p.title, { size: S.panelTitle, anchor: "middle", weight: "bold" }));
    p.colLabels?.forEach((l, q) => body.push(text(x0 + q * (tile + S.gap) + tile / 2, colY, l, { size: S.colLabel, anchor: "middle" })));
    for (let r = 0; r < p.rows; r++)
      for (let q = 0; q < p.cols; q++) {
        const uri = tileUri(p.images, r * p.cols + q, size, spec.channels ?? 1);
        body.push(`<image x="${x0 + q * (tile + S.gap)}" y="${top + r * (tile + S.gap)}" width="${tile}" height="${tile}" image-rendering="optimizeSpeed" style="image-rendering:pixelated" href="${esc(uri)}"/>`);
      }
    x += w + S.panelGap;
  }
  const H = Math.ceil(top + Math.max(...spec.panels.map(panelH)) + S.pad);
  return document(W, H, body);
}
