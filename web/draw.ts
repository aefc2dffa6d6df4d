// Pixels for the page's canvases: one 32×32 image per canvas, scaled up by CSS (image-rendering:
// pixelated) at an integer factor, so every tile is crisp. Text never goes into a canvas.
export const SIDE = 32;
const PX = SIDE * SIDE;

const level = (v: number) => Math.round((Math.min(1, Math.max(-1, v)) + 1) * 127.5);

/** An image in [−1, 1] (tile `index` of a [N, C, 32, 32] array): grey levels for C = 1, colour for C = 3. */
export function paintImage(canvas: HTMLCanvasElement, data: Float32Array, index: number, channels = 1): void {
  const o = index * channels * PX;
  paint(canvas, (i) => {
    if (channels !== 3) {
      const v = level(data[o + i]!);
      return [v, v, v];
    }
    return [level(data[o + i]!), level(data[o + PX + i]!), level(data[o + 2 * PX + i]!)];
  });
}

/** A velocity field on a diverging scale: blue < 0 < orange, white at 0, saturating at ±scale (colour: the mean of the channels). */
export function paintField(canvas: HTMLCanvasElement, data: Float32Array, index: number, scale: number, channels = 1): void {
  const o = index * channels * PX;
  paint(canvas, (i) => {
    let m = 0;
    for (let c = 0; c < channels; c++) m += data[o + c * PX + i]!;
    const v = Math.max(-1, Math.min(1, m / channels / (scale || 1)));
    const a = Math.abs(v);
    const [r, g, b] = v >= 0 ? [230, 97, 1] : [33, 102, 172];
    return [Math.round(255 + (r - 255) * a), Math.round(255 + (g - 255) * a), Math.round(255 + (b - 255) * a)];
  });
}

/** The largest |value| of tile `index` (the shared scale of a velocity and its parts; colour: of the channels' mean). */
export function maxAbs(data: Float32Array, index: number, channels = 1): number {
  let m = 0;
  const o = index * channels * PX;
  for (let i = 0; i < PX; i++) {
    let v = 0;
    for (let c = 0; c < channels; c++) v += data[o + c * PX + i]!;
    m = Math.max(m, Math.abs(v / channels));
  }
  return m;
}

function paint(canvas: HTMLCanvasElement, rgb: (i: number) => [number, number, number]): void {
  canvas.width = SIDE;
  canvas.height = SIDE;
  const ctx = canvas.getContext("2d");
  if (!ctx) return;
  const img = ctx.createImageData(SIDE, SIDE);
  for (let i = 0; i < PX; i++) {
    const [r, g, b] = rgb(i);
    img.data[i * 4] = r;
    img.data[i * 4 + 1] = g;
    img.data[i * 4 + 2] = b;
    img.data[i * 4 + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
}
