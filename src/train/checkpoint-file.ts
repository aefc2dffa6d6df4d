// Checkpoint files on disk (Node): the one reader and writer the CLI and flowlab/node share. Reading
// refuses special and endless files before reading, and verifies the SHA-256 flowlab's writer stores.
import { readInputFile } from "../io/read-input.js";
import { writeFileAtomic } from "../io/atomic.js";
import { decodeCheckpoint, encodeCheckpoint, type TrainState, type DecodeOptions } from "./checkpoint.js";

/** The largest checkpoint flowlab reads: 1 GiB (the lab's U-Net with EMA and Adam is about 20 MB). */
export const MAX_CHECKPOINT_BYTES = 2 ** 30;

/** The bytes of a checkpoint file, or an InputError: "checkpoint FILE does not exist", "… is a FIFO …". */
export function readCheckpointBytes(file: string, input?: string): Uint8Array {
  return readInputFile(file, { what: "checkpoint", maxBytes: MAX_CHECKPOINT_BYTES, ...(input !== undefined ? { input } : {}) });
}

/** Everything in a checkpoint file: the model, EMA weights, Adam's moments and the training record. */
export function readCheckpointFile(file: string, opts: DecodeOptions = {}): TrainState {
  return decodeCheckpoint(readCheckpointBytes(file), file, opts);
}

/** Writes a checkpoint atomically (temp file, fsync, rename), with the SHA-256 of its tensor data. */
export function writeCheckpointFile(file: string, state: Parameters<typeof encodeCheckpoint>[0], opts: { weightsOnly?: boolean } = {}): void {
  writeFileAtomic(file, encodeCheckpoint(state, opts));
}
