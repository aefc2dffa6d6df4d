// The CLI's checkpoint reader and writer: the library's (train/checkpoint-file.ts), with --no-verify
// (a global flag main.ts applies once) deciding whether the stored SHA-256 is checked.
import { readCheckpointFile, writeCheckpointFile } from "../train/checkpoint-file.js";
import type { TrainState } from "../train/checkpoint.js";

let verify = true;

/** --no-verify: read checkpoints without checking their SHA-256 (for every command). */
export function skipChecksums(): void {
  verify = false;
}

/** Whether checkpoints are verified (false after --no-verify). */
export function verifyingChecksums(): boolean {
  return verify;
}

export function readCheckpoint(file: string): TrainState {
  return readCheckpointFile(file, { verify });
}

export const writeCheckpoint = writeCheckpointFile;
