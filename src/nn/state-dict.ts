// Flattens nested parameter objects into PyTorch state_dict keys ("a.0.b.weight") and back,
// loads a state dict with a report of missing, extra and mis-shaped keys, and infers the U-Net config.
import * as T from "../tensor/index.js";
import { toF32, toI32, type StTensor } from "../io/safetensors.js";
import type { FewStepConfig, UNetConfig } from "./config.js";
import { initUNet, type UNet } from "./unet.js";

/** Parameters and buffers by PyTorch state_dict key. */
export type StateDict = Map<string, T.Tensor>;

/** Every tensor in a parameter tree, keyed by its PyTorch name, in tree order. */
export function stateDict(tree: object, prefix = ""): StateDict {
  const out: StateDict = new Map();
  const walk = (node: unknown, name: string) => {
    if (node instanceof T.Tensor) {
      out.set(name, node);
      return;
    }
    if (node === null || typeof node !== "object") return;
    const entries = Array.isArray(node) ? node.map((v, i) => [String(i), v] as const) : Object.entries(node);
    for (const [k, v] of entries) walk(v, name ? `${name}.${k}` : k);
  };
  walk(tree, prefix);
  return out;
}

/** Trainable parameters only (running stats and counters are buffers). */
export function parameters(tree: object): StateDict {
  const all = stateDict(tree);
  for (const k of [...all.keys()]) if (!all.get(k)!.requiresGrad) all.delete(k);
  return all;
}

/** A checkpoint's keys or shapes do not match the model; the message lists them. */
export class CheckpointMismatchError extends Error {
  override name = "CheckpointMismatchError";
}

/** Copies `source` into `target` in place; throws one error listing every missing, extra and mis-shaped key. */
export function loadStateDict(target: StateDict, source: Map<string, StTensor>, what = "checkpoint"): void {
  const missing = [...target.keys()].filter((k) => !source.has(k));
  const extra = [...source.keys()].filter((k) => !target.has(k));
  const misshaped: string[] = [];
  for (const [k, t] of target) {
    const s = source.get(k);
    if (!s) continue;
    const shapeOk = k.endsWith("num_batches_tracked") ? s.shape.length === 0 || (s.shape.length === 1 && s.shape[0] === 1) : s.shape.length === t.rank && s.shape.every((d, i) => d === t.shape[i]);
    if (!shapeOk) misshaped.push(`${k}: file [${s.shape.join(", ")}], model [${t.shape.join(", ")}]`);
  }
  if (missing.length || extra.length || misshaped.length) {
    const parts: string[] = [];
    const list = (xs: string[]) => xs.slice(0, 12).join(", ") + (xs.length > 12 ? `, … (${xs.length - 12} more)` : "");
    if (missing.length) parts.push(`missing ${missing.length} key(s): ${list(missing)}`);
    if (extra.length) parts.push(`unexpected ${extra.length} key(s): ${list(extra)}`);
    if (misshaped.length) parts.push(`mis-shaped ${misshaped.length} key(s): ${list(misshaped)}`);
    throw new CheckpointMismatchError(`${what} does not match the model: ${parts.join("; ")}`);
  }
  for (const [k, t] of target) {
    const s = source.get(k)!;
    if (t.dtype === "i32") t.idata.set(toI32(s, `${what} ${k}`));
    else {
      if (s.dtype !== "F32") throw new CheckpointMismatchError(`${what}: ${k} is stored as ${s.dtype}; weights must be F32 (float32)`);
      const v = toF32(s);
      for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i]!)) throw new CheckpointMismatchError(`${what}: ${k} holds a non-finite value at ${i}`);
      t.data.set(v);
    }
  }
}

/**
 * Reads the architecture from a U-Net state dict's key names and shapes. A few-step model (w_embedder and
 * d_embedder keys) also needs its w range and step counts: `modelConfig` is the file's model_config metadata.
 */
export function inferUNetConfig(sd: Map<string, StTensor>, what = "checkpoint", modelConfig?: string): UNetConfig {
  const need = (k: string): number[] => {
    const t = sd.get(k);
    if (!t) throw new CheckpointMismatchError(`${what} is not a flowlab/lab U-Net: key ${k} is missing`);
    return t.shape;
  };
  const [c0, channelsIn] = need("init_conv.0.weight") as [number, number];
  const channelsOut = need("final_conv.weight")[0]!;
  const channels = [c0];
  for (let i = 0; sd.has(`encoders.${i}.downsample.weight`); i++) channels.push(need(`encoders.${i}.downsample.weight`)[0]!);
  let n = 0;
  const firstBlock = channels.length > 1 ? "encoders.0" : "midcoder";
  while (sd.has(`${firstBlock}.res_blocks.${n}.block1.2.weight`)) n++;
  const tEmbedDim = need("time_embedder.weights")[1]! * 2;
  const [rows, yEmbedDim] = need("y_embedder.weight") as [number, number];
  const image = imageFromMetadata(modelConfig, rows - 1);
  const base: UNetConfig = { channels, numResidualLayers: n, tEmbedDim, yEmbedDim, numClasses: rows - 1, ...(channelsIn !== 1 ? { channelsIn } : {}), ...(channelsOut !== 1 ? { channelsOut } : {}), ...image };
  if (!sd.has("w_embedder.1.weight") && !sd.has("d_embedder.1.weight")) return base;
  return { ...base, fewStep: fewStepFromMetadata(modelConfig, what) };
}

/** imageSize and classNames from model_config metadata, when present and well-formed (a bare PyTorch state dict has none). */
function imageFromMetadata(modelConfig: string | undefined, numClasses: number): Pick<UNetConfig, "imageSize" | "classNames"> {
  if (modelConfig === undefined) return {};
  let m: Partial<UNetConfig>;
  try {
    m = JSON.parse(modelConfig) as Partial<UNetConfig>;
  } catch {
    return {};
  }
  const out: Pick<UNetConfig, "imageSize" | "classNames"> = {};
  if (typeof m.imageSize === "number") out.imageSize = m.imageSize;
  if (Array.isArray(m.classNames) && m.classNames.length === numClasses && m.classNames.every((c) => typeof c === "string")) out.classNames = [...m.classNames];
  return out;
}

function fewStepFromMetadata(modelConfig: string | undefined, what: string): FewStepConfig {
  const fail = (why: string) => new CheckpointMismatchError(`${what} is a few-step model but ${why}; its model_config metadata must give fewStep {wMin, wMax, steps}`);
  if (modelConfig === undefined) throw fail("has no model_config metadata");
  let f: Partial<FewStepConfig> | undefined;
  try {
    f = (JSON.parse(modelConfig) as { fewStep?: Partial<FewStepConfig> }).fewStep;
  } catch {
    throw fail("its model_config metadata is not JSON");
  }
  if (!f || typeof f.wMin !== "number" || typeof f.wMax !== "number" || !Array.isArray(f.steps)) throw fail("the metadata lacks fewStep");
  return { wMin: f.wMin, wMax: f.wMax, steps: f.steps.map(Number) };
}

/** Builds a U-Net of the checkpoint's inferred architecture and loads it. */
export function unetFromStateDict(sd: Map<string, StTensor>, what = "checkpoint"): UNet {
  const net = initUNet(inferUNetConfig(sd, what));
  loadStateDict(stateDict(net.params), sd, what);
  return net;
}

/** Engine tensors → safetensors entries (num_batches_tracked as I64, as PyTorch writes it). */
export function toSafetensorsEntries(sd: StateDict): [string, StTensor][] {
  return [...sd].map(([k, t]) => {
    if (t.dtype === "i32") {
      const v = BigInt64Array.from(Array.from(t.idata, (x) => BigInt(x)));
      return [k, { dtype: k.endsWith("num_batches_tracked") ? "I64" : "I32", shape: [...t.shape], data: k.endsWith("num_batches_tracked") ? v : new Int32Array(t.idata) }];
    }
    return [k, { dtype: "F32", shape: [...t.shape], data: t.toFloat32Array() }];
  });
}
