// Peak resident memory of a lab training step at batch 250, measured in a fresh child process.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { BenchResult } from "./harness.js";

export function trainPeakRssBench(): BenchResult {
  const child = fileURLToPath(new URL("./rss-child.js", import.meta.url));
  const out = execFileSync(process.execPath, [child], { encoding: "utf8" });
  const { peakRssMb } = JSON.parse(out.trim().split("\n").pop() ?? "{}") as { peakRssMb: number };
  return { name: "unet_train_b250_t2_peak_rss_mb", value: peakRssMb, unit: "MB" };
}
