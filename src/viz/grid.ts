// Image grids as grey-level pixel buffers: tiles in [−1, 1] laid out in rows, panels with titles
// and row labels. Pure code (no I/O); png.ts encodes, the web page draws the same buffers.
import { drawText, textWidth, GLYPH_H } from "./font.js";

/** A grey-level picture: width, height and one byte per pixel. */
export interface Canvas {
  width: number;
  height: number;
  px: Uint8Array; // grey 0..255
}

export function canvas(width: number, height: number, fill = 255): Canvas {
  return { width, height, px: new Uint8Array(width * height).fill(fill) };
}

/** [−1, 1] → 0..255 (white digit on black, as MNIST). */
export function toByte(v: number): number {
  const b = Math.round(((v + 1) / 2) * 255);
  return b < 0 ? 0 : b > 255 ? 255 : b;
}

/** Copies image n of `images` ([N, S, S] flattened) into c at (x, y), scaled by `zoom`. */
export function blit(c: Canvas, images: Float32Array, n: number, size: number, x: number, y: number, zoom = 1): void {
  const off = n * size * size;
  for (let r = 0; r < size * zoom; r++)
    for (let q = 0; q < size * zoom; q++) {
      const v = toByte(images[off + Math.floor(r / zoom) * size + Math.floor(q / zoom)]!);
      const X = x + q, Y = y + r;
      if (X < c.width && Y < c.height) c.px[Y * c.width + X] = v;
    }
}

/** One titled panel of image tiles for panels(). */
export interface PanelSpec {
  title: string;
  images: Float32Array; // [rows*cols, S, S]
  rows: number;
  cols: number;
  rowLabels?: string[];
}

const TITLE_SCALE = 2;

/** Where tile (row r, column q) of the first panel starts in a panels() canvas. */
export function tileOrigin(specs: readonly PanelSpec[], r: number, q: number, size = 32, zoom = 1, gap = 2): [number, number] {
  const labelW = specs.some((s) => s.rowLabels) ? textWidth("∅", TITLE_SCALE) + 8 : 0;
  const titleH = GLYPH_H * TITLE_SCALE + 8;
  return [labelW + 4 + q * (size * zoom + gap), titleH + r * (size * zoom + gap)];
}

/** Panels side by side, each titled, with optional row labels on the left of the first. */
export function panels(specs: readonly PanelSpec[], size = 32, zoom = 1, gap = 2): Canvas {
  const scale = TITLE_SCALE;
  const labelW = specs.some((s) => s.rowLabels) ? textWidth("∅", scale) + 8 : 0;
  const titleH = GLYPH_H * scale + 8;
  const tile = size * zoom;
  const panelW = (s: PanelSpec) => s.cols * (tile + gap) - gap;
  const panelH = (s: PanelSpec) => s.rows * (tile + gap) - gap;
  const W = labelW + specs.reduce((a, s) => a + panelW(s), 0) + 12 * (specs.length - 1) + 8;
  const H = titleH + Math.max(...specs.map(panelH)) + 8;
  const c = canvas(W, H);
  let x = labelW + 4;
  specs.forEach((s, k) => {
    drawText(c.px, W, x + Math.floor((panelW(s) - textWidth(s.title, scale)) / 2), 4, s.title, 0, scale);
    for (let r = 0; r < s.rows; r++) {
      if (k === 0 && s.rowLabels?.[r]) drawText(c.px, W, 4, titleH + r * (tile + gap) + Math.floor((tile - GLYPH_H * scale) / 2), s.rowLabels[r]!, 0, scale);
      for (let q = 0; q < s.cols; q++) blit(c, s.images, r * s.cols + q, size, x + q * (tile + gap), titleH + r * (tile + gap), zoom);
    }
    x += panelW(s) + 12;
  });
  return c;
}

/** Options of imageGrid: the layout of the tiles. */
export interface ImageGridOptions {
  /** Tiles per row (default: all images in one row). */
  cols?: number;
  /** Nearest-neighbour upscaling of each tile (default 2). */
  zoom?: number;
  /** Pixels between tiles (default 2). */
  gap?: number;
  /** Side of each square image (default 32). */
  size?: number;
}

/** Images in [−1, 1] ([N, S, S] flattened, e.g. generate()'s output) as one grid, row-major, no titles. */
export function imageGrid(images: Float32Array, o: ImageGridOptions = {}): Canvas {
  const size = o.size ?? 32, zoom = o.zoom ?? 2, gap = o.gap ?? 2;
  const n = Math.floor(images.length / (size * size));
  if (n < 1 || n * size * size !== images.length) throw new RangeError(`imageGrid: ${images.length} values are not a whole number of ${size}×${size} images`);
  const cols = Math.max(1, Math.min(n, o.cols ?? n));
  const rows = Math.ceil(n / cols);
  const tile = size * zoom + gap;
  const c = canvas(cols * tile + gap, rows * tile + gap, 0);
  for (let i = 0; i < n; i++) blit(c, images, i, size, gap + (i % cols) * tile, gap + Math.floor(i / cols) * tile, zoom);
  return c;
}
