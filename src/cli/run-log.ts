// The run folder's log.jsonl after a crash: lines logged after the last checkpoint (and a torn last
// line) are cut, so a resumed run never logs a step twice; a run killed before its first checkpoint
// starts again.
import { existsSync, unlinkSync } from "node:fs";
import { writeFileAtomic } from "../io/atomic.js";
import { readInputFile } from "../io/read-input.js";
import { UsageError } from "./args.js";

/** Keeps the complete lines with step ≤ `step`; returns how many lines were removed. */
export function truncateLog(file: string, step: number): number {
  if (!existsSync(file)) return 0;
  const lines = new TextDecoder().decode(readInputFile(file, { what: "log" })).split("\n").filter((l) => l !== "");
  const keep = lines.filter((l) => {
    try {
      const s = (JSON.parse(l) as { step?: unknown }).step;
      return typeof s === "number" && s <= step;
    } catch {
      return false; // torn by the kill
    }
  });
  if (keep.length === lines.length) return 0;
  writeFileAtomic(file, keep.map((l) => l + "\n").join(""));
  return lines.length - keep.length;
}

const isStepLine = (l: string): boolean => {
  try {
    const o = JSON.parse(l) as { step?: unknown; loss?: unknown };
    return typeof o.step === "number" && typeof o.loss === "number";
  } catch {
    return false;
  }
};

/**
 * A log.jsonl that only a run killed before its first checkpoint can have left (every complete line is a
 * step record; the last may be torn) is removed, and its line count returned: nothing of that run can be
 * resumed. Any other file is kept and null returned.
 */
export function removeKilledRunLog(file: string): number | null {
  const text = new TextDecoder().decode(readInputFile(file, { what: "log" }));
  const complete = text.split("\n").slice(0, -1); // what follows the last newline is torn or empty
  if (!complete.every(isStepLine)) return null;
  unlinkSync(file);
  return complete.length;
}

/** A fresh run whose folder has a log.jsonl but no checkpoint: a killed run's log is removed (with a note), any other file stops the run. */
export function restartKilledRun(logFile: string, log: (s: string) => void): void {
  if (!existsSync(logFile)) return;
  const n = removeKilledRunLog(logFile);
  if (n === null) throw new UsageError(`${logFile} exists and is not a flowlab log; flowlab neither appends to nor replaces it: remove it or choose another --out`);
  log(`${logFile}: removed ${n} line(s) of a run killed before its first checkpoint; starting again`);
}
