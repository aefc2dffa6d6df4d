// Benchmarks of the layers above the engine (U-Net training step, sampling); filled in as they land.
import type { BenchResult } from "./harness.js";

export function extraBenches(_runs: number): [string, () => BenchResult | Promise<BenchResult | null> | null][] {
  return [];
}
