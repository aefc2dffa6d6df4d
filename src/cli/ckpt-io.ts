// Reading and writing checkpoints on disk, with errors that name the file.
import { readFileSync, existsSync, statSync } from "node:fs";
import { decodeCheckpoint, encodeCheckpoint, type TrainState } from "../train/checkpoint.js";
import { writeFileAtomic } from "../io/atomic.js";
import { UsageError } from "./args.js";

export function readCheckpoint(file: string): TrainState {
  if (!existsSync(file)) throw new UsageError(`checkpoint ${file} does not exist`);
  if (statSync(file).isDirectory()) throw new UsageError(`checkpoint ${file} is a folder, not a .safetensors file`);
  return decodeCheckpoint(readFileSync(file), file);
}

export function writeCheckpoint(file: string, s: TrainState, opts: { weightsOnly?: boolean } = {}): void {
  writeFileAtomic(file, encodeCheckpoint(s, opts));
}
