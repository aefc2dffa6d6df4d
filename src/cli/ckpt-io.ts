// The CLI's checkpoint reader and writer: the library's (train/checkpoint-file.ts), with --no-verify
// (a global flag main.ts applies once) deciding whether the stored SHA-256 is checked.
import { readCheckpointFile, writeCheckpointFile } from "../train/checkpoint-file.js";
import type { TrainState } from "../train/checkpoint.js";
import * as T from "../tensor/index.js";
import { InputError } from "../io/errors.js";
import { UsageError } from "./args.js";

let verify = true;

/** --no-verify: read checkpoints without checking their SHA-256 (for every command). */
export function skipChecksums(): void {
  verify = false;
}

/** Whether checkpoints are verified (false after --no-verify). */
export function verifyingChecksums(): boolean {
  return verify;
}

/** The checkpoint in `file`; a missing, special or oversized file is a UsageError (one line, exit 2). */
export function readCheckpoint(file: string): TrainState {
  try {
    return readCheckpointFile(file, { verify });
  } catch (e) {
    throw e instanceof InputError ? new UsageError(e.message) : e;
  }
}

/** Reads and releases a checkpoint: a corrupt one fails before a command's slow setup. */
export function checkCheckpoint(file: string): void {
  const s = readCheckpoint(file);
  T.disposeAll([s.net.params, s.ema, s.adam]);
}

export const writeCheckpoint = writeCheckpointFile;
