// Run as its own process by the bench: three lab training steps at batch 250 on 2 threads, then the
// process's peak resident memory (so the figure holds only what training needed) as one JSON line.
import { initNodeEngine } from "../tensor/node.js";
import * as T from "../tensor/index.js";
import { CfgTrainer } from "../train/trainer.js";
import { preset } from "../train/presets.js";
import { syntheticData } from "./extra.js";

await initNodeEngine({ threads: 2 });
const trainer = new CfgTrainer({ ...preset("lab"), emaDecay: 0 }, syntheticData());
for (let i = 0; i < 3; i++) trainer.trainStep();
T.shutdownEngine();
// resourceUsage().maxRSS is in kilobytes
console.log(JSON.stringify({ peakRssMb: process.resourceUsage().maxRSS / 1024 }));
