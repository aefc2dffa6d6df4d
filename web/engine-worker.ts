// The page's engine: a module Web Worker running flowlab's engine on WebAssembly (with its own pool
// workers when the page is cross-origin isolated) or WebGPU, the model, the sampler, the judge and the
// trainer. Sampling and training take the async paths (generateAsync, trainStepAsync) on both backends.
import simdUrl from "../build/kernels.wasm?url";
import relaxedUrl from "../build/kernels-relaxed.wasm?url";
import simdUnsharedUrl from "../build/kernels-unshared.wasm?url";
import relaxedUnsharedUrl from "../build/kernels-relaxed-unshared.wasm?url";
import * as T from "../src/tensor/index.js";
import { initBrowserEngine } from "../src/tensor/browser.js";
import { decodeCheckpoint, encodeCheckpoint, samplingNet, type TrainState } from "../src/train/checkpoint.js";
import { GENERATE_DEFAULTS, generateAsync, labelsFor, type StepInfo } from "../src/sample/generate.js";
import { guidanceByName } from "../src/flow/guidance-methods.js";
import { decodeJudge, judge } from "../src/judge/judge.js";
import type { RealImages } from "../src/eval/metrics.js";
import { judgeReport } from "../src/eval/judging.js";
import { CfgTrainer } from "../src/train/trainer.js";
import { preset } from "../src/train/presets.js";
import { datasetFromArrays, makeDataset, type ImageDataset } from "../src/data/dataset.js";
import { fitModelToData } from "../src/train/fit-data.js";
import type { Classifier } from "../src/nn/classifier.js";
import type { UNet } from "../src/nn/unet.js";
import { describeBadCheckpoint } from "../src/page/checkpoint-file.js";
import { decodeDigitsFile } from "../src/page/digits-file.js";
import { parseIdxImages, parseIdxLabels } from "../src/data/idx-format.js";
import { fewStepOf } from "../src/sample/few-step.js";
import { backendFigures, type BackendFigures } from "../src/bench/backend-bench.js";
import type { ErrorContext, Frames, FromWorker, LiveRequest, ModelInfo, ModelSource, PageBackend, RunRequest, ToWorker, TrainRequest } from "./protocol.js";

const post = (m: FromWorker, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(m, transfer);
/** Frames kept per run (all columns): beyond this, every k-th step is kept. */
const FRAME_BUDGET_BYTES = 96 * 2 ** 20;
const MODEL_FILE = "mnist-cfg.safetensors";
/** The distilled few-step model of the live panel (loaded on its first request). */
const FEW_STEP_FILE = "mnist-fewstep.safetensors";
/** Digits per class in the live panel's grid. */
const LIVE_PER_CLASS = 4;

let base = "";
let net: UNet | null = null;
let info: ModelInfo | null = null;
let judgeNet: Classifier | null = null;
let real: RealImages | null = null;
let trainData: ImageDataset | null = null;
let fewNet: Promise<UNet> | null = null;

async function fetchBytes(file: string, what: string): Promise<Uint8Array> {
  const url = new URL(file, base).href;
  let r: Response;
  try {
    r = await fetch(url);
  } catch (e) {
    throw new Error(`could not load ${what} (${file}): ${(e as Error).message}`);
  }
  if (!r.ok) throw new Error(`could not load ${what} (${file}): HTTP ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}

function describe(name: string, s: TrainState): ModelInfo {
  return { name, channels: [...s.net.config.channels], residualLayers: s.net.config.numResidualLayers, tEmbedDim: s.net.config.tEmbedDim, yEmbedDim: s.net.config.yEmbedDim, imageChannels: s.net.config.channelsIn ?? 1, imageSize: s.net.config.imageSize ?? 32, step: s.record?.step ?? null, ema: s.ema !== null, numClasses: s.net.config.numClasses, classNames: s.net.config.classNames ? [...s.net.config.classNames] : null };
}

/** The weights a checkpoint samples with (EMA if it has them); everything else in it is released. */
function keepSamplingNet(state: TrainState): UNet {
  const next = samplingNet(state);
  if (next !== state.net) T.disposeAll(state.net.params);
  T.disposeAll([state.ema, state.adam]);
  return next;
}

/** Makes `state` the model the sampler uses, releasing the previous one. */
function useModel(name: string, state: TrainState): ModelInfo {
  if (state.net.config.fewStep) {
    T.disposeAll([state.net.params, state.ema, state.adam]);
    throw new Error(`${name} is a few-step model (w is its input, no solver): the guidance figure needs a flow-matching checkpoint such as mnist-cfg.safetensors; the page's few-step panel uses the shipped few-step model`);
  }
  const next = keepSamplingNet(state);
  if (net && net !== next) T.disposeAll(net.params);
  net = next;
  info = describe(name, state);
  return info;
}

function decodeModel(bytes: Uint8Array, name: string): TrainState {
  const bad = describeBadCheckpoint(bytes, name);
  if (bad) throw new Error(bad);
  return decodeCheckpoint(bytes, name);
}

async function init(source: ModelSource, backend: PageBackend): Promise<void> {
  const e = await initBrowserEngine({
    backend,
    wasmUrls: { simd: simdUrl, relaxed: relaxedUrl },
    unsharedWasmUrls: { simd: simdUnsharedUrl, relaxed: relaxedUnsharedUrl },
    makeWorker: () => new Worker(new URL("../src/tensor/worker-browser.ts", import.meta.url), { type: "module" }),
  });
  const bytes = source.kind === "url" ? await fetchBytes(MODEL_FILE, "the model") : new Uint8Array(source.bytes);
  const name = source.kind === "url" ? MODEL_FILE : source.name;
  const model = useModel(name, decodeModel(bytes, name));
  const { backend: running, backendNote } = T.engineInfo();
  post({ type: "ready", threads: e.threads, kernels: e.kernels, sharedMemory: e.sharedMemory, model, backend: running === "webgpu" ? "webgpu" : "wasm", backendNote });
}

/** The judge and the real images (judge features of the shipped real test digits), loaded once; the judge runs on wasm. */
async function judgeAndReal(): Promise<{ judgeNet: Classifier; real: RealImages }> {
  if (!judgeNet) judgeNet = decodeJudge(await fetchBytes("judge.safetensors", "the judge"), "judge.safetensors").net;
  if (!real) {
    const { images, labels } = decodeDigitsFile(await fetchBytes("digits.bin", "the real digits"));
    const jn = judgeNet;
    real = { features: T.withBackend("wasm", () => judge(jn, images).features), labels: Int32Array.from(labels), images };
  }
  return { judgeNet, real };
}

/** True for a model of MNIST's shape (grey 32×32, 10 unnamed classes): the only kind the judge reads. */
function judgeable(model: UNet): boolean {
  const c = model.config;
  return (c.channelsIn ?? 1) === 1 && c.numClasses === 10 && !c.classNames && (c.imageSize ?? 32) === 32;
}

async function run(id: number, req: RunRequest): Promise<void> {
  const model = net!;
  const t0 = performance.now();
  const N = req.classes.length * req.perClass;
  const perStep = N * (model.config.channelsIn ?? 1) * 1024 * 4 * 4;
  const every = Math.max(1, Math.ceil((req.steps * perStep * req.ws.length) / FRAME_BUDGET_BYTES));
  const columns: { images: Float32Array; labels: number[] }[] = [];
  for (const [column, w] of req.ws.entries()) {
    // at w = 0 plain CFG is u(x|∅) alone at every step, so generate() never evaluates u(x|y) (guidingAlone)
    const frames: Frames = { times: [], every, x: [], drift: [], cond: w === 0 && req.guidance === "cfg" ? null : [], uncond: w === 1 ? null : [] };
    const onStep = (s: StepInfo) => {
      const x = s.x.toFloat32Array();
      if ((s.done - 1) % every === 0) {
        frames.times.push(s.t);
        frames.x.push(x);
        frames.drift.push(s.drift.toFloat32Array());
        // a part not computed at this t (u(x|y) inside the interval at w = 0, u(x|∅) outside it) is empty
        frames.cond?.push(s.cond ? s.cond.toFloat32Array() : new Float32Array(0));
        frames.uncond?.push(s.guiding ? s.guiding.toFloat32Array() : new Float32Array(0));
      }
      post({ type: "progress", id, column, done: s.done, total: s.total, t: s.t, preview: x.slice() });
    };
    const g = await generateAsync(model, { classes: req.classes, perClass: req.perClass, w, steps: req.steps, solver: req.solver, guidance: guidanceByName(req.guidance), seed: req.seed, onStep });
    const labels = labelsFor(req.classes, req.perClass);
    const images = g.images.toFloat32Array();
    g.images.dispose();
    frames.times.push(1);
    frames.x.push(images.slice());
    const zero = new Float32Array(images.length);
    frames.drift.push(zero);
    frames.cond?.push(zero);
    frames.uncond?.push(zero);
    columns.push({ images: images.slice(), labels });
    const buffers = [images.buffer, ...frames.x.map((a) => a.buffer), ...[...frames.drift, ...(frames.cond ?? []), ...(frames.uncond ?? [])].filter((a) => a !== zero).map((a) => a.buffer)];
    post({ type: "column", id, column, w, images, labels, frames, seconds: g.seconds, nfe: g.nfe }, buffers);
  }
  // the judge reads MNIST digits only: a colour model or one with named classes gets no judge figures
  if (!judgeable(model)) {
    post({ type: "done", id, seconds: (performance.now() - t0) / 1000 });
    return;
  }
  // the measured cost of guidance: the judge's accuracy and diversity per w, on the digit rows
  const { judgeNet: jn, real: ref } = await judgeAndReal();
  for (const [index, c] of columns.entries()) {
    const keep = c.labels.map((l, i) => (l < 10 ? i : -1)).filter((i) => i >= 0);
    const imgs = new Float32Array(keep.length * 1024);
    keep.forEach((i, k) => imgs.set(c.images.subarray(i * 1024, (i + 1) * 1024), k * 1024));
    const w = req.ws[index]!;
    if (!keep.length) {
      post({ type: "judged", id, index, column: { w, accuracy: NaN, confidence: NaN, diversity: NaN } });
      continue;
    }
    const labels = keep.map((i) => c.labels[i]!);
    // as the CLI scores: clamped to [−1, 1], as drawn; on wasm whatever the backend (the samples are read back)
    const r = T.withBackend("wasm", () => judgeReport({ net: jn, data: "mnist", real: ref }, imgs, labels));
    post({ type: "judged", id, index, column: { w, accuracy: r.accuracy, confidence: r.confidence, diversity: r.diversity } });
  }
  post({ type: "done", id, seconds: (performance.now() - t0) / 1000 });
}

async function loadFewStep(): Promise<UNet> {
  const bytes = await fetchBytes(FEW_STEP_FILE, "the few-step model");
  const state = decodeModel(bytes, FEW_STEP_FILE);
  if (!state.net.config.fewStep) throw new Error(`${FEW_STEP_FILE} is not a few-step model`);
  return keepSamplingNet(state);
}

/** The live panel: one grid of digits 0–9 from the few-step model, w as its input, one pass per step. */
async function live(req: LiveRequest): Promise<void> {
  fewNet ??= loadFewStep().catch((e: unknown) => {
    fewNet = null; // a later request tries again
    throw e;
  });
  const model = await fewNet;
  const range = fewStepOf(model);
  // a link may ask for a w or step count this model was not trained for: use the nearest it was
  const w = Math.min(range.wMax, Math.max(range.wMin, req.w));
  const steps = range.steps.reduce((a, b) => (Math.abs(b - req.steps) < Math.abs(a - req.steps) ? b : a));
  const g = await generateAsync(model, { classes: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], perClass: LIVE_PER_CLASS, w, steps, seed: req.seed });
  const images = g.images.toFloat32Array();
  g.images.dispose();
  post({ type: "live", id: req.id, req: { ...req, w, steps }, images, labels: g.labels, seconds: g.seconds, nfe: g.nfe, range: { wMin: range.wMin, wMax: range.wMax, steps: [...range.steps] } }, [images.buffer]);
}

function load(name: string, buffer: ArrayBuffer): void {
  const bytes = new Uint8Array(buffer);
  const model = useModel(name, decodeModel(bytes, name));
  post({ type: "loaded", model, name, bytes: buffer }, [buffer]);
}

// training: an async loop that yields between steps, so pause / resume / stop arrive within one step
const control = { paused: false, stop: false, stepOnce: false, wake: null as (() => void) | null };
const yieldToMessages = () => new Promise<void>((r) => setTimeout(r, 0));

async function train(req: TrainRequest): Promise<void> {
  let data: ImageDataset;
  if (req.data) {
    const d = req.data;
    data = datasetFromArrays(d.name, d.images, d.labels, { size: d.size, channels: d.channels, numClasses: d.classNames.length, classNames: d.classNames });
    if (req.batch > data.count) throw new Error(`a batch of ${req.batch} is more than the ${data.count} images of ${d.name}: choose a batch of at most ${data.count}`);
  } else {
    if (!trainData) {
      const images = parseIdxImages(await fetchBytes("train-images.idx", "the training digits"), "train-images.idx");
      const labels = parseIdxLabels(await fetchBytes("train-labels.idx", "the training labels"), "train-labels.idx");
      trainData = makeDataset("mnist (10 000 training digits)", images, labels, 32);
    }
    data = trainData;
  }
  const demo = preset("demo");
  // the data decides classes, channels and class names (the same fit as flowlab train --data folder:DIR)
  const config = { ...demo, model: fitModelToData(demo.model, data), steps: req.steps, batch: req.batch };
  const trainer = new CfgTrainer(config, data);
  const classes = Array.from({ length: data.numClasses }, (_, k) => k);
  let reason: "finished" | "stopped" = "finished";
  while (trainer.step < config.steps) {
    await yieldToMessages();
    while (control.paused && !control.stop && !control.stepOnce) await new Promise<void>((r) => (control.wake = r));
    control.stepOnce = false; // one step through while paused, as GAN Lab's step button
    if (control.stop) {
      reason = "stopped";
      break;
    }
    const { step, loss } = await trainer.trainStepAsync();
    const perSample = trainer.seconds / (step * config.batch);
    post({ type: "trainStep", step, total: config.steps, loss, samplesPerSecond: 1 / perSample, etaSeconds: (config.steps - step) * config.batch * perSample });
    if (step % req.sampleEvery === 0 || step === config.steps) {
      const s = samplingNet(await trainer.stateAsync());
      // the library's default sampler (GENERATE_DEFAULTS: w, steps, solver, guidance, seed)
      const g = await generateAsync(s, { classes, perClass: 1 });
      const images = g.images.toFloat32Array();
      g.images.dispose();
      if (s !== trainer.net) T.disposeAll(s.params);
      post({ type: "trainSamples", step, w: GENERATE_DEFAULTS.w, images, labels: g.labels, channels: data.channels, classNames: data.classNames ? [...data.classNames] : null }, [images.buffer]);
    }
  }
  const name = `flowlab-${req.data ? req.data.name.replace(/[^\w.-]+/g, "-") : "demo"}-step-${trainer.step}.safetensors`;
  const bytes = encodeCheckpoint(await trainer.stateAsync({ made: "flowlab web page" }));
  const samplesPerSecond = trainer.step ? (trainer.step * config.batch) / trainer.seconds : 0;
  const model = useModel(name, decodeCheckpoint(bytes, name));
  T.disposeAll([trainer.net.params, trainer.ema, trainer.adamState]);
  post({ type: "trainStopped", step: trainer.step, total: config.steps, reason, model, name, bytes: bytes.buffer as ArrayBuffer, samplesPerSecond }, [bytes.buffer as ArrayBuffer]);
}

/**
 * The Benchmark button: a training step of the page's U-Net (the demo preset's, at the training batch)
 * and a CFG sampling step of as many images with the model being sampled, on the backend in use and,
 * in the same sitting, on WebAssembly.
 */
async function bench(batch: number): Promise<BackendFigures[]> {
  const demo = preset("demo");
  const what = { train: { ...demo, batch }, net: net!, sampleBatch: batch };
  const inUse: PageBackend = T.engineInfo().backend === "webgpu" ? "webgpu" : "wasm";
  const figures: BackendFigures[] = [];
  for (const b of inUse === "wasm" ? (["wasm"] as const) : (["webgpu", "wasm"] as const)) figures.push(await backendFigures(b, what));
  return figures;
}

function fail(context: ErrorContext, err: unknown): void {
  post({ type: "error", context, message: err instanceof Error ? err.message : String(err) });
}

self.onmessage = (e: MessageEvent<ToWorker>) => {
  const m = e.data;
  if (m.type === "pause") control.paused = true;
  else if (m.type === "resume" || m.type === "stopTrain" || m.type === "stepOnce") {
    if (m.type === "stopTrain") control.stop = true;
    if (m.type === "stepOnce") control.stepOnce = true;
    else control.paused = false;
    control.wake?.();
    control.wake = null;
  } else if (m.type === "init") {
    base = m.base;
    init(m.model, m.backend).catch((err: unknown) => fail("init", err));
  } else if (!net) fail("init", new Error("the model is not loaded"));
  else if (m.type === "live") live(m.live).catch((err: unknown) => fail("live", err));
  else if (m.type === "run") run(m.id, m.run).catch((err: unknown) => fail("run", err));
  else if (m.type === "bench") {
    bench(m.batch)
      .then((figures) => post({ type: "bench", figures }))
      .catch((err: unknown) => fail("bench", err));
  }
  else if (m.type === "load") {
    try {
      load(m.name, m.bytes);
    } catch (err) {
      fail("load", err);
    }
  } else if (m.type === "train") {
    // reset before the data loads, so a Stop pressed while loading still counts
    control.paused = false;
    control.stop = false;
    train(m.train).catch((err: unknown) => fail("train", err));
  }
}
