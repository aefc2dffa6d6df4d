// The 2-D flow panel's worker: flowlab's engine on one thread (unshared memory), a ToyTrainer that posts
// its losses as it goes, and views (particles and the guided field) computed for the latest request.
import simdUnsharedUrl from "../build/kernels-unshared.wasm?url";
import relaxedUnsharedUrl from "../build/kernels-relaxed-unshared.wasm?url";
import { initBrowserEngine } from "../src/tensor/browser.js";
import { ToyTrainer, toyField, toyParticles } from "../src/toy/toy-flow.js";
import type { ToySetName } from "../src/toy/datasets.js";
import type { FromToyWorker, ToToyWorker, ToyViewRequest } from "./toy-protocol.js";

const post = (m: FromToyWorker, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(m, transfer);
/** Particles drawn per view, and the field's grid (G × G arrows over [−3, 3]²). */
const PARTICLES = 300;
const G = 15;
const EXTENT = 3;
const GRID = Float32Array.from({ length: G * G * 2 }, (_, i) => {
  const k = i >> 1, v = i % 2 === 0 ? k % G : Math.floor(k / G);
  return -EXTENT + ((v + 0.5) * 2 * EXTENT) / G;
});

let trainer: ToyTrainer | null = null;
let training = 0; // the current training's number (a new one supersedes it)
let wanted: ToyViewRequest | null = null;
const ready = initBrowserEngine({
  threads: 1,
  sharedMemory: false,
  wasmUrls: { simd: simdUnsharedUrl, relaxed: relaxedUnsharedUrl },
  unsharedWasmUrls: { simd: simdUnsharedUrl, relaxed: relaxedUnsharedUrl },
  makeWorker: () => {
    throw new Error("the toy engine runs on one thread");
  },
});
const pause = () => new Promise<void>((r) => setTimeout(r, 0));

function view(req: ToyViewRequest): void {
  if (!trainer) return;
  const frames = toyParticles(trainer.net, { n: PARTICLES, y: req.y, w: req.w, steps: req.steps, seed: 7 });
  const fieldAt = Math.min(1, Math.max(0, req.t));
  const field = toyField(trainer.net, GRID, fieldAt, req.y, req.w);
  post({ type: "view", req, frames, field, grid: GRID, fieldAt }, [...frames.map((f) => f.buffer), field.buffer]);
}

/** Draws the latest wanted view (between training steps, or at once when idle). */
function pump(): void {
  if (!wanted || !trainer) return;
  const req = wanted;
  wanted = null;
  view(req);
}

async function train(set: ToySetName, steps: number): Promise<void> {
  await ready;
  const me = ++training;
  trainer?.dispose();
  trainer = new ToyTrainer(set);
  const t = trainer;
  const losses: number[] = [];
  const t0 = performance.now();
  while (t.step < steps && me === training) {
    losses.push(t.trainStep());
    if (t.step % 10 === 0 || t.step === steps) {
      post({ type: "progress", step: t.step, total: steps, losses: losses.splice(0), seconds: (performance.now() - t0) / 1000 });
      pump();
      await pause();
    }
  }
  pump();
}

self.onmessage = (e: MessageEvent<ToToyWorker>) => {
  const m = e.data;
  try {
    if (m.type === "train") void train(m.set, m.steps).catch((err: unknown) => post({ type: "error", message: (err as Error).message }));
    else {
      wanted = m.view;
      pump();
    }
  } catch (err) {
    post({ type: "error", message: (err as Error).message });
  }
};
void ready.then(() => post({ type: "ready" })).catch((err: unknown) => post({ type: "error", message: `the 2-D flow's engine: ${(err as Error).message}` }));
