// The page's engine: a module Web Worker running flowlab's WebAssembly engine (with its own pool
// workers), the shipped model and the sampler, so the page stays responsive.
import simdUrl from "../build/kernels.wasm?url";
import relaxedUrl from "../build/kernels-relaxed.wasm?url";
import * as T from "../src/tensor/index.js";
import { initBrowserEngine } from "../src/tensor/browser.js";
import { decodeCheckpoint, samplingNet } from "../src/train/checkpoint.js";
import { guidedOde, labelsFor, resolveGenerate } from "../src/sample/generate.js";
import { ODE_SOLVERS } from "../src/solvers/steppers.js";
import { timeGrid } from "../src/solvers/simulate.js";
import { GaussianConditionalPath } from "../src/flow/path.js";
import { linearSchedule } from "../src/flow/schedules.js";
import type { UNet } from "../src/nn/unet.js";
import type { FromWorker, ToWorker, GenerateRequest } from "./protocol.js";

const post = (m: FromWorker, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(m, transfer);
let net: UNet | null = null;
let digits: { images: Uint8Array; labels: Uint8Array; count: number } | null = null;

async function fetchBytes(url: string, what: string): Promise<Uint8Array> {
  let r: Response;
  try {
    r = await fetch(url);
  } catch (e) {
    throw new Error(`could not load ${what} (${url}): ${(e as Error).message}`);
  }
  if (!r.ok) throw new Error(`could not load ${what} (${url}): HTTP ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}

async function init(): Promise<void> {
  const e = await initBrowserEngine({ wasmUrls: { simd: simdUrl, relaxed: relaxedUrl }, makeWorker: () => new Worker(new URL("../src/tensor/worker-browser.ts", import.meta.url), { type: "module" }) });
  const base = new URL("./", self.location.href).href.replace(/assets\/$/, "");
  const modelUrl = new URL("mnist-cfg.safetensors", base).href;
  const bytes = await fetchBytes(modelUrl, "the model");
  const state = decodeCheckpoint(bytes, "mnist-cfg.safetensors");
  net = samplingNet(state);
  const d = await fetchBytes(new URL("digits.bin", base).href, "the sample digits");
  const count = Math.floor(d.length / 1025);
  digits = { labels: d.subarray(0, count), images: d.subarray(count, count + count * 1024), count };
  post({ type: "ready", threads: e.threads, kernels: e.kernels, isolated: crossOriginIsolated, model: `channels [${net.config.channels.join(", ")}], ${net.config.numResidualLayers} residual layers`, digits: count });
}

function generate(request: GenerateRequest): void {
  const model = net!;
  const req = { ...request, ...resolveGenerate(model, request) };
  const labels = labelsFor(req.classes, req.perClass);
  const ode = guidedOde(model, req.w);
  let lastDrift: T.Tensor | null = null;
  let drifts = 0;
  // remember the first drift of each step: x̂₁ = x_t + (1 − t)·u(x_t) is the predicted endpoint
  const watched = {
    drift(x: T.Tensor, t: number, y: T.Tensor) {
      const u = ode.drift(x, t, y);
      drifts++;
      if (!lastDrift) lastDrift = T.affine(u, 1).keep();
      return u;
    },
  };
  const stepper = ODE_SOLVERS[req.solver](watched);
  const ts = timeGrid(req.steps + 1);
  const y = T.intTensor(labels);
  let x = T.randn([labels.length, 1, 32, 32], new T.Rng(req.seed));
  const t0 = performance.now();
  for (let i = 0; i + 1 < ts.length; i++) {
    const t = ts[i]!, h = Math.fround(ts[i + 1]! - t);
    const prev = x;
    const ts0 = performance.now();
    x = T.tidy(() => T.noGrad(() => stepper.step(prev, t, h, y)));
    const xhat = T.tidy(() => T.add(prev, T.affine(lastDrift!, 1 - t)).toFloat32Array());
    lastDrift!.dispose();
    lastDrift = null;
    prev.dispose();
    const xs = x.toFloat32Array();
    post({ type: "step", id: req.id, i: i + 1, total: ts.length - 1, t: ts[i + 1]!, x: xs, xhat, ms: performance.now() - ts0 }, [xs.buffer, xhat.buffer]);
  }
  const images = x.toFloat32Array();
  x.dispose();
  y.dispose();
  post({ type: "done", id: req.id, images, labels, nfe: drifts * (req.w === 1 ? 1 : 2), ms: performance.now() - t0 }, [images.buffer]);
}

function path(digit: number, t: number, seed: number): void {
  const d = digits!;
  const k = ((digit % d.count) + d.count) % d.count;
  const z = new Float32Array(1024);
  for (let i = 0; i < 1024; i++) z[i] = (d.images[k * 1024 + i]! / 255 - 0.5) / 0.5;
  const x = T.tidy(() => {
    const p = new GaussianConditionalPath(linearSchedule);
    return p.sampleConditionalPath(T.tensor(z, [1, 1, 32, 32]), T.full([1, 1, 1, 1], t), new T.Rng(seed)).x.toFloat32Array();
  });
  post({ type: "path", z, x, t, label: d.labels[k]! });
}

self.onmessage = (e: MessageEvent<ToWorker>) => {
  const m = e.data;
  const run = async () => {
    if (m.type === "init") await init();
    else if (!net) throw new Error("the model is not loaded");
    else if (m.type === "generate") generate(m);
    else if (m.type === "path") path(m.digit, m.t, m.seed);
  };
  run().catch((err: unknown) => post({ type: "error", message: err instanceof Error ? err.message : String(err) }));
};
