// Writes the web page's static files into web/public: the shipped model (EMA weights only) and
// 100 MNIST test digits (32×32 u8, labels first) for the probability-path panel.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { initNodeEngine } from "../tensor/node.js";
import { shutdownEngine } from "../tensor/index.js";
import { readCheckpoint, writeCheckpoint } from "./ckpt-io.js";
import { defaultModel, packageRoot } from "./paths.js";
import { loadDataset } from "../data/load.js";

await initNodeEngine({ threads: 1 });
const out = path.join(packageRoot, "web", "public");
mkdirSync(out, { recursive: true });
const state = readCheckpoint(defaultModel);
writeCheckpoint(path.join(out, "mnist-cfg.safetensors"), { ...state, adam: null }, { weightsOnly: true });
const test = loadDataset("mnist", "test");
const n = 100;
const bytes = new Uint8Array(n + n * 1024);
for (let i = 0; i < n; i++) {
  bytes[i] = test.labels[i]!;
  for (let p = 0; p < 1024; p++) bytes[n + i * 1024 + p] = Math.round((test.images[i * 1024 + p]! + 1) * 127.5);
}
writeFileSync(path.join(out, "digits.bin"), bytes);
console.log(`wrote ${out}/mnist-cfg.safetensors and digits.bin`);
shutdownEngine();
