// Messages between the page and its engine worker.
import type { GenerateOptions } from "../src/sample/generate.js";
import type { KernelSet } from "../src/tensor/index.js";

export interface GenerateRequest extends Pick<GenerateOptions, "classes" | "perClass" | "w" | "steps" | "solver" | "seed"> {
  type: "generate";
  id: number;
}

export type ToWorker = { type: "init" } | GenerateRequest | { type: "path"; digit: number; t: number; seed: number };

export type FromWorker =
  | { type: "ready"; threads: number; kernels: KernelSet; isolated: boolean; model: string; digits: number }
  | { type: "error"; message: string }
  | { type: "step"; id: number; i: number; total: number; t: number; x: Float32Array; xhat: Float32Array; ms: number }
  | { type: "done"; id: number; images: Float32Array; labels: number[]; nfe: number; ms: number }
  | { type: "path"; z: Float32Array; x: Float32Array; t: number; label: number };
