// Guidance methods beyond plain CFG, as data: how the conditional field u(x, t, y) and a guiding field
// (u(x, t, ∅), or a weaker model's u(x, t, y) for autoguidance) combine into the guided velocity at w.
import * as T from "../tensor/index.js";

/** u_θ(x, t, y) with x [B, C, H, W], t [B, 1, 1, 1], y [B] i32. */
export type ConditionalField = (x: T.Tensor, t: T.Tensor, y: T.Tensor) => T.Tensor;

/**
 * A guidance method. Every one reduces to plain CFG, (1 − w)·guiding + w·cond, at its neutral setting
 * (interval [0, 1], rescale φ = 0, zero-star with no zero-init and s* = 1, auto with the model itself
 * as the weak model gives the conditional field) and to the conditional field at w = 1.
 */
export type GuidanceMethod =
  /** Classifier-free guidance (Ho & Salimans 2022). */
  | { kind: "cfg" }
  /**
   * Guidance interval (Kynkäänniemi et al. 2024): guide only for t in [lo, hi], else the conditional
   * field alone (one network evaluation instead of two). t = 0 is noise, t = 1 data.
   */
  | { kind: "interval"; lo: number; hi: number }
  /** CFG-rescale (Lin et al. 2023): match the guided field's per-sample std to the conditional's, mix by φ. */
  | { kind: "rescale"; phi: number }
  /**
   * CFG-Zero* (Fan et al. 2025, for flow-matching velocity models): the guiding field is scaled by the
   * per-sample projection s* = ⟨cond, guiding⟩ / ‖guiding‖², and the velocity is zero for t < zeroUntil.
   */
  | { kind: "zero-star"; zeroUntil: number }
  /** Autoguidance (Karras et al. 2024): the guiding field is a weaker model's conditional field, not ∅. */
  | { kind: "auto"; weak: ConditionalField; name: string };

/** Plain classifier-free guidance. */
export const CFG: GuidanceMethod = Object.freeze({ kind: "cfg" });

/**
 * Settings used when a method is named alone. The interval is EDM2's σ ∈ (0.28, 5.42] on ImageNet-512
 * (Kynkäänniemi et al. 2024) mapped to this path's t = 1/(1 + σ); φ = 0.7 is Lin et al.'s; CFG-Zero*
 * zeroes the first 4 % of the time.
 */
export const GUIDANCE_DEFAULTS = Object.freeze({ interval: { lo: 0.16, hi: 0.78 }, rescale: { phi: 0.7 }, zeroStar: { zeroUntil: 0.04 } });

/** The methods that need no second model, by name. */
export const GUIDANCE_NAMES = ["cfg", "interval", "rescale", "zero-star"] as const;
/** A method that needs no second model: "cfg", "interval", "rescale" or "zero-star". */
export type GuidanceName = (typeof GUIDANCE_NAMES)[number];

/** A method named alone, with GUIDANCE_DEFAULTS' settings. */
export function guidanceByName(name: GuidanceName): GuidanceMethod {
  const d = GUIDANCE_DEFAULTS;
  switch (name) {
    case "cfg":
      return CFG;
    case "interval":
      return { kind: "interval", ...d.interval };
    case "rescale":
      return { kind: "rescale", ...d.rescale };
    case "zero-star":
      return { kind: "zero-star", ...d.zeroStar };
  }
}

/** The method's name and setting, as the CLI writes it (auto shows its weak model's name). */
export function guidanceLabel(m: GuidanceMethod): string {
  switch (m.kind) {
    case "cfg":
      return "cfg";
    case "interval":
      return `interval:${m.lo}:${m.hi}`;
    case "rescale":
      return `rescale:${m.phi}`;
    case "zero-star":
      return `zero-star:${m.zeroUntil}`;
    case "auto":
      return `auto:${m.name}`;
  }
}

/** Checks a method's settings; throws RangeError naming the bad one. */
export function validateGuidance(m: GuidanceMethod): void {
  const unit = (v: number, what: string) => {
    if (!(Number.isFinite(v) && v >= 0 && v <= 1)) throw new RangeError(`guidance ${m.kind}: ${what} must be in [0, 1], got ${v}`);
  };
  if (m.kind === "interval") {
    unit(m.lo, "lo");
    unit(m.hi, "hi");
    if (m.lo > m.hi) throw new RangeError(`guidance interval: lo ${m.lo} is above hi ${m.hi}`);
  } else if (m.kind === "rescale") unit(m.phi, "φ");
  else if (m.kind === "zero-star") unit(m.zeroUntil, "zeroUntil");
  else if (m.kind !== "cfg" && m.kind !== "auto") throw new RangeError(`unknown guidance method ${JSON.stringify((m as { kind: unknown }).kind)}`);
}

/** Whether the guided velocity at (w, t) needs the guiding field (else it is the conditional one). */
export function needsGuiding(m: GuidanceMethod, w: number, t: number): boolean {
  if (w === 1) return false;
  if (m.kind === "interval") return t >= m.lo && t <= m.hi;
  if (m.kind === "zero-star") return t >= m.zeroUntil;
  return true;
}

/**
 * Whether the guided velocity at (w, t) is the guiding field alone, so u(x, t, y) need not be evaluated:
 * at w = 0 where the method combines linearly, (1 − 0)·guiding + 0·cond (CFG, the interval inside it,
 * autoguidance). Rescale and CFG-Zero* read the conditional field even at w = 0.
 */
export function guidingAlone(m: GuidanceMethod, w: number, t: number): boolean {
  return w === 0 && (m.kind === "cfg" || m.kind === "interval" || m.kind === "auto") && needsGuiding(m, w, t);
}

/** Per-sample dot products ⟨a, b⟩ of [B, …] tensors, as a [B, 1, …, 1] tensor. */
function rowDot(a: T.Tensor, b: T.Tensor): T.Tensor {
  const axes = a.shape.map((_, i) => i).slice(1);
  return T.sum(T.mul(a, b), axes, true);
}

/** Per-sample standard deviation over all but the batch dim, [B, 1, …, 1]. */
function rowStd(a: T.Tensor): T.Tensor {
  const axes = a.shape.map((_, i) => i).slice(1);
  const c = T.sub(a, T.mean(a, axes, true));
  return T.sqrt(T.mean(T.square(c), axes, true));
}

/**
 * The guided velocity from its parts at time t: cond = u(x, t, y) [B, …]; guiding = the field guidance
 * steers away from (Karras et al.'s "guiding model": u(x, t, ∅), or the weak model's u(x, t, y) for
 * autoguidance), null where needsGuiding is false.
 */
export function combineGuidance(m: GuidanceMethod, w: number, t: number, cond: T.Tensor, guiding: T.Tensor | null): T.Tensor {
  if (m.kind === "zero-star" && t < m.zeroUntil) return T.affine(cond, 0);
  if (!guiding) return cond;
  const cfg = (r: T.Tensor) => T.add(T.affine(r, 1 - w), T.affine(cond, w));
  switch (m.kind) {
    case "cfg":
    case "interval":
    case "auto":
      return cfg(guiding);
    case "rescale": {
      const g = cfg(guiding);
      if (m.phi === 0) return g;
      const ratio = T.div(rowStd(cond), T.affine(rowStd(g), 1, 1e-12)); // [B, 1, 1, 1]
      return T.add(T.affine(T.mul(g, ratio), m.phi), T.affine(g, 1 - m.phi));
    }
    case "zero-star": {
      const s = T.div(rowDot(cond, guiding), T.affine(rowDot(guiding, guiding), 1, 1e-12)); // s*: [B, 1, 1, 1]
      return cfg(T.mul(guiding, s));
    }
  }
}
