// Where flowlab's shipped files (models, judge) live, relative to the package root: used by the CLI and by
// flowlab/node's SHIPPED_* constants, so it sits below both.
import path from "node:path";
import { fileURLToPath } from "node:url";

export const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const defaultModel = path.join(packageRoot, "models", "mnist-cfg.safetensors");
export const defaultJudge = path.join(packageRoot, "models", "judge.safetensors");
export const weakModel = path.join(packageRoot, "models", "mnist-cfg-weak.safetensors");
export const labModel = path.join(packageRoot, "models", "mnist-cfg-lab.safetensors");
export const fewStepModel = path.join(packageRoot, "models", "mnist-fewstep.safetensors");
