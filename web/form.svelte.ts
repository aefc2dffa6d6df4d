// The page's form and URL state: every setting's text as typed, parsed into a value or one message,
// the theme, and the last valid value of every setting, which is what the URL holds.
import { CLASS_LABELS } from "./run-state.js";
import type { RunRequest, TrainRequest } from "./protocol.js";
import { DISCLOSURES, FIELDS, W_LIST, fromQuery, parseInteger, parseNumberList, toQuery, type Disclosure, type Parsed, type Settings } from "../src/page/settings.js";

type Resolved = "light" | "dark";

/** The messages of the fields that did not parse, as one line ("" when all did). */
const messages = (ps: Parsed<unknown>[]): string => ps.flatMap((p) => (p.ok ? [] : [p.message])).join(" ");

export class FormState {
  /** Settings in the link that did not parse (each kept its default), as "key: message". */
  readonly ignored: string[];

  // the form's text and choices (rows of the figure: one checkbox per class, ∅ last)
  checked: boolean[] = $state([]);
  wText = $state("");
  perClassText = $state("");
  stepsText = $state("");
  seedText = $state("");
  solver: Settings["solver"] = $state("midpoint");
  guidance: Settings["guidance"] = $state("cfg");
  trainStepsText = $state("");
  trainBatchText = $state("");
  sampleEveryText = $state("");
  pathDigitText = $state("");
  pathT = $state(0);
  schedule: Settings["schedule"] = $state("linear");
  theme: Settings["theme"] = $state("auto");
  follow = $state(0);
  followW = $state(0);
  frame = $state(0);
  liveW = $state(0);
  liveSteps = $state(0);
  /** The 2-D flow's data set, class, w, steps and t. */
  toySet: Settings["toySet"] = $state("moons");
  toyClass = $state(0);
  toyW = $state(0);
  toySteps = $state(0);
  toyT = $state(0);
  /** Which disclosures are open (bound to each <details>). */
  open: Record<Disclosure, boolean> = $state({ fewstep: false, loss: false, anatomy: false });

  // parsed: a value or one message each
  readonly classes = $derived(this.checked.flatMap((c, i) => (c ? [i] : [])));
  readonly ws = $derived(parseNumberList(this.wText, W_LIST));
  readonly perClass = $derived(parseInteger(this.perClassText, FIELDS.perClass));
  readonly steps = $derived(parseInteger(this.stepsText, FIELDS.steps));
  readonly seed = $derived(parseInteger(this.seedText, FIELDS.seed));
  readonly trainSteps = $derived(parseInteger(this.trainStepsText, FIELDS.trainSteps));
  readonly trainBatch = $derived(parseInteger(this.trainBatchText, FIELDS.trainBatch));
  readonly sampleEvery = $derived(parseInteger(this.sampleEveryText, FIELDS.sampleEvery));
  readonly pathDigit = $derived(parseInteger(this.pathDigitText, FIELDS.pathDigit));
  readonly classesMessage = $derived(this.classes.length ? "" : "Choose at least one digit (or ∅).");
  readonly trainFieldsMessage = $derived(messages([this.trainSteps, this.trainBatch, this.sampleEvery]));

  // the theme: "auto" follows the system's preference
  private prefersDark = $state(false);
  readonly resolvedTheme: Resolved = $derived(this.theme === "auto" ? (this.prefersDark ? "dark" : "light") : this.theme);

  /** The last valid value of every setting: what the URL holds (not reactive). */
  good: Settings;

  constructor(query: string) {
    const { settings: s0, ignored } = fromQuery(query);
    this.ignored = ignored;
    this.good = { ...s0 };
    this.checked = CLASS_LABELS.map((_, i) => s0.classes.includes(i));
    this.wText = s0.ws.join(", ");
    this.perClassText = String(s0.perClass);
    this.stepsText = String(s0.steps);
    this.seedText = String(s0.seed);
    this.solver = s0.solver;
    this.guidance = s0.guidance;
    this.trainStepsText = String(s0.trainSteps);
    this.trainBatchText = String(s0.trainBatch);
    this.sampleEveryText = String(s0.sampleEvery);
    this.pathDigitText = String(s0.pathDigit);
    this.pathT = s0.pathT;
    this.schedule = s0.schedule;
    this.theme = s0.theme;
    this.follow = s0.follow;
    this.followW = s0.followW;
    this.frame = s0.frame;
    this.liveW = s0.liveW;
    this.liveSteps = s0.liveSteps;
    for (const d of DISCLOSURES) this.open[d] = s0.open.includes(d);
    this.toySet = s0.toySet;
    this.toyClass = s0.toyClass;
    this.toyW = s0.toyW;
    this.toySteps = s0.toySteps;
    this.toyT = s0.toyT;
    const dark = matchMedia("(prefers-color-scheme: dark)");
    this.prefersDark = dark.matches;
    dark.addEventListener("change", (e) => (this.prefersDark = e.matches));
  }

  /** Takes every valid value into `good` and writes it to the URL (run it in an effect). */
  saveToUrl(): void {
    const v = <T>(p: Parsed<T>, old: T): T => (p.ok ? p.value : old);
    const g = this.good;
    this.good = {
      classes: this.classes.length ? this.classes : g.classes, ws: v(this.ws, g.ws), perClass: v(this.perClass, g.perClass), steps: v(this.steps, g.steps),
      solver: this.solver, guidance: this.guidance, seed: v(this.seed, g.seed), follow: this.follow, followW: this.followW, frame: this.frame,
      pathDigit: v(this.pathDigit, g.pathDigit), pathT: this.pathT, schedule: this.schedule,
      trainSteps: v(this.trainSteps, g.trainSteps), trainBatch: v(this.trainBatch, g.trainBatch), sampleEvery: v(this.sampleEvery, g.sampleEvery), theme: this.theme,
      liveW: this.liveW, liveSteps: this.liveSteps, open: DISCLOSURES.filter((d) => this.open[d]),
      toySet: this.toySet, toyClass: this.toyClass, toyW: this.toyW, toySteps: this.toySteps, toyT: this.toyT,
    };
    const q = toQuery(this.good);
    history.replaceState(null, "", q ? `?${q}` : location.pathname);
  }

  /** The figure the form asks for, or the messages of the fields that are wrong. */
  runRequest(): Parsed<RunRequest> {
    const { classes, ws, perClass, steps, seed } = this;
    if (!classes.length || !ws.ok || !perClass.ok || !steps.ok || !seed.ok) {
      return { ok: false, message: [this.classesMessage, messages([ws, perClass, steps, seed])].filter(Boolean).join(" ") };
    }
    return { ok: true, value: { classes, ws: ws.value, perClass: perClass.value, steps: steps.value, solver: this.solver, guidance: this.guidance, seed: seed.value } };
  }

  /** The training the form asks for, or the messages of the fields that are wrong. */
  trainRequest(): Parsed<TrainRequest> {
    const { trainSteps, trainBatch, sampleEvery } = this;
    if (!trainSteps.ok || !trainBatch.ok || !sampleEvery.ok) return { ok: false, message: this.trainFieldsMessage };
    return { ok: true, value: { steps: trainSteps.value, batch: trainBatch.value, sampleEvery: sampleEvery.value } };
  }

  /** Keeps the time panel's sample, column and frame inside a new run. */
  clampToRun(req: RunRequest): void {
    this.follow = Math.min(this.follow, req.classes.length * req.perClass - 1);
    this.followW = Math.min(this.followW, req.ws.length - 1);
    this.frame = Math.min(this.frame, req.steps);
  }
}
