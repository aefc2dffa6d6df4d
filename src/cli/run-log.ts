// The run folder's log.jsonl after a crash: lines logged after the last checkpoint (and a torn last
// line) are cut, so a resumed run never logs a step twice.
import { readFileSync, existsSync } from "node:fs";
import { writeFileAtomic } from "../io/atomic.js";

/** Keeps the complete lines with step ≤ `step`; returns how many lines were removed. */
export function truncateLog(file: string, step: number): number {
  if (!existsSync(file)) return 0;
  const lines = readFileSync(file, "utf8").split("\n").filter((l) => l !== "");
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
