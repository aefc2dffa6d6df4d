// Messages between the 2-D flow panel and its own worker (a single-threaded engine, so the panel
// answers while the main engine draws digits).
import type { ToySetName } from "../src/toy/datasets.js";

/** What the panel shows: particles of label y (numClasses = ∅) at guidance w in `steps` steps, the field at t. */
export interface ToyViewRequest {
  id: number;
  y: number;
  w: number;
  steps: number;
  t: number;
}

export type ToToyWorker = { type: "train"; set: ToySetName; steps: number } | { type: "view"; view: ToyViewRequest };

export type FromToyWorker =
  | { type: "ready" }
  | { type: "progress"; step: number; total: number; losses: number[]; seconds: number }
  | { type: "view"; req: ToyViewRequest; frames: Float32Array[]; field: Float32Array; grid: Float32Array; fieldAt: number }
  | { type: "error"; message: string };
