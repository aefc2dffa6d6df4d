// One palette for every chart: each solver and each guidance method always gets the same colour
// (colour-blind-safe Okabe–Ito hues), in every report.
export const SOLVER_COLOURS: Readonly<Record<string, string>> = { euler: "#0072B2", midpoint: "#E69F00", heun: "#009E73", rk4: "#CC79A7" };

export const GUIDANCE_COLOURS: Readonly<Record<string, string>> = { cfg: "#D55E00", interval: "#56B4E9", rescale: "#6A3D9A", "zero-star": "#999933", auto: "#117733" };

/** Colours for names not listed above, in order of appearance. */
const EXTRA = ["#444444", "#882255", "#44AA99", "#AA4499", "#DDCC77", "#332288"];

/** Colour of a solver or guidance method by name ("Heun" = "heun"; "cfg" also matches "CFG"). */
export function colourOf(name: string): string | undefined {
  const key = name.toLowerCase();
  return SOLVER_COLOURS[key] ?? GUIDANCE_COLOURS[key];
}

/** Colours for a list of series names: known names get their fixed colour, others the extras in turn. */
export function coloursFor(names: readonly string[]): string[] {
  let k = 0;
  return names.map((n) => colourOf(n) ?? EXTRA[k++ % EXTRA.length]!);
}
