// Prepares one decoded image for the model: alpha composited on a background, centre-cropped to a square,
// resized by area averaging (a box filter weighted by exact overlap: antialiased when shrinking), scaled
// to [−1, 1]; and whether it is grey (R = G = B everywhere after compositing).
import type { RgbaImage } from "./image.js";

/** A background colour, 0–255 per channel. */
export type Rgb = readonly [number, number, number];

/** Named backgrounds for --background. */
export const BACKGROUNDS: Readonly<Record<string, Rgb>> = Object.freeze({ white: [255, 255, 255], black: [0, 0, 0], grey: [128, 128, 128] });

/** How images become model inputs; defaults in PREPARE_DEFAULTS. */
export interface PrepareOptions {
  /** Side S of the square model input (32, or 64). */
  size: number;
  /** What transparent pixels are composited on. */
  background: Rgb;
  /** Mirror each training image left–right with probability 1/2 when drawn (augmentation). */
  flip: boolean;
}

/** The defaults: 32×32, white background, no flips. */
export const PREPARE_DEFAULTS: Readonly<PrepareOptions> = Object.freeze({ size: 32, background: BACKGROUNDS["white"]!, flip: false });

/** The sides the U-Net's presets are made for. */
export const IMAGE_SIZES = [32, 64] as const;

/** "white", "black", "grey" or "#rrggbb" → a colour; throws naming what was expected. */
export function parseBackground(text: string): Rgb {
  const named = BACKGROUNDS[text];
  if (named) return named;
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(text);
  if (!m) throw new RangeError(`background "${text}": expected white, black, grey or #rrggbb`);
  return [parseInt(m[1]!, 16), parseInt(m[2]!, 16), parseInt(m[3]!, 16)];
}

/** The largest centred square inside a w×h image. */
export function centreSquare(w: number, h: number): { x: number; y: number; side: number } {
  const side = Math.min(w, h);
  return { x: Math.floor((w - side) / 2), y: Math.floor((h - side) / 2), side };
}

/** Area-averaging taps: output i covers source [from + i·n/S, from + (i+1)·n/S); weights are overlaps / (n/S). */
function areaTaps(from: number, n: number, S: number): { start: Int32Array; weights: Float64Array[] } {
  const scale = n / S;
  const start = new Int32Array(S);
  const weights: Float64Array[] = [];
  for (let i = 0; i < S; i++) {
    const a = i * scale, b = (i + 1) * scale;
    const first = Math.floor(a), last = Math.min(n - 1, Math.ceil(b) - 1);
    const w = new Float64Array(last - first + 1);
    for (let k = first; k <= last; k++) w[k - first] = (Math.min(b, k + 1) - Math.max(a, k)) / scale;
    start[i] = from + first;
    weights.push(w);
  }
  return { start, weights };
}

/** One image prepared for the model. */
export interface PreparedImage {
  /** [3, S, S] RGB planes in [−1, 1]. */
  pixels: Float32Array;
  /** True when R = G = B at every pixel after compositing. */
  grey: boolean;
}

/** RGBA → composited, centre-cropped, area-resized S×S RGB in [−1, 1]. */
export function prepareImage(img: RgbaImage, o: Pick<PrepareOptions, "size" | "background">): PreparedImage {
  const { width: W, height: H, data } = img;
  if (data.length !== W * H * 4) throw new RangeError(`prepareImage: ${data.length} bytes for ${W}×${H} RGBA`);
  const S = o.size;
  const sq = centreSquare(W, H);
  const h = areaTaps(sq.x, sq.side, S), v = areaTaps(sq.y, sq.side, S);
  // composite the cropped square on the background, [3, side, S] after the horizontal pass
  const rows = sq.side;
  const tmp = new Float64Array(3 * rows * S);
  let grey = true;
  const bg = o.background;
  for (let y = 0; y < rows; y++) {
    const sy = sq.y + y;
    for (let x = 0; x < S; x++) {
      let r = 0, g = 0, b = 0;
      const w = h.weights[x]!, s = h.start[x]!;
      for (let k = 0; k < w.length; k++) {
        const p = (sy * W + s + k) * 4;
        const a = data[p + 3]! / 255;
        const pr = data[p]! * a + bg[0] * (1 - a), pg = data[p + 1]! * a + bg[1] * (1 - a), pb = data[p + 2]! * a + bg[2] * (1 - a);
        if (grey && (pr !== pg || pg !== pb)) grey = false;
        r += w[k]! * pr;
        g += w[k]! * pg;
        b += w[k]! * pb;
      }
      const o3 = y * S + x;
      tmp[o3] = r;
      tmp[rows * S + o3] = g;
      tmp[2 * rows * S + o3] = b;
    }
  }
  const pixels = new Float32Array(3 * S * S); // [3, S, S]
  for (let c = 0; c < 3; c++)
    for (let y = 0; y < S; y++) {
      const w = v.weights[y]!, s = v.start[y]! - sq.y;
      for (let x = 0; x < S; x++) {
        let acc = 0;
        for (let k = 0; k < w.length; k++) acc += w[k]! * tmp[c * rows * S + (s + k) * S + x]!;
        pixels[c * S * S + y * S + x] = (acc / 255) * 2 - 1;
      }
    }
  return { pixels, grey };
}

/** Mirrors C planes of S×S left–right in place. x: [C, S, S] */
export function flipInPlace(x: Float32Array, S: number): void {
  for (let r = 0; r < x.length / S; r++) {
    const o = r * S;
    for (let i = 0, j = S - 1; i < j; i++, j--) {
      const t = x[o + i]!;
      x[o + i] = x[o + j]!;
      x[o + j] = t;
    }
  }
}
