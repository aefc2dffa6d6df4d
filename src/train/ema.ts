// Exponential moving average of the weights: ema ← d·ema + (1 − d)·θ for parameters; buffers
// (BatchNorm running statistics, counters) are copied, so the EMA model is self-consistent.
import * as T from "../tensor/index.js";
import type { StateDict } from "../nn/state-dict.js";

/** A kept copy of every tensor in the state dict. */
export function cloneState(sd: StateDict): StateDict {
  return new Map(
    [...sd].map(([k, t]) => {
      const c = T.empty(t.shape, t.dtype).keep();
      if (t.dtype === "f32") c.data.set(t.data);
      else c.idata.set(t.idata);
      return [k, c];
    }),
  );
}

/** The decay used at a given step: warmed up as min(decay, (1 + step)/(10 + step)) so early weights fade fast. */
export function emaDecayAt(decay: number, step: number): number {
  return Math.min(decay, (1 + step) / (10 + step));
}

export function emaUpdate(ema: StateDict, model: StateDict, decay: number): void {
  if (!(decay >= 0 && decay < 1)) throw new RangeError(`EMA decay must be in [0, 1), got ${decay}`);
  for (const [k, t] of model) {
    const e = ema.get(k);
    if (!e) throw new Error(`EMA has no entry for ${k}`);
    if (t.dtype === "i32") {
      e.idata.set(t.idata);
      continue;
    }
    if (t.device?.newer) {
      emaOnDevice(e, t, decay);
      continue;
    }
    const ed = e.data, td = t.data;
    if (!t.requiresGrad) {
      ed.set(td);
      continue;
    }
    for (let i = 0; i < ed.length; i++) ed[i] = decay * ed[i]! + (1 - decay) * td[i]!;
  }
}

/** ema ← d·ema + (1 − d)·θ (a copy for buffers) with the backend's kernels, for weights newer on the GPU. */
function emaOnDevice(e: T.Tensor, t: T.Tensor, decay: number): void {
  const be = T.engine().backend;
  if (!t.requiresGrad) {
    be.copy(t, e);
    return;
  }
  const tmp = T.empty(t.shape);
  be.affine(e, decay, 0, e);
  be.affine(t, 1 - decay, 0, tmp);
  be.binary("add", e, tmp, e);
  tmp.dispose();
}
