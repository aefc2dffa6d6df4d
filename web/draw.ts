// Pixels for the page's canvases: one 32×32 image per canvas, scaled up by CSS (image-rendering:
// pixelated) at an integer factor, so every tile is crisp. Text never goes into a canvas.
export const SIDE = 32;
const PX = SIDE * SIDE;

/** An image in [−1, 1] (tile `index` of a [N, 1024] array) as grey levels. */
export function paintImage(canvas: HTMLCanvasElement, data: Float32Array, index: number): void {
  paint(canvas, (i) => {
    const v = Math.round((Math.min(1, Math.max(-1, data[index * PX + i]!)) + 1) * 127.5);
    return [v, v, v];
  });
}

/** A velocity field on a diverging scale: blue < 0 < orange, white at 0, saturating at ±scale. */
export function paintField(canvas: HTMLCanvasElement, data: Float32Array, index: number, scale: number): void {
  paint(canvas, (i) => {
    const v = Math.max(-1, Math.min(1, data[index * PX + i]! / (scale || 1)));
    const a = Math.abs(v);
    const [r, g, b] = v >= 0 ? [230, 97, 1] : [33, 102, 172];
    return [Math.round(255 + (r - 255) * a), Math.round(255 + (g - 255) * a), Math.round(255 + (b - 255) * a)];
  });
}

/** The largest |value| of tile `index` (the shared scale of a velocity and its parts). */
export function maxAbs(data: Float32Array, index: number): number {
  let m = 0;
  for (let i = index * PX; i < (index + 1) * PX; i++) m = Math.max(m, Math.abs(data[i]!));
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
