// The page's settings: one typed record with its defaults, the checks that turn a form field's text
// into a value (or one clear message), and the URL query that makes a link reproduce a view.
import { ODE_SOLVER_NAMES, type OdeSolverName } from "../solvers/steppers.js";
import type { ScheduleName } from "../flow/schedules.js";
import { GUIDANCE_NAMES } from "../flow/guidance-methods.js";
import { DEFAULT_GUIDANCE, GENERATE_DEFAULTS } from "../sample/generate.js";
import { TOY_SET_NAMES, type ToySetName } from "../toy/datasets.js";
import { PRESETS } from "../train/presets.js";

export const SOLVERS = ODE_SOLVER_NAMES;
export const SCHEDULE_NAMES = ["linear", "cosine", "sqrt"] as const satisfies readonly ScheduleName[];
export const THEMES = ["auto", "light", "dark"] as const;
/** The page's disclosures that a link can open, by name. */
export const DISCLOSURES = ["fewstep", "loss", "anatomy"] as const;
export type Disclosure = (typeof DISCLOSURES)[number];
/** 0–9 are digits; 10 is ∅ (no class: the unconditional model). */
export const NULL_CLASS = 10;

export interface Settings {
  /** Rows of the figure: classes 0–9 and 10 = ∅. */
  classes: number[];
  /** Columns of the figure: guidance scales, all drawn from the same noise. */
  ws: number[];
  perClass: number;
  steps: number;
  solver: OdeSolverName;
  /** How guidance combines the fields (the methods that need no second model). */
  guidance: (typeof GUIDANCE_NAMES)[number];
  seed: number;
  /** Which sample the time panel follows (index into the run's class-major samples of one w). */
  follow: number;
  /** Which w column the time panel follows. */
  followW: number;
  /** The time panel's frame (0 = noise, steps = the final sample). */
  frame: number;
  pathDigit: number;
  pathT: number;
  schedule: ScheduleName;
  trainSteps: number;
  trainBatch: number;
  sampleEvery: number;
  theme: (typeof THEMES)[number];
  /** The live panel's guidance scale (the few-step model's input). */
  liveW: number;
  /** The live panel's network passes per digit. */
  liveSteps: number;
  /** The disclosures that are open (a link reopens them). */
  open: Disclosure[];
  /** The 2-D flow: its data set, class (the set's class count = ∅), guidance, steps and time. */
  toySet: ToySetName;
  toyClass: number;
  toyW: number;
  toySteps: number;
  toyT: number;
}

export const DEFAULTS: Readonly<Settings> = Object.freeze({
  classes: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, NULL_CLASS],
  ws: [0, 1, 3, 5, 10],
  // two per digit, so diversity can be measured and accuracy moves in 5 % steps, not 10 %
  perClass: 2,
  steps: GENERATE_DEFAULTS.steps,
  solver: GENERATE_DEFAULTS.solver,
  guidance: DEFAULT_GUIDANCE,
  seed: GENERATE_DEFAULTS.seed,
  // the first 7 (class-major, two per digit)
  follow: 14,
  followW: 2,
  frame: 5,
  pathDigit: 0,
  pathT: 0.5,
  schedule: "linear",
  // the demo preset's run (src/train/presets.ts), so the page trains what its text quotes
  trainSteps: PRESETS.demo.steps,
  trainBatch: PRESETS.demo.batch,
  sampleEvery: 50,
  theme: "auto",
  liveW: GENERATE_DEFAULTS.w,
  liveSteps: 1,
  open: [],
  toySet: "moons",
  toyClass: 0,
  toyW: 3,
  toySteps: 20,
  toyT: 1,
} satisfies Settings);

export type Parsed<V> = { ok: true; value: V } | { ok: false; message: string };

interface IntSpec { kind: "int"; label: string; min: number; max: number }
interface NumSpec { kind: "number"; label: string; min: number; max: number }

const ok = <V>(value: V): Parsed<V> => ({ ok: true, value });
const bad = <V>(message: string): Parsed<V> => ({ ok: false, message });

/** A whole number in [min, max]; blank, fractional or out-of-range text gets a message naming the field. */
export function parseInteger(text: string, s: Omit<IntSpec, "kind">): Parsed<number> {
  const want = `enter a whole number from ${s.min} to ${s.max}`;
  const t = text.trim();
  if (t === "") return bad(`${s.label} is empty: ${want}.`);
  const v = Number(t);
  if (!Number.isFinite(v)) return bad(`${s.label}: "${t}" is not a number; ${want}.`);
  if (!Number.isInteger(v)) return bad(`${s.label}: ${t} is not a whole number; ${want}.`);
  if (v < s.min || v > s.max) return bad(`${s.label}: ${t} is out of range; ${want}.`);
  return ok(v);
}

/** A number in [min, max]. */
export function parseNumber(text: string, s: Omit<NumSpec, "kind">): Parsed<number> {
  const want = `enter a number from ${s.min} to ${s.max}`;
  const t = text.trim();
  if (t === "") return bad(`${s.label} is empty: ${want}.`);
  const v = Number(t);
  if (!Number.isFinite(v)) return bad(`${s.label}: "${t}" is not a number; ${want}.`);
  if (v < s.min || v > s.max) return bad(`${s.label}: ${t} is out of range; ${want}.`);
  return ok(v);
}

/** A comma-separated list of 1..maxLen numbers in [min, max], without repeats. */
export function parseNumberList(text: string, s: { label: string; min: number; max: number; maxLen: number }): Parsed<number[]> {
  const t = text.trim();
  const want = `enter 1 to ${s.maxLen} numbers from ${s.min} to ${s.max}, separated by commas (e.g. 0, 1, 3, 5, 10)`;
  if (t === "") return bad(`${s.label} is empty: ${want}.`);
  const parts = t.split(/[,\s]+/).filter((p) => p !== "");
  if (parts.length > s.maxLen) return bad(`${s.label}: ${parts.length} values; ${want}.`);
  const out: number[] = [];
  for (const p of parts) {
    const v = Number(p);
    if (!Number.isFinite(v)) return bad(`${s.label}: "${p}" is not a number; ${want}.`);
    if (v < s.min || v > s.max) return bad(`${s.label}: ${p} is out of range; ${want}.`);
    if (out.includes(v)) return bad(`${s.label}: ${p} appears twice; ${want}.`);
    out.push(v);
  }
  return ok(out);
}

/** The form's numeric fields: the one place their labels and ranges live. */
export const FIELDS = {
  perClass: { label: "Samples per digit", min: 1, max: 8 },
  steps: { label: "Steps", min: 1, max: 200 },
  seed: { label: "Seed", min: 0, max: 2 ** 31 - 1 },
  pathDigit: { label: "Real digit #", min: 0, max: 499 },
  trainSteps: { label: "Training steps", min: 10, max: 5000 },
  trainBatch: { label: "Batch", min: 2, max: 128 },
  sampleEvery: { label: "Sample grid every", min: 5, max: 1000 },
} as const satisfies Record<string, Omit<IntSpec, "kind">>;
export const W_LIST = { label: "Guidance scales w", min: 0, max: 20, maxLen: 6 } as const;
export const PATH_T = { label: "t", min: 0, max: 1 } as const;
/** The 2-D flow's sliders (and a link's values for them). */
export const TOY_FIELDS = { toyClass: { label: "2-D class", min: 0, max: 4 }, toyW: { label: "2-D w", min: 0, max: 5 }, toySteps: { label: "2-D steps", min: 1, max: 50 }, toyT: { label: "2-D t", min: 0, max: 1 } } as const;
/** The live panel's w in a link (the few-step model's trained range bounds it again when it loads). */
export const LIVE_W = { label: "Live w", min: 0, max: 20 } as const;
/** The step counts the live panel offers (the few-step model was trained for these). */
export const LIVE_STEPS = [1, 2, 4] as const;

type IntKey = keyof typeof FIELDS;
const INT_KEYS = Object.keys(FIELDS) as IntKey[];

/** The settings as a URL query (only what differs from the defaults, so links stay short). */
export function toQuery(s: Settings): string {
  const q = new URLSearchParams();
  const put = (k: string, v: string, d: string) => {
    if (v !== d) q.set(k, v);
  };
  put("classes", s.classes.join(","), DEFAULTS.classes.join(","));
  put("w", s.ws.join(","), DEFAULTS.ws.join(","));
  for (const k of INT_KEYS) put(k, String(s[k]), String(DEFAULTS[k]));
  put("solver", s.solver, DEFAULTS.solver);
  put("guidance", s.guidance, DEFAULTS.guidance);
  put("follow", String(s.follow), String(DEFAULTS.follow));
  put("followW", String(s.followW), String(DEFAULTS.followW));
  put("frame", String(s.frame), String(DEFAULTS.frame));
  put("t", String(s.pathT), String(DEFAULTS.pathT));
  put("schedule", s.schedule, DEFAULTS.schedule);
  put("theme", s.theme, DEFAULTS.theme);
  put("liveW", String(s.liveW), String(DEFAULTS.liveW));
  put("liveSteps", String(s.liveSteps), String(DEFAULTS.liveSteps));
  put("open", DISCLOSURES.filter((d) => s.open.includes(d)).join(","), "");
  put("toySet", s.toySet, DEFAULTS.toySet);
  for (const k of ["toyClass", "toyW", "toySteps", "toyT"] as const) put(k, String(s[k]), String(DEFAULTS[k]));
  return q.toString();
}

/** Settings from a URL query; values that do not parse keep their default and are reported. */
export function fromQuery(query: string): { settings: Settings; ignored: string[] } {
  const q = new URLSearchParams(query);
  const s: Settings = { ...DEFAULTS, classes: [...DEFAULTS.classes], ws: [...DEFAULTS.ws], open: [...DEFAULTS.open] };
  const ignored: string[] = [];
  const take = <V>(key: string, parse: (raw: string) => Parsed<V>, set: (v: V) => void) => {
    const raw = q.get(key);
    if (raw === null) return;
    const r = parse(raw);
    if (r.ok) set(r.value);
    else ignored.push(`${key}: ${r.message}`);
  };
  const choice = <C extends string>(label: string, options: readonly C[]) => (raw: string): Parsed<C> =>
    (options as readonly string[]).includes(raw) ? ok(raw as C) : bad(`${label}: "${raw}" is not one of ${options.join(", ")}.`);
  take("classes", (r): Parsed<number[]> => {
    const p = parseNumberList(r, { label: "Digits", min: 0, max: NULL_CLASS, maxLen: 11 });
    return p.ok && p.value.some((v) => !Number.isInteger(v)) ? bad("Digits: whole numbers 0–10 only.") : p;
  }, (v) => (s.classes = v));
  take("w", (r) => parseNumberList(r, W_LIST), (v) => (s.ws = v));
  for (const k of INT_KEYS) take(k, (r) => parseInteger(r, FIELDS[k]), (v) => (s[k] = v));
  take("solver", choice("Solver", SOLVERS), (v) => (s.solver = v));
  take("guidance", choice("Guidance", GUIDANCE_NAMES), (v) => (s.guidance = v));
  take("follow", (r) => parseInteger(r, { label: "follow", min: 0, max: 87 }), (v) => (s.follow = v));
  take("followW", (r) => parseInteger(r, { label: "followW", min: 0, max: W_LIST.maxLen - 1 }), (v) => (s.followW = v));
  take("frame", (r) => parseInteger(r, { label: "frame", min: 0, max: FIELDS.steps.max }), (v) => (s.frame = v));
  take("t", (r) => parseNumber(r, PATH_T), (v) => (s.pathT = v));
  take("schedule", choice("Schedule", SCHEDULE_NAMES), (v) => (s.schedule = v));
  take("theme", choice("Theme", THEMES), (v) => (s.theme = v));
  take("liveW", (r) => parseNumber(r, LIVE_W), (v) => (s.liveW = v));
  take("liveSteps", (r): Parsed<number> => {
    const p = parseInteger(r, { label: "Live steps", min: 1, max: 4 });
    return p.ok && !(LIVE_STEPS as readonly number[]).includes(p.value) ? bad(`Live steps: ${p.value} is not one of ${LIVE_STEPS.join(", ")}.`) : p;
  }, (v) => (s.liveSteps = v));
  take("open", (r): Parsed<Disclosure[]> => {
    const names = r.split(",").filter((n) => n !== "");
    const unknown = names.find((n) => !(DISCLOSURES as readonly string[]).includes(n));
    return unknown !== undefined ? bad(`Open: "${unknown}" is not one of ${DISCLOSURES.join(", ")}.`) : ok(DISCLOSURES.filter((d) => names.includes(d)));
  }, (v) => (s.open = v));
  take("toySet", choice("2-D data", TOY_SET_NAMES), (v) => (s.toySet = v));
  take("toyClass", (r) => parseInteger(r, TOY_FIELDS.toyClass), (v) => (s.toyClass = v));
  take("toySteps", (r) => parseInteger(r, TOY_FIELDS.toySteps), (v) => (s.toySteps = v));
  take("toyW", (r) => parseNumber(r, TOY_FIELDS.toyW), (v) => (s.toyW = v));
  take("toyT", (r) => parseNumber(r, TOY_FIELDS.toyT), (v) => (s.toyT = v));
  return { settings: s, ignored };
}
