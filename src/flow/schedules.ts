// Noise schedules α_t, β_t with closed-form derivatives; t = 0 is noise, t = 1 is data.
// Each is checked on construction: α(0) = 0, α(1) = 1, β(0) = 1, β(1) = 0.

/** A noise schedule: α_t, β_t and their derivatives; t = 0 is noise, t = 1 is data. */
export interface Schedule {
  readonly name: string;
  /** The data coefficient α_t. */
  alpha(t: number): number;
  /** The noise coefficient β_t. */
  beta(t: number): number;
  /** dα/dt. */
  dAlpha(t: number): number;
  /** dβ/dt. */
  dBeta(t: number): number;
}

/** A schedule, checked: α(0) = 0, α(1) = 1, β(0) = 1, β(1) = 0. */
export function makeSchedule(s: Schedule): Schedule {
  const close = (a: number, b: number) => Math.abs(a - b) < 1e-6;
  const checks: [string, number, number][] = [
    ["α(0)", s.alpha(0), 0],
    ["α(1)", s.alpha(1), 1],
    ["β(0)", s.beta(0), 1],
    ["β(1)", s.beta(1), 0],
  ];
  for (const [what, got, want] of checks) {
    if (!close(got, want)) throw new RangeError(`schedule ${s.name}: ${what} must be ${want}, got ${got}`);
  }
  return Object.freeze(s);
}

/** α_t = t, β_t = 1 − t: the lab's (and rectified flow's) straight path. */
export const linearSchedule = makeSchedule({
  name: "linear",
  alpha: (t) => t,
  beta: (t) => 1 - t,
  dAlpha: () => 1,
  dBeta: () => -1,
});

/** α_t = sin(πt/2), β_t = cos(πt/2). */
export const cosineSchedule = makeSchedule({
  name: "cosine",
  alpha: (t) => Math.sin((Math.PI / 2) * t),
  beta: (t) => Math.cos((Math.PI / 2) * t),
  dAlpha: (t) => (Math.PI / 2) * Math.cos((Math.PI / 2) * t),
  dBeta: (t) => -(Math.PI / 2) * Math.sin((Math.PI / 2) * t),
});

/** α_t = t, β_t = √(1 − t); β̇ is infinite at t = 1. */
export const sqrtSchedule = makeSchedule({
  name: "sqrt",
  alpha: (t) => t,
  beta: (t) => Math.sqrt(1 - t),
  dAlpha: () => 1,
  dBeta: (t) => -0.5 / Math.sqrt(1 - t),
});

/** The schedules by name (the CLI's --schedule). */
export const SCHEDULES = { linear: linearSchedule, cosine: cosineSchedule, sqrt: sqrtSchedule } as const;
/** A schedule's name. */
export type ScheduleName = keyof typeof SCHEDULES;
