// The browser side of the webgpu tests (src/tensor/webgpu/webgpu.test.ts loads it in Chromium): starts
// the engine on the page's thread with the webgpu backend and runs the conformance suite, then the lab
// U-Net's training step, a CFG sampling step, generateAsync and a short loss curve on webgpu against wasm.
import { initBrowserEngine } from "../tensor/browser.js";
import { engine, engineInfo, type EngineInfo } from "../tensor/engine.js";
import type { WebGpuBackend } from "../tensor/webgpu/backend.js";
import { runConformance, type Check } from "../tensor/webgpu/suite.js";
import { setBackend, tidy, grad, disposeAll, randn, intTensor, Rng, type Tensor } from "../tensor/index.js";
import { CfgTrainer } from "../train/trainer.js";
import { preset } from "../train/presets.js";
import { loadModel } from "../train/checkpoint.js";
import { guidedOde, generate, generateAsync, type GenerateOptions } from "../sample/generate.js";
import { initUNet } from "../nn/unet.js";
import { CFG } from "../flow/guidance-methods.js";
import { euler } from "../solvers/steppers.js";
import { syntheticData } from "../bench/extra.js";

const build = (name: string) => new URL(`../../build/${name}`, import.meta.url).href;

/** Starts the engine (one thread, unshared memory) with `backend`; returns what it runs. */
export async function start(backend: "webgpu" | "auto" | "wasm"): Promise<EngineInfo> {
  await initBrowserEngine({
    threads: 1,
    sharedMemory: false,
    backend,
    wasmUrls: { simd: build("kernels.wasm"), relaxed: build("kernels-relaxed.wasm") },
    unsharedWasmUrls: { simd: build("kernels-unshared.wasm"), relaxed: build("kernels-relaxed-unshared.wasm") },
    makeWorker: () => {
      throw new Error("one thread: no pool workers");
    },
  });
  return engineInfo();
}

/** The conformance checks (see suite.ts), `only` a regular expression source over case names. */
export function conformance(only?: string): Promise<Check[]> {
  return runConformance(only === undefined ? undefined : new RegExp(only));
}

/** What the residency rules do, step by step (webgpu.test.ts checks each line). */
export async function residency(): Promise<string[]> {
  const { tensor, add } = await import("../tensor/index.js");
  const seen: string[] = [];
  const tryRead = (f: () => unknown) => {
    try {
      return `value ${JSON.stringify(f())}`;
    } catch (e) {
      return `throws: ${(e as Error).message}`;
    }
  };
  setBackend("webgpu");
  const a = tensor([1, 2, 3]);
  const b = add(a, a);
  seen.push(`input on the host after a kernel read it: ${tryRead(() => a.toArray())}`);
  seen.push(`output before read(): ${tryRead(() => b.toArray())}`);
  seen.push(`read(): ${JSON.stringify(Array.from(await b.read()))}`);
  seen.push(`output after read(): ${tryRead(() => b.toArray())}`);
  a.data[0] = 10;
  const c = add(a, a);
  seen.push(`after a host write the next kernel sees it: ${JSON.stringify(Array.from(await c.read()))}`);
  setBackend("wasm");
  const d = add(b, b);
  seen.push(`a read-back tensor on wasm: ${tryRead(() => d.toArray())}`);
  setBackend("webgpu");
  const e = add(c, c);
  setBackend("wasm");
  seen.push(`a GPU-newer tensor on wasm: ${tryRead(() => add(e, e))}`);
  for (const t of [a, b, c, d, e]) t.dispose();
  return seen;
}

/** Largest |a − b| over max(1, max |b|): a relative difference that ignores tiny entries. */
function relDiff(a: Float32Array, b: Float32Array): number {
  let d = 0, m = 1;
  for (let i = 0; i < b.length; i++) {
    const e = Math.abs(a[i]! - b[i]!);
    d = Number.isNaN(e) ? Infinity : Math.max(d, e);
    m = Math.max(m, Math.abs(b[i]!));
  }
  return a.length === b.length ? d / m : Infinity;
}

/** The trainer's own loss, exposed for comparing one step's loss and gradients between backends. */
class Probe extends CfgTrainer {
  lossAndGrads(): readonly [Tensor, Tensor[]] {
    return tidy(() => {
      const l = this.loss();
      return [l, grad(l, [...this.params.values()])] as const;
    });
  }
}

/** The lab U-Net's CFG loss and gradients at `batch` on webgpu and on wasm (same seed, same data). */
export async function trainStepParity(batch: number): Promise<{ loss: [number, number]; worstGrad: number; worstParam: string; params: number }> {
  const cfg = { ...preset("lab"), batch, emaDecay: 0 };
  const run = async (backend: "webgpu" | "wasm") => {
    setBackend(backend);
    const p = new Probe(cfg, syntheticData());
    const [l, grads] = p.lossAndGrads();
    const out = { loss: (await l.read())[0]!, grads: await Promise.all(grads.map((g) => g.read())), names: [...p.params.keys()] };
    disposeAll([l, grads, p.net.params, p.adamState.m, p.adamState.v]);
    return out;
  };
  const gpu = await run("webgpu"), cpu = await run("wasm");
  let worstGrad = 0, worstParam = "";
  cpu.grads.forEach((g, i) => {
    const d = relDiff(gpu.grads[i]!, g);
    if (!(d <= worstGrad)) [worstGrad, worstParam] = [d, cpu.names[i]!];
  });
  return { loss: [gpu.loss, cpu.loss], worstGrad, worstParam, params: cpu.grads.length };
}

/** One Euler step (t = 0.5, h = 1/99) of the shipped model's CFG field at w = 3, 10 digits, on both backends. */
export async function samplingStepParity(): Promise<{ diff: number; scale: number }> {
  const bytes = new Uint8Array(await (await fetch(new URL("../../models/mnist-cfg.safetensors", import.meta.url))).arrayBuffer());
  const run = async (backend: "webgpu" | "wasm") => {
    setBackend(backend);
    const net = loadModel(bytes, "mnist-cfg.safetensors");
    const x0 = randn([10, 1, 32, 32], new Rng(7));
    const y = intTensor([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const x1 = tidy(() => euler(guidedOde(net, 3)).step(x0, 0.5, 1 / 99, y));
    const v = await x1.read();
    disposeAll([net.params, x0, y, x1]);
    return v;
  };
  const gpu = await run("webgpu"), cpu = await run("wasm");
  return { diff: relDiff(gpu, cpu), scale: cpu.reduce((m, v) => Math.max(m, Math.abs(v)), 0) };
}

/** `steps` training steps of a small U-Net ([16, 32], batch 8): the loss curve on webgpu (async step) and on wasm. */
export async function lossCurves(steps: number): Promise<{ webgpu: number[]; wasm: number[] }> {
  const cfg = { ...preset("lab"), model: { ...preset("lab").model, channels: [16, 32] }, batch: 8, steps, emaDecay: 0.9 };
  const curve = async (backend: "webgpu" | "wasm") => {
    setBackend(backend);
    const tr = new CfgTrainer(cfg, syntheticData());
    const losses: number[] = [];
    for (let s = 0; s < steps; s++) losses.push((backend === "webgpu" ? await tr.trainStepAsync() : tr.trainStep()).loss);
    disposeAll([tr.net.params, tr.adamState.m, tr.adamState.v, tr.ema]);
    return losses;
  };
  return { webgpu: await curve("webgpu"), wasm: await curve("wasm") };
}

/**
 * generateAsync on webgpu against generate on wasm: a small U-Net ([8, 16], seed 3), 3 midpoint steps of
 * plain CFG at w = 3 for 4 images (12 network passes of 8); the images and every step's x and drift.
 */
export async function generateParity(): Promise<{ images: number; steps: number[]; nfe: [number, number]; scale: number }> {
  const net = initUNet({ channels: [8, 16], numResidualLayers: 1, tEmbedDim: 8, yEmbedDim: 8, numClasses: 10 }, 3);
  const opts: GenerateOptions = { classes: [1, 7], perClass: 2, w: 3, steps: 3, solver: "midpoint", guidance: CFG, seed: 4 };
  const seen: Record<"webgpu" | "wasm", Float32Array[]> = { webgpu: [], wasm: [] };
  const keep = (b: "webgpu" | "wasm") => (s: { x: Tensor; drift: Tensor }) => seen[b].push(s.x.toFloat32Array(), s.drift.toFloat32Array());
  setBackend("webgpu");
  const gpu = await generateAsync(net, { ...opts, onStep: keep("webgpu") });
  setBackend("wasm");
  const cpu = generate(net, { ...opts, onStep: keep("wasm") });
  const out = {
    images: relDiff(gpu.images.toFloat32Array(), cpu.images.toFloat32Array()),
    steps: seen.wasm.map((v, i) => relDiff(seen.webgpu[i] ?? new Float32Array(0), v)),
    nfe: [gpu.nfe, cpu.nfe] as [number, number],
    scale: cpu.images.toFloat32Array().reduce((m, v) => Math.max(m, Math.abs(v)), 0),
  };
  disposeAll([gpu.images, cpu.images, net.params]);
  return out;
}

/** Dispatches and submits of one training step of a small U-Net ([8, 16], batch 2) on webgpu, after a warm-up step. */
export async function submitsPerStep(): Promise<{ dispatches: number; submits: number; loss: number }> {
  setBackend("webgpu");
  const gpu = (engine().webgpu as WebGpuBackend).gpu;
  const cfg = { ...preset("lab"), model: { ...preset("lab").model, channels: [8, 16] }, batch: 2, steps: 2, emaDecay: 0.9 };
  const tr = new CfgTrainer(cfg, syntheticData());
  await tr.trainStepAsync();
  const [d0, s0] = [gpu.dispatches, gpu.submits];
  const { loss } = await tr.trainStepAsync();
  const out = { dispatches: gpu.dispatches - d0, submits: gpu.submits - s0, loss };
  disposeAll([tr.net.params, tr.adamState.m, tr.adamState.v, tr.ema]);
  setBackend("wasm");
  return out;
}
