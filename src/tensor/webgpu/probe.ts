// "auto"'s measurement: one 3×3 convolution of the lab U-Net's size on wasm and on webgpu; webgpu is
// picked only when it is faster here, so auto is never slower than wasm on that kernel.
import type { Backend, DeviceBackend } from "../backend.js";
import { Rng } from "../random.js";
import { randn, empty } from "../ops/create.js";

/** The backend auto picks and the one-line reason. */
export interface Verdict {
  pick: "wasm" | "webgpu";
  why: string;
}

/** Median milliseconds of `run` over 3 timed runs after one warm-up; `settle` waits for the GPU. */
async function timeMs(run: () => void, settle: () => Promise<void>): Promise<number> {
  run();
  await settle();
  const ms: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    run();
    await settle();
    ms.push(performance.now() - t0);
  }
  return ms.sort((a, b) => a - b)[1]!;
}

export async function chooseFaster(wasm: Backend, gpu: DeviceBackend): Promise<Verdict> {
  const one = async (be: Backend, settle: () => Promise<void>) => {
    const rng = new Rng(1);
    // [16, 64, 16, 16] → 64 channels: the lab U-Net's middle level at batch 16
    const x = randn([16, 64, 16, 16], rng), w = randn([64, 64, 3, 3], rng, 0.05), y = empty([16, 64, 16, 16]);
    try {
      return await timeMs(() => be.conv2d(x, w, null, y, 1, null, null), settle);
    } finally {
      for (const t of [x, w, y]) t.dispose();
    }
  };
  const tw = await one(wasm, () => Promise.resolve());
  const tg = await one(gpu, () => gpu.finish());
  if (gpu.deviceError) return { pick: "wasm", why: `webgpu reported an error on the probe: ${gpu.deviceError}` };
  const figures = `a 3×3 convolution took ${tg.toFixed(1)} ms on webgpu, ${tw.toFixed(1)} ms on wasm`;
  return tg < tw ? { pick: "webgpu", why: `faster: ${figures}` } : { pick: "wasm", why: `webgpu is slower here: ${figures}` };
}
