// flowlab's Node.js entry ("flowlab/node"): start the engine on worker threads, and the file-level
// helpers that need Node: the shipped models, checkpoint and PNG files, MNIST and IDX data sets.
import { readFileSync, existsSync, statSync } from "node:fs";
import { defaultModel, defaultJudge, fewStepModel, labModel } from "./io/package-files.js";
import { initNodeEngine } from "./tensor/node.js";
import type { EngineOptions, EngineInfo } from "./tensor/engine.js";
import { engineInfo } from "./tensor/engine.js";
import { decodeCheckpoint, encodeCheckpoint, loadModel, type TrainState } from "./train/checkpoint.js";
import { decodeJudge } from "./judge/judge.js";
import type { Classifier } from "./nn/classifier.js";
import type { UNet } from "./nn/unet.js";
import { writeFileAtomic } from "./io/atomic.js";
import { encodePng } from "./viz/png.js";
import type { Canvas } from "./viz/grid.js";

export { loadDataset, type Split } from "./data/load.js";
export { MissingPackageError, installCommand, type OptionalUse } from "./io/optional-packages.js";
export { parseIdxImages, parseIdxLabels, IdxError } from "./data/idx.js";
export { writeFileAtomic } from "./io/atomic.js";
export { encodePng } from "./viz/png.js";
export { realDigits } from "./eval/real-digits.js";
export { runTrainingStudy, runCheckpoints, lossCurve, trainingMarkdown, isTrainingStudyFile, TRAINING_STUDY, type TrainingStudyOptions, type TrainingStudyFile, type TrainingRow } from "./studies/training.js";

/** The shipped CFG model: the lab's U-Net at channels [16, 32, 64], with its EMA weights. */
export const SHIPPED_MODEL = defaultModel;
/** The lab's full U-Net (channels [32, 64, 128]) trained 79 minutes: closer to MNIST, 4× slower to sample than SHIPPED_MODEL. */
export const SHIPPED_LAB_MODEL = labModel;
/** The shipped few-step model: distilled from SHIPPED_MODEL, w as an input, sampled in 1, 2 or 4 evaluations. */
export const SHIPPED_FEWSTEP_MODEL = fewStepModel;
/** The shipped MNIST classifier that judges generated digits. */
export const SHIPPED_JUDGE = defaultJudge;

/**
 * Starts flowlab's engine: compiles the WebAssembly SIMD kernels (the relaxed-SIMD build when the
 * runtime allows it) and starts one worker thread per extra core. Await it once before any tensor work.
 */
export async function startEngine(opts: EngineOptions = {}): Promise<EngineInfo> {
  await initNodeEngine(opts);
  return engineInfo();
}

function readBytes(file: string, what: string): Uint8Array {
  if (!existsSync(file)) throw new Error(`${what} ${file} does not exist`);
  if (statSync(file).isDirectory()) throw new Error(`${what} ${file} is a folder, not a file`);
  return readFileSync(file);
}

/** The model to sample with from a checkpoint file (default: the shipped model); see loadModel. */
export function loadModelFile(file: string = SHIPPED_MODEL): UNet {
  return loadModel(readBytes(file, "checkpoint"), file);
}

/** Everything in a checkpoint file: the model, EMA weights, Adam's moments and the training record. */
export function readCheckpointFile(file: string): TrainState {
  return decodeCheckpoint(readBytes(file, "checkpoint"), file);
}

/** Writes a checkpoint atomically (temp file, fsync, rename). */
export function writeCheckpointFile(file: string, state: Parameters<typeof encodeCheckpoint>[0], opts: { weightsOnly?: boolean } = {}): void {
  writeFileAtomic(file, encodeCheckpoint(state, opts));
}

/** The judge (an MNIST classifier) from a file (default: the shipped judge). */
export function loadJudgeFile(file: string = SHIPPED_JUDGE): Classifier {
  return decodeJudge(readBytes(file, "judge"), file).net;
}

/** Writes a grey canvas (e.g. imageGrid's) as a PNG file, atomically. */
export function writePngFile(file: string, c: Canvas): void {
  writeFileAtomic(file, encodePng(c));
}
