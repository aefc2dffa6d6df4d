// --guidance: cfg | interval[:LO:HI] | rescale[:PHI] | zero-star[:T0] | auto:CKPT, parsed into a
// GuidanceMethod (auto loads its weak model). Defaults for omitted settings are below, in one place.
import { UsageError } from "./args.js";
import { readCheckpoint } from "./ckpt-io.js";
import { samplingNet } from "../train/checkpoint.js";
import { unetForward } from "../nn/unet.js";
import * as T from "../tensor/index.js";
import { CFG, GUIDANCE_DEFAULTS, validateGuidance, type GuidanceMethod } from "../flow/guidance-methods.js";

/** --guidance's help lines, naming the command's default. */
export function guidanceHelp(byDefault: string): string {
  const d = GUIDANCE_DEFAULTS;
  return `  --guidance M           cfg | interval[:LO:HI] (guide only for t in [LO, HI], default ${d.interval.lo}:${d.interval.hi})
                         | rescale[:PHI] (CFG-rescale, default ${d.rescale.phi}) | zero-star[:T0] (CFG-Zero*, zero velocity
                         for t < T0, default ${d.zeroStar.zeroUntil}) | auto:CKPT (autoguidance by a weaker model); default ${byDefault}`;
}

/** A parsed --guidance: the method, and what to release when done (auto's weak model). */
export interface GuidanceFlag {
  method: GuidanceMethod;
  /** The text as given (auto:CKPT keeps the file name). */
  label: string;
  dispose(): void;
}

function settings(text: string, parts: string[], count: number, names: string): number[] {
  if (parts.length !== count) throw new UsageError(`--guidance ${text}: expected ${names}`);
  return parts.map((p) => {
    const v = Number(p);
    if (p.trim() === "" || !Number.isFinite(v)) throw new UsageError(`--guidance ${text}: "${p}" is not a number (expected ${names})`);
    return v;
  });
}

/** --guidance's text, parsed: a method, or autoguidance's checkpoint still to be loaded. */
export type GuidanceText = Exclude<GuidanceMethod, { kind: "auto" }> | { kind: "auto"; file: string };

/** Parses --guidance's text without reading any file, so a bad value fails before any setup. */
export function parseGuidanceText(text: string | undefined): GuidanceText {
  if (text === undefined || text === "cfg") return { kind: "cfg" };
  const [kind, ...rest] = text.split(":");
  let method: GuidanceText;
  if (kind === "interval") {
    const [lo, hi] = rest.length ? settings(text, rest, 2, "interval:LO:HI with 0 ≤ LO ≤ HI ≤ 1") : [GUIDANCE_DEFAULTS.interval.lo, GUIDANCE_DEFAULTS.interval.hi];
    method = { kind, lo: lo!, hi: hi! };
  } else if (kind === "rescale") {
    const [phi] = rest.length ? settings(text, rest, 1, "rescale:PHI with 0 ≤ PHI ≤ 1") : [GUIDANCE_DEFAULTS.rescale.phi];
    method = { kind, phi: phi! };
  } else if (kind === "zero-star") {
    const [zeroUntil] = rest.length ? settings(text, rest, 1, "zero-star:T0 with 0 ≤ T0 ≤ 1") : [GUIDANCE_DEFAULTS.zeroStar.zeroUntil];
    method = { kind, zeroUntil: zeroUntil! };
  } else if (kind === "auto") {
    const file = rest.join(":");
    if (!file) throw new UsageError("--guidance auto:CKPT needs the weak model's checkpoint, e.g. auto:models/mnist-cfg-weak.safetensors");
    return { kind, file };
  } else {
    throw new UsageError(`--guidance must be cfg, interval[:LO:HI], rescale[:PHI], zero-star[:T0] or auto:CKPT, got "${text}"`);
  }
  try {
    validateGuidance(method);
  } catch (e) {
    throw new UsageError(`--guidance ${text}: ${(e as Error).message.replace(/^guidance \S+: /, "")}`);
  }
  return method;
}

/** Parses --guidance; auto:CKPT loads CKPT's sampling weights and checks they fit the model's classes. */
export function parseGuidanceFlag(text: string | undefined, numClasses: number): GuidanceFlag {
  const parsed = parseGuidanceText(text);
  const label = text ?? "cfg";
  if (parsed.kind !== "auto") return { method: parsed.kind === "cfg" ? CFG : parsed, label, dispose() {} };
  const file = parsed.file;
  const state = readCheckpoint(file);
  const weak = samplingNet(state);
  if (weak !== state.net) T.disposeAll(state.net.params);
  if (weak.config.numClasses !== numClasses) {
    T.disposeAll(weak.params);
    throw new UsageError(`--guidance auto:${file}: the weak model has ${weak.config.numClasses} classes, the model ${numClasses}`);
  }
  return {
    method: { kind: "auto", weak: (x, t, y) => unetForward(weak, x, t, y, "eval"), name: file },
    label,
    dispose: () => T.disposeAll(weak.params),
  };
}
