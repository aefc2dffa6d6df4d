// Checkpoints in safetensors. Bare keys hold the model's state_dict (so PyTorch can read the weights);
// "ema.*", "adam.m.*", "adam.v.*" hold the EMA weights and Adam's moments; __metadata__["flowlab"] holds
// JSON with the step, RNG state and configs. A bare PyTorch state_dict loads too (weights only).
import * as T from "../tensor/index.js";
import { parseSafetensors, serializeSafetensors, SafetensorsError, type StTensor, type ParseOptions } from "../io/safetensors.js";
import { stateDict, parameters, loadStateDict, toSafetensorsEntries, inferUNetConfig, CheckpointMismatchError, type StateDict } from "../nn/state-dict.js";
import { initUNet, type UNet } from "../nn/unet.js";
import type { TrainConfig } from "./presets.js";
import type { AdamState } from "./adam.js";

/** The format tag in a flowlab checkpoint's metadata. */
export const CKPT_FORMAT = "flowlab-checkpoint-1";

/** A checkpoint's training metadata. */
export interface TrainingRecord {
  format: typeof CKPT_FORMAT;
  step: number;
  config: TrainConfig;
  rng: T.RngState;
  adamStep: number;
  /** Wall time spent training so far, seconds. */
  seconds: number;
  /** Free-form provenance: command, machine. */
  notes?: Record<string, string>;
}

/** What a checkpoint holds (EMA, Adam and record are null in a bare state_dict). */
export interface TrainState {
  net: UNet;
  ema: StateDict | null;
  adam: AdamState | null;
  record: TrainingRecord | null;
}

/** A checkpoint as safetensors bytes: the state_dict (PyTorch-readable), EMA, Adam and the record. */
export function encodeCheckpoint(s: { net: UNet; ema: StateDict | null; adam: AdamState | null; record: TrainingRecord | null }, opts: { weightsOnly?: boolean } = {}): Uint8Array {
  const entries: [string, StTensor][] = [];
  const model = stateDict(s.net.params);
  // weightsOnly ships the EMA weights (if any) as the bare state dict: what sampling uses
  const bare = opts.weightsOnly && s.ema ? s.ema : model;
  entries.push(...toSafetensorsEntries(bare));
  if (!opts.weightsOnly) {
    if (s.ema) entries.push(...toSafetensorsEntries(s.ema).map(([k, v]) => [`ema.${k}`, v] as [string, StTensor]));
    if (s.adam) {
      entries.push(...toSafetensorsEntries(s.adam.m).map(([k, v]) => [`adam.m.${k}`, v] as [string, StTensor]));
      entries.push(...toSafetensorsEntries(s.adam.v).map(([k, v]) => [`adam.v.${k}`, v] as [string, StTensor]));
    }
  }
  const meta: Record<string, string> = { model_config: JSON.stringify(s.net.config) };
  if (s.record) meta["flowlab"] = JSON.stringify(opts.weightsOnly ? { ...s.record, weightsOnly: true } : s.record);
  return serializeSafetensors(entries, meta);
}

function subset(all: Map<string, StTensor>, prefix: string): Map<string, StTensor> | null {
  const out = new Map<string, StTensor>();
  for (const [k, v] of all) if (k.startsWith(prefix)) out.set(k.slice(prefix.length), v);
  return out.size ? out : null;
}

/** How to decode a checkpoint: `verify: false` skips the SHA-256 check of the tensor data (default true). */
export type DecodeOptions = ParseOptions;

/** The largest |value| a model's weights may hold: trained U-Nets stay below about 20, so 1e4 is corruption. */
export const MAX_WEIGHT = 1e4;

/**
 * Refuses weights no training produces: a value beyond ±MAX_WEIGHT (a finite but absurd bias of −1e30),
 * or every `*.weight` tensor zero (the net then ignores its input). Either samples unreadable digits without any other sign.
 */
function checkWeightScale(tensors: Map<string, StTensor>, source: string): void {
  let anyNonZero = false;
  for (const [key, t] of tensors) {
    if (!(t.data instanceof Float32Array)) continue;
    for (const v of t.data) {
      if (v !== 0 && key.endsWith("weight")) anyNonZero = true;
      if (Math.abs(v) > MAX_WEIGHT) throw new CheckpointMismatchError(`${source}: ${key} holds ${v.toPrecision(3)}, orders of magnitude beyond any trained weight (|w| ≤ ${MAX_WEIGHT}); the file is corrupt`);
    }
  }
  if (!anyNonZero && tensors.size) throw new CheckpointMismatchError(`${source}: every weight is zero; this is not a trained model`);
}

/** Decodes a flowlab checkpoint or a bare (PyTorch) U-Net state_dict. `source` names it in errors. */
export function decodeCheckpoint(bytes: Uint8Array, source: string, opts: DecodeOptions = {}): TrainState {
  let file;
  try {
    file = parseSafetensors(bytes, source, opts);
  } catch (e) {
    if (e instanceof SafetensorsError) throw new CheckpointMismatchError(`${source} is not a readable checkpoint: ${e.message.replace(`${source}: `, "")}`);
    throw e;
  }
  const bare = new Map([...file.tensors].filter(([k]) => !k.startsWith("ema.") && !k.startsWith("adam.")));
  checkWeightScale(bare, source);
  const emaTensors = subset(file.tensors, "ema.");
  if (emaTensors) checkWeightScale(emaTensors, `${source} (EMA weights)`);
  const config = inferUNetConfig(bare, source, file.metadata["model_config"]);
  const net = initUNet(config);
  loadStateDict(stateDict(net.params), bare, source);
  let record: TrainingRecord | null = null;
  const rawMeta = file.metadata["flowlab"];
  if (rawMeta) {
    try {
      const parsed = JSON.parse(rawMeta) as TrainingRecord;
      if (parsed.format !== CKPT_FORMAT) throw new Error(`format ${String(parsed.format)}`);
      record = parsed;
    } catch (e) {
      throw new CheckpointMismatchError(`${source}: its flowlab metadata is unreadable (${(e as Error).message})`);
    }
  }
  const emaSrc = emaTensors;
  let ema: StateDict | null = null;
  if (emaSrc) {
    ema = stateDict(initUNet(config).params);
    loadStateDict(ema, emaSrc, `${source} (EMA weights)`);
  }
  const mSrc = subset(file.tensors, "adam.m."), vSrc = subset(file.tensors, "adam.v.");
  let adam: AdamState | null = null;
  if (mSrc && vSrc && record) {
    const params = parameters(net.params);
    const mk = () => new Map([...params].map(([k, p]) => [k, T.zeros(p.shape).keep()]));
    adam = { step: record.adamStep, m: mk(), v: mk() };
    loadStateDict(adam.m, mSrc, `${source} (Adam m)`);
    loadStateDict(adam.v, vSrc, `${source} (Adam v)`);
  }
  return { net, ema, adam, record };
}

/**
 * The model to sample with from a checkpoint's bytes: flowlab's own (its EMA weights when it has them)
 * or a bare PyTorch state_dict of the lab's U-Net, whose architecture is inferred from its keys and shapes.
 * `source` names the file in error messages.
 */
export function loadModel(bytes: Uint8Array, source: string, opts: DecodeOptions = {}): UNet {
  const s = decodeCheckpoint(bytes, source, opts);
  const net = samplingNet(s);
  if (net !== s.net) T.disposeAll(s.net.params);
  T.disposeAll([s.ema, s.adam]);
  return net;
}

/** The weights to sample with: the EMA weights when the checkpoint has them, else the model's. */
export function samplingNet(s: TrainState): UNet {
  if (!s.ema) return s.net;
  const net = initUNet(s.net.config);
  const target = stateDict(net.params);
  for (const [k, t] of target) {
    const src = s.ema.get(k)!;
    if (t.dtype === "f32") t.data.set(src.data);
    else t.idata.set(src.idata);
  }
  return net;
}
