// Messages between the page and its engine worker (which does all the compute but the path panel).
import type { Settings } from "../src/page/settings.js";
import type { KernelSet } from "../src/tensor/index.js";
import type { BackendFigures } from "../src/bench/backend-bench.js";

/** The backends the page offers: WebAssembly SIMD on the CPU, or WebGPU. */
export type PageBackend = "wasm" | "webgpu";

/** Where the worker gets its model: the site's shipped file, or bytes the page holds (loaded or trained). */
export type ModelSource = { kind: "url" } | { kind: "bytes"; name: string; bytes: ArrayBuffer };

export interface ModelInfo {
  name: string;
  channels: number[];
  residualLayers: number;
  /** Widths of the time and label embeddings. */
  tEmbedDim: number;
  yEmbedDim: number;
  /** The images it reads and writes: channels and side. */
  imageChannels: number;
  imageSize: number;
  /** Training step recorded in the checkpoint, if any. */
  step: number | null;
  ema: boolean;
  /** Classes (∅ is numClasses). */
  numClasses: number;
  /** Class names stored in the checkpoint (an image folder's subfolders); null for MNIST's digits. */
  classNames: string[] | null;
}

/** One figure: rows = classes, a column group per w, every w drawn from the same noise. */
export type RunRequest = Pick<Settings, "classes" | "ws" | "perClass" | "steps" | "solver" | "guidance" | "seed">;

export interface TrainRequest {
  steps: number;
  batch: number;
  sampleEvery: number;
  /** Prepared images to learn instead of MNIST's digits (a dropped folder or the emoji example). */
  data?: TrainData;
}

/** Prepared training images, held by the page (never sent anywhere but its own worker). */
export interface TrainData {
  name: string;
  images: Float32Array; // [N, C, S, S] in [−1, 1]
  labels: Int32Array; // [N]
  classNames: string[];
  channels: number;
  size: number;
}

export type ToWorker =
  | { type: "init"; base: string; model: ModelSource; backend: PageBackend }
  | { type: "run"; id: number; run: RunRequest }
  | { type: "load"; name: string; bytes: ArrayBuffer }
  | { type: "train"; train: TrainRequest }
  | { type: "pause" }
  | { type: "resume" }
  | { type: "stepOnce" }
  | { type: "stopTrain" }
  | { type: "live"; live: LiveRequest }
  | { type: "bench"; batch: number };

/**
 * Frames of one column, kept every `every` steps: times[k], and per frame the [N, 1024] state x, the
 * guided velocity and its conditional / unconditional parts (cond is null at w = 0 with plain CFG, uncond
 * at w = 1: never evaluated; a frame's part is empty where it was not evaluated at that t, e.g. outside
 * the guidance interval). The last frame (t = 1) has the final samples and no velocity (all zeros).
 */
export interface Frames {
  times: number[];
  every: number;
  x: Float32Array[];
  drift: Float32Array[];
  cond: Float32Array[] | null;
  uncond: Float32Array[] | null;
}

export interface JudgedColumn {
  w: number;
  /** Judge accuracy over the digit rows (∅ rows ask for no class). NaN without digit rows. */
  accuracy: number;
  confidence: number;
  /** Mean pairwise L2 within a digit, relative to real digits (NaN with one sample per digit). */
  diversity: number;
}

export type ErrorContext = "init" | "run" | "load" | "train" | "live" | "bench";

export type FromWorker =
  | { type: "ready"; threads: number; kernels: KernelSet; sharedMemory: boolean; model: ModelInfo; backend: PageBackend; backendNote: string }
  /** The Benchmark button's figures: the backend in use, then WebAssembly's (measured in the same sitting). */
  | { type: "bench"; figures: BackendFigures[] }
  | { type: "error"; context: ErrorContext; message: string }
  | { type: "progress"; id: number; column: number; done: number; total: number; t: number; preview: Float32Array }
  | { type: "column"; id: number; column: number; w: number; images: Float32Array; labels: number[]; frames: Frames; seconds: number; nfe: number }
  | { type: "judged"; id: number; column: JudgedColumn; index: number }
  | { type: "done"; id: number; seconds: number }
  | { type: "loaded"; model: ModelInfo; name: string; bytes: ArrayBuffer }
  | { type: "trainStep"; step: number; total: number; loss: number; samplesPerSecond: number; etaSeconds: number }
  | { type: "trainSamples"; step: number; w: number; images: Float32Array; labels: number[]; channels: number; classNames: string[] | null }
  | { type: "live"; id: number; req: LiveRequest; images: Float32Array; labels: number[]; seconds: number; nfe: number; range: FewStepRange }
  | { type: "trainStopped"; step: number; total: number; reason: "finished" | "stopped"; model: ModelInfo; name: string; bytes: ArrayBuffer; samplesPerSecond: number };

/** One redraw of the live panel: digits 0–9 from the few-step model at guidance w, in `steps` passes. */
export interface LiveRequest {
  id: number;
  w: number;
  steps: number;
  seed: number;
}

/** What the few-step model was trained for: its w range and step counts. */
export interface FewStepRange {
  wMin: number;
  wMax: number;
  steps: number[];
}
