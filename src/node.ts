// flowlab's Node.js entry ("flowlab/node"): start the engine on worker threads, and the file-level
// helpers that need Node: the shipped models, checkpoint and PNG files, MNIST and IDX data sets.
import { defaultModel, defaultJudge, fewStepModel, labModel } from "./io/package-files.js";
import { initNodeEngine } from "./tensor/node.js";
import type { EngineOptions, EngineInfo } from "./tensor/engine.js";
import { engineInfo } from "./tensor/engine.js";
import { loadModel, type DecodeOptions } from "./train/checkpoint.js";
import { readCheckpointBytes } from "./train/checkpoint-file.js";
import { readInputFile } from "./io/read-input.js";
import { decodeJudge } from "./judge/judge.js";
import type { Classifier } from "./nn/classifier.js";
import type { UNet } from "./nn/unet.js";
import { writeFileAtomic } from "./io/atomic.js";
import { encodePng } from "./viz/png.js";
import type { Canvas } from "./viz/grid.js";

export { loadDataset, type Split } from "./data/load.js";
export { judging, judgeSetup, realImages } from "./eval/real-images.js";
export { MissingPackageError, installCommand, type OptionalUse } from "./io/optional-packages.js";
export { parseIdxImages, parseIdxLabels, IdxError } from "./data/idx.js";
export { readImageFolder, summaryLines, FolderError, FOLDER_LIMITS, type FolderData, type FolderSummary, type FolderLimits, type Skipped } from "./data/folder.js";
export { nodeDecoder } from "./data/node-decoders.js";
export { writeFileAtomic } from "./io/atomic.js";
export { readCheckpointFile, writeCheckpointFile } from "./train/checkpoint-file.js";
export { encodePng } from "./viz/png.js";
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

/** The model to sample with from a checkpoint file (default: the shipped model); see loadModel. */
export function loadModelFile(file: string = SHIPPED_MODEL, opts: DecodeOptions = {}): UNet {
  return loadModel(readCheckpointBytes(file), file, opts);
}

/** The judge (an MNIST classifier) from a file (default: the shipped judge). */
export function loadJudgeFile(file: string = SHIPPED_JUDGE): Classifier {
  return decodeJudge(readInputFile(file, { what: "judge" }), file).net;
}

/** Writes a grey canvas (e.g. imageGrid's) as a PNG file, atomically. */
export function writePngFile(file: string, c: Canvas): void {
  writeFileAtomic(file, encodePng(c));
}
