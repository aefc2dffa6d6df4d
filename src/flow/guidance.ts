// Classifier-free guidance: ũ = (1 − w)·u(x, t, ∅) + w·u(x, t, y), with ∅ = numClasses.
// w = 1 is the plain conditional model; in the (1 + s)·c − s·u convention, s = w − 1.
import * as T from "../tensor/index.js";
import { CFG, combineGuidance, needsGuiding, guidingAlone, type GuidanceMethod, type ConditionalField } from "./guidance-methods.js";


/** How guidedField evaluates the two fields. */
export interface GuidanceOptions {
  /** One forward pass of 2B (default) instead of two of B. */
  batched?: boolean;
  /** How the conditional field and its guiding field combine (default: plain CFG). */
  method?: GuidanceMethod;
  /**
   * Sees the two parts of each evaluation, in combineGuidance's order: u(x, t, y) (zeros in CFG-Zero*'s
   * zero-init; null where it is not computed: at w = 0 where the guiding field alone is the velocity) and
   * the guiding field (u(x, t, ∅), or the weak model's u(x, t, y) for autoguidance; null where it is not
   * computed, e.g. at w = 1).
   */
  onParts?: (cond: T.Tensor | null, guiding: T.Tensor | null) => void;
}

/**
 * Network passes the guided field makes per sample at time t (as a float32, as the batch's time tensor
 * holds it): 0 in CFG-Zero*'s zero-init, 1 where the conditional field alone is used or, at w = 0, the
 * guiding one alone (guidingAlone), else 2 (the conditional field and the guiding one: ∅, or
 * autoguidance's weak model).
 */
export function passesAt(m: GuidanceMethod, w: number, t: number): 0 | 1 | 2 {
  if (m.kind === "zero-star" && t < m.zeroUntil) return 0;
  if (guidingAlone(m, w, t)) return 1;
  return needsGuiding(m, w, t) ? 2 : 1;
}

/** The guided field at scale w; `nullLabel` is the ∅ class index (numClasses). */
export function guidedField(u: ConditionalField, x: T.Tensor, t: T.Tensor, y: T.Tensor, w: number, nullLabel: number, opts: GuidanceOptions = {}): T.Tensor {
  if (!Number.isFinite(w)) throw new RangeError(`guidance scale w must be a finite number, got ${w}`);
  const B = x.shape[0]!;
  const m = opts.method ?? CFG;
  const time = t.data[0] ?? 0; // the batch shares one time
  const parts = (cond: T.Tensor, guiding: T.Tensor | null): T.Tensor => {
    opts.onParts?.(cond, guiding);
    return combineGuidance(m, w, time, cond, guiding);
  };
  const passes = passesAt(m, w, time);
  if (passes === 0) return parts(T.zeros(x.shape), null); // CFG-Zero*'s zero-init: no evaluation
  const nulls = (): T.Tensor => T.intTensor(new Array<number>(B).fill(nullLabel));
  if (guidingAlone(m, w, time)) {
    const guiding = m.kind === "auto" ? m.weak(x, t, y) : u(x, t, nulls()); // (1 − 0)·guiding + 0·cond
    opts.onParts?.(null, guiding);
    return guiding;
  }
  if (passes === 1) return parts(u(x, t, y), null);
  if (m.kind === "auto") {
    const weak = m.weak(x, t, y);
    return parts(u(x, t, y), weak);
  }
  if (opts.batched ?? true) {
    const both = u(T.concat([x, x], 0), T.concat([T.reshape(t, [B, 1, 1, 1]), T.reshape(t, [B, 1, 1, 1])], 0), T.concat([nulls(), y], 0)); // [2B, ...]
    const rest = x.shape.slice(1);
    const uNull = T.slice(both, [0, ...rest.map(() => 0)], [B, ...rest]);
    const uCond = T.slice(both, [B, ...rest.map(() => 0)], [B, ...rest]);
    return parts(uCond, uNull);
  }
  const uNull = u(x, t, nulls());
  return parts(u(x, t, y), uNull);
}
