// Learning-rate schedules as data: constant (the lab) or linear warm-up then cosine decay to a floor.
// lrAt is a pure function of the step, so a resumed run gets exactly the rates a straight run would.

/** A learning-rate schedule as data: constant, or warm-up then cosine decay to a floor. */
export type LrSchedule =
  | { kind: "constant" }
  | { kind: "cosine"; /** steps of linear warm-up from 0 */ warmup: number; /** final lr as a fraction of the peak */ floor: number };

/** The constant learning rate (the lab's). */
export const CONSTANT: LrSchedule = Object.freeze({ kind: "constant" });

/** The rate for optimiser step `step` (1-based) of a `total`-step run peaking at `lr`. */
export function lrAt(s: LrSchedule, lr: number, step: number, total: number): number {
  if (s.kind === "constant") return lr;
  if (step <= s.warmup) return (lr * step) / Math.max(1, s.warmup);
  const span = Math.max(1, total - s.warmup);
  const p = Math.min(1, (step - s.warmup) / span);
  return lr * (s.floor + (1 - s.floor) * 0.5 * (1 + Math.cos(Math.PI * p)));
}

export function validateSchedule(s: LrSchedule): void {
  if (s.kind === "constant") return;
  if (s.kind !== "cosine") throw new RangeError(`lr schedule: unknown kind ${JSON.stringify((s as { kind: unknown }).kind)} (constant or cosine)`);
  if (!Number.isInteger(s.warmup) || s.warmup < 0) throw new RangeError(`lr schedule: warmup must be a non-negative integer, got ${s.warmup}`);
  if (!(s.floor >= 0 && s.floor <= 1)) throw new RangeError(`lr schedule: floor must be in [0, 1], got ${s.floor}`);
}

/** Parses the --lr-schedule flag: "constant" or "cosine[:WARMUP[:FLOOR]]". */
export function parseSchedule(text: string): LrSchedule {
  const [kind, w, f, ...rest] = text.split(":");
  if (kind === "constant" && w === undefined) return CONSTANT;
  if (kind === "cosine" && rest.length === 0) {
    const s: LrSchedule = { kind: "cosine", warmup: w === undefined || w === "" ? 0 : Number(w), floor: f === undefined || f === "" ? 0 : Number(f) };
    validateSchedule(s);
    return s;
  }
  throw new RangeError(`--lr-schedule must be "constant" or "cosine[:WARMUP[:FLOOR]]", got "${text}"`);
}
