// Animated GIF of grey canvases (gifenc), for trajectories.
import gifenc from "gifenc";

const { GIFEncoder } = gifenc;
import type { Canvas } from "./grid.js";

const GREY: number[][] = Array.from({ length: 256 }, (_, i) => [i, i, i]);

export function encodeGif(frames: readonly Canvas[], delayMs = 120): Uint8Array {
  const first = frames[0];
  if (!first) throw new Error("encodeGif: no frames");
  const odd = frames.find((f) => f.width !== first.width || f.height !== first.height);
  if (odd) throw new Error(`encodeGif: frames differ in size (${first.width}×${first.height} and ${odd.width}×${odd.height})`);
  const gif = GIFEncoder();
  frames.forEach((f, i) => {
    gif.writeFrame(f.px, f.width, f.height, { palette: GREY, delay: i === frames.length - 1 ? delayMs * 8 : delayMs, ...(i === 0 ? { repeat: 0 } : {}) });
  });
  gif.finish();
  return gif.bytes();
}
