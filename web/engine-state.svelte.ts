// The page's engine and run state: the worker's readiness and model, the sampling run, the live panel,
// training and checkpoints, the real digits of the path panel, and the router for the worker's messages.
import { EngineClient } from "./engine-client.js";
import type { FormState } from "./form.svelte.js";
import type { LiveView, RunRecord, TrainView } from "./run-state.js";
import type { FromWorker, ModelInfo, ModelSource, PageBackend, TrainData, TrainRequest } from "./protocol.js";
import type { BackendFigures } from "../src/bench/backend-bench.js";
import type { KernelSet } from "../src/tensor/index.js";
import { decodeDigitsFile, type DigitsFile } from "../src/page/digits-file.js";

/** Generate's message while training holds the engine (cleared when the training ends). */
const TRAINING_BUSY = "Training is using the engine: pause is not enough, stop the training first (its model is then the one sampled).";
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);
const MAX_FILE_BYTES = 256 * 2 ** 20;

export interface EngineHooks {
  /** A run was stopped by the user (or by a load or a training): put the keyboard back on Generate. */
  onRunStopped: () => void;
}

export class EngineState {
  ready = $state(false);
  engineInfo: { threads: number; kernels: KernelSet; sharedMemory: boolean; backend: PageBackend; backendNote: string } | null = $state(null);
  /** The backend asked for (the worker restarts on a change); engineInfo.backend is the one running. */
  backend: PageBackend = $state("wasm");
  /** Whether this browser's navigator.gpu gives an adapter; else the one-line reason (null while asking). */
  webgpu: { ok: true } | { ok: false; reason: string } | null = $state(null);
  /** Why the backend switch did not act (empty when it did). */
  backendMessage = $state("");
  /** The Benchmark button's state and figures (the backend in use, then WebAssembly's). */
  bench: { status: "idle" | "running" | "done" | "failed"; figures: BackendFigures[]; message: string } = $state.raw({ status: "idle", figures: [], message: "" });
  model: ModelInfo | null = $state(null);
  /** Whether the model draws MNIST's digits (grey, unnamed classes; also while none is loaded): the page's digits, judge and few-step model apply. */
  digitModel = $derived(!this.model || (!this.model.classNames && this.model.imageChannels === 1));
  /** Which model is sampled: 0 for the shipped one, a new number for each load or training. A run drawn by another is stale. */
  modelSerial = $state(0);
  private lastSerial = 0;
  /** Whether the sampled model is the site's shipped one (else loaded or trained bytes). */
  shipped = $state(true);
  /** The last load was a dropped file: its message is brought into view. */
  loadDropped = $state(false);
  fatal = $state("");
  readonly isolated = typeof crossOriginIsolated !== "undefined" && crossOriginIsolated;

  run: RunRecord | null = $state.raw(null);
  runMessage = $state("");
  loadMessage = $state("");
  loadOk = $state(false);
  trainMessage = $state("");
  /** Whether trainMessage reports an ended run (drawn as success), not an error. */
  trainOk = $state(false);
  train: TrainView = $state.raw({ status: "idle", steps: [], losses: [], total: 0, samplesPerSecond: 0, etaSeconds: 0, grid: null, runsOn: "1 engine thread" });
  live: LiveView = $state.raw({ status: "idle", images: null, labels: [], w: 0, steps: 0, seconds: 0, nfe: 0, range: null, message: "" });
  /** Images to train on instead of MNIST (a dropped folder or the emoji example); set by ImageSetState. */
  trainImages: TrainData | null = $state.raw(null);
  /** The path panel's real digits (the page computes the path itself). */
  digits: DigitsFile | null = $state.raw(null);

  readonly training = $derived(this.train.status === "loading" || this.train.status === "running" || this.train.status === "paused");
  readonly running = $derived(this.run !== null && (this.run.status === "running" || this.run.status === "queued"));

  private modelSource: ModelSource = { kind: "url" };
  /** The figure draws itself on arrival, after the cheap few-step grid, unless the user got there first. */
  private arrival = true;
  private runId = 0;
  /** A training asked for while the worker restarts (after Stop of a run); sent when it is ready. */
  private pendingTrain: TrainRequest | null = null;
  private pendingLoad: { name: string; bytes: ArrayBuffer } | null = null;
  // the live panel: at most one request in flight; while it runs, only the latest setting waits
  private liveInFlight = false;
  private liveWanted: { w: number; steps: number } | null;
  private liveId = 0;
  private readonly client: EngineClient;

  constructor(
    private readonly base: string,
    private readonly form: FormState,
    private readonly hooks: EngineHooks,
  ) {
    this.live = { ...this.live, w: form.liveW, steps: form.liveSteps };
    this.liveWanted = { w: form.liveW, steps: form.liveSteps };
    this.client = new EngineClient(base, (m) => this.onMessage(m), (m) => (this.fatal = m));
    if (typeof WebAssembly !== "object" || !WebAssembly.validate(SIMD_PROBE)) {
      this.fatal = "This browser does not support WebAssembly SIMD, which flowlab's engine needs. Try a current Chrome, Edge, Firefox or Safari.";
    } else this.startEngine();
    this.loadDigits();
    void probeWebGpu().then((r) => (this.webgpu = r));
  }

  /** The live panel asks for a grid at (w, steps); the latest request wins. */
  requestLive(w: number, steps: number): void {
    this.liveWanted = { w, steps };
    this.pumpLive();
  }

  private pumpLive(): void {
    if (this.liveInFlight || !this.liveWanted || !this.ready || this.training || this.running || this.bench.status === "running") return;
    const live = { id: ++this.liveId, w: this.liveWanted.w, steps: this.liveWanted.steps, seed: this.form.good.seed };
    this.liveWanted = null;
    this.liveInFlight = true;
    if (this.live.status === "idle") this.live = { ...this.live, status: "loading" };
    this.client.send({ type: "live", live });
  }

  /** Routes one message from the worker into the state. */
  private onMessage(m: FromWorker): void {
    switch (m.type) {
      case "ready":
        return this.onReady(m);
      case "error":
        return this.onError(m);
      case "live": {
        this.liveInFlight = false;
        this.live = { status: "ready", images: m.images, labels: m.labels, w: m.req.w, steps: m.req.steps, seconds: m.seconds, nfe: m.nfe, range: m.range, message: "" };
        // the worker used the nearest w and steps the model was trained for
        if (this.form.liveW < m.range.wMin || this.form.liveW > m.range.wMax) this.form.liveW = m.req.w;
        if (!m.range.steps.includes(this.form.liveSteps)) this.form.liveSteps = m.req.steps;
        this.arrive();
        return this.pumpLive();
      }
      case "loaded":
        this.setSource({ kind: "bytes", name: m.name, bytes: m.bytes });
        this.model = m.model;
        this.loadOk = true;
        this.loadMessage = `Loaded ${m.name}.`;
        return;
      case "trainStep": {
        const t = this.train;
        this.train = { ...t, status: t.status === "paused" ? "paused" : "running", steps: [...t.steps, m.step], losses: [...t.losses, m.loss], total: m.total, samplesPerSecond: m.samplesPerSecond, etaSeconds: m.etaSeconds, runsOn: this.runsOn() };
        return;
      }
      case "trainSamples":
        this.train = { ...this.train, grid: { step: m.step, w: m.w, images: m.images, labels: m.labels, channels: m.channels, classNames: m.classNames } };
        return;
      case "bench":
        this.bench = { status: "done", figures: m.figures, message: "" };
        return this.pumpLive();
      case "trainStopped":
        this.setSource({ kind: "bytes", name: m.name, bytes: m.bytes });
        this.model = m.model;
        this.train = { ...this.train, status: m.reason === "finished" ? "finished" : "stopped", samplesPerSecond: m.samplesPerSecond };
        if (this.runMessage === TRAINING_BUSY) this.runMessage = "";
        this.pumpLive();
        this.trainOk = true;
        this.trainMessage = `${m.reason === "finished" ? "Finished" : "Stopped"} at step ${m.step} of ${m.total}: the sampler now uses this model (Download saves it; Restore shipped model goes back).`;
        return;
      default:
        return this.onRunMessage(m);
    }
  }

  private onReady(m: Extract<FromWorker, { type: "ready" }>): void {
    this.ready = true;
    this.engineInfo = { threads: m.threads, kernels: m.kernels, sharedMemory: m.sharedMemory, backend: m.backend, backendNote: m.backendNote };
    this.model = m.model;
    this.liveInFlight = false; // a restarted worker has forgotten any request
    if (this.pendingTrain) {
      const train = this.pendingTrain;
      this.pendingTrain = null;
      this.client.send({ type: "train", train });
    }
    if (this.run?.status === "queued") {
      this.run = { ...this.run, status: "running", model: { ...this.run.model, name: m.model.name } };
      this.client.send({ type: "run", id: this.run.id, run: this.run.req });
    }
    if (this.pendingLoad) {
      const p = this.pendingLoad;
      this.pendingLoad = null;
      this.client.send({ type: "load", name: p.name, bytes: p.bytes }, [p.bytes]);
    }
    this.pumpLive();
  }

  private onError(m: Extract<FromWorker, { type: "error" }>): void {
    if (m.context === "init") this.fatal = m.message;
    else if (m.context === "bench") this.bench = { status: "failed", figures: [], message: `The benchmark failed: ${m.message}` };
    else if (m.context === "load") {
      this.loadMessage = m.message;
      this.loadOk = false;
    } else if (m.context === "live") {
      this.liveInFlight = false;
      this.live = { ...this.live, status: "failed", message: `The few-step model is not available: ${m.message}` };
      this.arrive();
    } else if (m.context === "train") {
      this.trainOk = false;
      this.trainMessage = `Training failed: ${m.message}`;
      if (this.runMessage === TRAINING_BUSY) this.runMessage = "";
      this.train = { ...this.train, status: "stopped" };
    } else if (this.run) {
      this.run = { ...this.run, status: "failed", message: m.message };
    }
  }

  /** A message of the current run; messages of a stopped or replaced run are dropped. */
  private onRunMessage(m: Extract<FromWorker, { type: "progress" | "column" | "judged" | "done" }>): void {
    const run = this.run;
    if (!run || m.id !== run.id || run.status !== "running") return;
    if (m.type === "progress") this.run = { ...run, progress: { column: m.column, done: m.done, total: m.total, t: m.t }, preview: m.preview };
    else if (m.type === "column") {
      const columns = [...run.columns];
      columns[m.column] = { w: m.w, images: m.images, labels: m.labels, frames: m.frames, seconds: m.seconds, nfe: m.nfe, judged: null };
      this.run = { ...run, columns };
    } else if (m.type === "judged") {
      const columns = [...run.columns];
      const c = columns[m.index];
      if (c) columns[m.index] = { ...c, judged: m.column };
      this.run = { ...run, columns };
    } else {
      this.run = { ...run, status: "done", progress: null, seconds: m.seconds };
      this.pumpLive();
    }
  }

  /** The sampled model is now `source`: runs drawn by another are stale. */
  private setSource(source: ModelSource): void {
    this.modelSource = source;
    this.shipped = source.kind === "url";
    this.modelSerial = source.kind === "url" ? 0 : ++this.lastSerial;
  }

  /** Goes back to the site's shipped model (after a load or a training), on a fresh worker. */
  restoreShipped(): void {
    if (this.shipped) return;
    if (this.training) {
      this.loadOk = false;
      this.loadMessage = "Stop the training before restoring the shipped model.";
      return;
    }
    if (this.running) this.stopRun(false);
    this.setSource({ kind: "url" });
    this.model = null;
    this.loadOk = true;
    this.loadMessage = "Restored the shipped model.";
    this.loadDropped = false;
    this.startEngine();
  }

  private startEngine(): void {
    this.ready = false;
    this.client.start(this.modelSource, this.backend);
  }

  /** Where training runs, for the stats line: the engine's threads on WebAssembly, or WebGPU. */
  private runsOn(): string {
    const e = this.engineInfo;
    if (e?.backend === "webgpu") return "WebGPU";
    const n = e?.threads ?? 1;
    return `${n} engine thread${n > 1 ? "s" : ""}`;
  }

  /** The backend switch: restarts the worker on `b` with the model being sampled (a run stops; not while training). */
  chooseBackend(b: PageBackend): void {
    if (b === this.backend) return;
    if (this.training || this.bench.status === "running") {
      this.backendMessage = this.training ? "Stop the training before switching the backend." : "Wait for the benchmark before switching the backend.";
      return;
    }
    this.backendMessage = "";
    if (this.running) this.stopRun(false);
    this.backend = b;
    this.bench = { status: "idle", figures: [], message: "" };
    this.startEngine();
  }

  /** Benchmark: times a training step and a sampling step at the training batch, on the backend in use and on WebAssembly. */
  runBenchmark(): void {
    const batch = this.form.trainRequest();
    const busy = !this.ready ? "the engine is starting" : this.training ? "training is using the engine" : this.running ? "a run is drawing" : "";
    if (!batch.ok || busy) {
      this.bench = { status: "failed", figures: [], message: batch.ok ? `Not now: ${busy}.` : batch.message };
      return;
    }
    this.bench = { status: "running", figures: [], message: "" };
    this.client.send({ type: "bench", batch: batch.value.batch });
  }

  /** On arrival (or an opened link): the full figure, once the few-step grid is drawn. */
  private arrive(): void {
    if (!this.arrival) return;
    if (!this.run && !this.training) this.generate();
    this.arrival = false;
  }

  /** Generate: a new run from the form's values (replacing a running one), or a message saying why not. */
  generate(): void {
    this.arrival = false;
    const req = this.form.runRequest();
    if (!req.ok) {
      this.runMessage = req.message;
      return;
    }
    if (this.training) {
      this.runMessage = TRAINING_BUSY;
      return;
    }
    if (this.fatal) {
      this.runMessage = "The engine is not available (see the message above).";
      return;
    }
    this.runMessage = "";
    if (this.running) this.stopRun(false);
    const named = this.model?.classNames ?? null;
    // a model with named classes draws each of its classes and ∅ (the digit boxes choose MNIST's rows)
    const run = named ? { ...req.value, classes: Array.from({ length: named.length + 1 }, (_, k) => k) } : req.value;
    this.run = { id: ++this.runId, req: run, model: { name: this.model?.name ?? "the model", serial: this.modelSerial }, columns: [], status: this.ready ? "running" : "queued", progress: null, preview: null, seconds: null, message: "", classNames: named, channels: this.model?.imageChannels ?? 1 };
    this.form.clampToRun(run);
    if (this.ready) this.client.send({ type: "run", id: this.run.id, run });
  }

  /** Stops a run at once: the worker is inside the solver loop, so it is replaced by a fresh one. */
  stopRun(report = true): void {
    const run = this.run;
    if (!run || !this.running) return;
    const p = run.progress;
    this.run = { ...run, status: "stopped", message: report ? (p ? `Stopped at step ${p.done} of ${p.total} (w = ${run.req.ws[p.column]}).` : "Stopped before the first step.") : "" };
    this.startEngine();
    if (report) this.hooks.onRunStopped();
  }

  /** Loads a checkpoint file the user chose or dropped. */
  async loadFile(file: File | undefined, dropped = false): Promise<void> {
    if (!file) return;
    this.loadOk = false;
    this.loadDropped = dropped;
    if (this.training) {
      this.loadMessage = "Stop the training before loading another model.";
      return;
    }
    if (file.size > MAX_FILE_BYTES) {
      this.loadMessage = `${file.name} is ${(file.size / 2 ** 20).toFixed(0)} MB; a flowlab checkpoint of the lab's U-Net is a few MB. Choose a .safetensors checkpoint.`;
      return;
    }
    if (this.running) this.stopRun();
    this.loadMessage = `Reading ${file.name}…`;
    const bytes = await file.arrayBuffer();
    if (this.ready) this.client.send({ type: "load", name: file.name, bytes }, [bytes]);
    else this.pendingLoad = { name: file.name, bytes };
  }

  /** Saves the model being sampled: the shipped file, or the bytes loaded or trained. */
  download(): void {
    const source = this.modelSource;
    if (source.kind === "url") {
      const a = Object.assign(document.createElement("a"), { href: new URL("mnist-cfg.safetensors", this.base).href, download: "mnist-cfg.safetensors" });
      a.click();
      return;
    }
    const url = URL.createObjectURL(new Blob([source.bytes], { type: "application/octet-stream" }));
    const a = Object.assign(document.createElement("a"), { href: url, download: source.name });
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  /** Train: starts training with the form's values; false (and a message) when it did not start. */
  startTraining(): boolean {
    this.arrival = false;
    const req = this.form.trainRequest();
    this.trainOk = false;
    if (!req.ok) {
      this.trainMessage = req.message;
      return false;
    }
    if (this.running) this.stopRun();
    this.trainMessage = "";
    this.train = { status: "loading", steps: [], losses: [], total: req.value.steps, samplesPerSecond: 0, etaSeconds: 0, grid: null, runsOn: this.runsOn() };
    const train = this.trainImages ? { ...req.value, data: this.trainImages } : req.value;
    // a stopped run (the arrival figure, say) restarts the worker: the training starts once it is ready
    if (this.ready) this.client.send({ type: "train", train });
    else this.pendingTrain = train;
    return true;
  }

  /** Pause or Resume, whichever the training is not doing. */
  togglePause(): void {
    const paused = this.train.status === "paused";
    this.client.send({ type: paused ? "resume" : "pause" });
    this.train = { ...this.train, status: paused ? "running" : "paused" };
  }

  stepTraining(): void {
    this.client.send({ type: "stepOnce" });
  }

  stopTraining(): void {
    if (this.pendingTrain) {
      this.pendingTrain = null;
      this.train = { ...this.train, status: "stopped" };
      this.trainOk = true;
      this.trainMessage = "Stopped before the first step.";
      return;
    }
    this.client.send({ type: "stopTrain" });
  }

  private loadDigits(): void {
    fetch(new URL("digits.bin", this.base))
      .then(async (r) => {
        if (!r.ok) throw new Error(`HTTP ${r.status}`);
        this.digits = decodeDigitsFile(new Uint8Array(await r.arrayBuffer()));
      })
      .catch((e: unknown) => (this.fatal = `could not load the real digits (digits.bin): ${(e as Error).message}`));
  }
}

/** Whether navigator.gpu gives an adapter here, else why not (one line). */
async function probeWebGpu(): Promise<{ ok: true } | { ok: false; reason: string }> {
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (!gpu) return { ok: false, reason: "this browser has no WebGPU (navigator.gpu)" };
  try {
    return (await gpu.requestAdapter()) ? { ok: true } : { ok: false, reason: "WebGPU gives no adapter here (no usable GPU or driver)" };
  } catch (e) {
    return { ok: false, reason: `WebGPU's adapter request failed: ${(e as Error).message}` };
  }
}
