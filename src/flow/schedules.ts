// Noise schedules α_t, β_t with closed-form derivatives; t = 0 is noise, t = 1 is data.
// Each is checked on construction: α(0) = 0, α(1) = 1, β(0) = 1, β(1) = 0.

export interface Schedule {
  readonly name: string;
  alpha(t: number): number;
  beta(t: number): number;
  dAlpha(t: number): number;
  dBeta(t: number): number;
}

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

export const linear = makeSchedule({
  name: "linear",
  alpha: (t) => t,
  beta: (t) => 1 - t,
  dAlpha: () => 1,
  dBeta: () => -1,
});

export const cosine = makeSchedule({
  name: "cosine",
  alpha: (t) => Math.sin((Math.PI / 2) * t),
  beta: (t) => Math.cos((Math.PI / 2) * t),
  dAlpha: (t) => (Math.PI / 2) * Math.cos((Math.PI / 2) * t),
  dBeta: (t) => -(Math.PI / 2) * Math.sin((Math.PI / 2) * t),
});

/** α = t, β = √(1 − t); β̇ is infinite at t = 1. */
export const squareRoot = makeSchedule({
  name: "sqrt",
  alpha: (t) => t,
  beta: (t) => Math.sqrt(1 - t),
  dAlpha: () => 1,
  dBeta: (t) => -0.5 / Math.sqrt(1 - t),
});

export const SCHEDULES = { linear, cosine, sqrt: squareRoot } as const;
export type ScheduleName = keyof typeof SCHEDULES;
