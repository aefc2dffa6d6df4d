// Image grids as grey-level pixel buffers: tiles in [−1, 1] laid out in rows, no text (figures with
// text are SVG: image-grid.ts, lab-figures.ts). Pure code (no I/O); png.ts encodes.

/** A picture: width, height and one byte per pixel (grey), or three (RGB, interleaved) when channels is 3. */
export interface Canvas {
  width: number;
  height: number;
  px: Uint8Array; // [height, width] grey, or [height, width, 3] RGB; 0..255
  channels?: 1 | 3;
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
