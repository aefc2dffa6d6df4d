// Sampling presets: a named model, guidance method and scale, chosen by a measured comparison, so a
// setting is one flag (--preset NAME) in flowlab sample and flowlab eval. Flags given beside it win.
import { labModel } from "../io/package-files.js";
import { UsageError } from "./args.js";

/** A named sampling setting and the evidence it rests on. */
export interface SamplingPreset {
  ckpt: string;
  /** --guidance text. */
  guidance: string;
  w: readonly number[];
  /** One line: what it is for and where it was measured. */
  why: string;
}

/** The presets, as data. */
export const SAMPLING_PRESETS: Readonly<Record<string, SamplingPreset>> = Object.freeze({
  "closest-to-real": {
    ckpt: labModel,
    guidance: "interval",
    w: [2],
    why: "the lab model, guidance interval, w = 2: the lowest FD at ≥ 99.5 % accuracy in its guidance study (README, Guidance methods)",
  },
});

/** The preset --preset names (null when not given); an unknown name stops with the list. */
export function samplingPreset(name: string | undefined): SamplingPreset | null {
  if (name === undefined) return null;
  const p = SAMPLING_PRESETS[name];
  if (!p) throw new UsageError(`--preset must be one of ${Object.keys(SAMPLING_PRESETS).join(", ")}, got "${name}"`);
  return p;
}

/** The help line of --preset. */
export const PRESET_HELP = `  --preset NAME          a measured setting (model, --guidance, --w); flags given beside it win:\n${Object.entries(SAMPLING_PRESETS)
  .map(([name, p]) => `                         ${name}: ${p.why}`)
  .join("\n")}`;
