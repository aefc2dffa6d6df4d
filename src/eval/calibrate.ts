// Calibration: held-out real images, clean and under each known degradation, scored on every view
// against clean real images of the same count. A verdict per metric × degradation, and which views
// must see each degradation (the designated ones) — what the calibration test and report enforce.
import type { Classifier } from "../nn/classifier.js";
import { judge } from "../judge/judge.js";
import { classifierImage } from "../nn/classifier.js";
import { Rng } from "../tensor/random.js";
import { DEGRADATIONS, type ImageSet } from "./degradations.js";
import { viewContext, evaluateViews, type Views, type ViewOptions } from "./views.js";
import { VIEW_METRICS, compare, type Comparison } from "./view-metrics.js";

/** The views that must see each degradation (by metric key); every degradation needs at least one. */
export const MUST_SEE: Readonly<Record<string, readonly string[]>> = {
  "noise σ=0.02": ["background"],
  "noise σ=0.05": ["background", "fdTexture"],
  "noise σ=0.1": ["background", "fdTexture", "kidTexture", "fdJudge"],
  "background grain": ["background", "fdTexture"],
  "salt and pepper": ["background", "fdTexture"],
  blur: ["fdTexture", "fdJudge"],
  "contrast loss": ["background", "fdTexture"],
  "stroke dilation": ["fdJudge"],
  "mode collapse": ["diversity", "recall", "coverage"],
  "class swap": ["accuracy"],
  memorised: ["memorisation"],
};

/** The control row: a second clean held-out set, which no view may call worse. */
export const CONTROL = "another clean set";

/** Calibration's sizes and seed. */
export interface CalibrationOptions {
  /** Images per set (clean, control, each degradation). */
  n: number;
  /** Real images every set is scored against (the rest of the test split, up to this many). */
  real: number;
  /** Training images searched by the memorisation check. */
  train: number;
  seed: number;
  views: Partial<ViewOptions>;
}

/** Calibration's defaults: 500 images per set, 5000 real images to score against, the whole training split, 10 bootstrap resamples. */
export const CALIBRATION_DEFAULTS: Readonly<CalibrationOptions> = Object.freeze({ n: 500, real: 5000, train: 60000, seed: 0, views: { bootstrap: 10 } });

/** One cell: how a row compares with clean on one metric, and whether that view must see it. */
export interface Verdict {
  metric: string;
  comparison: Comparison;
  delta: number;
  margin: number;
  mustSee: boolean;
}

/** One scored set: a degradation (or the control), its views, verdicts and failures. */
export interface CalibrationRow {
  name: string;
  description: string;
  views: Views;
  verdicts: Verdict[];
  /** Designated views that missed it, any view that ranked it better beyond noise, or "seen by none". */
  failures: string[];
  /** Why the degradation was not applied to this data (no views then). */
  notApplicable?: string;
}

/** A calibration run: its options, data spec, the counts it used, the clean set's views and a row per set. */
export interface Calibration {
  options: CalibrationOptions;
  data: string;
  /** Real images every set was scored against, and training images searched for copies (absent in runs saved before). */
  used?: { real: number; train: number };
  /** Where the held-out images come from: "test split" (absent: the same) or the judge's hold-out. */
  split?: string;
  clean: Views;
  rows: CalibrationRow[];
}

function shuffled(m: number, rng: Rng): Int32Array {
  const idx = Int32Array.from({ length: m }, (_, i) => i);
  for (let i = m - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  return idx;
}

function take(s: ImageSet, idx: ArrayLike<number>): ImageSet {
  const P = s.images.length / Math.max(1, s.labels.length), n = idx.length;
  const images = new Float32Array(n * P), labels = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const i = idx[r]!;
    images.set(s.images.subarray(i * P, (i + 1) * P), r * P);
    labels[r] = s.labels[i]!;
  }
  return { images, labels };
}

function verdictsOf(name: string, views: Views, clean: Views): { verdicts: Verdict[]; failures: string[] } {
  const must = MUST_SEE[name] ?? [];
  const verdicts = VIEW_METRICS.map((m) => ({ metric: m.key, mustSee: must.includes(m.key), ...(({ verdict, delta, margin }) => ({ comparison: verdict, delta, margin }))(compare(m, views, clean)) }));
  const failures: string[] = [];
  if (name === CONTROL) {
    for (const v of verdicts) if (v.comparison === "worse") failures.push(`${v.metric} calls a clean set worse (false alarm)`);
    return { verdicts, failures };
  }
  for (const v of verdicts) {
    // a view this data has no figure for (e.g. no background) is reported, not failed: clean is n/a too
    const unmeasured = v.comparison === "n/a" && !Number.isFinite(VIEW_METRICS.find((m) => m.key === v.metric)?.get(clean)?.value ?? NaN);
    if (v.mustSee && v.comparison !== "worse" && !unmeasured) failures.push(`${v.metric} must see it but finds it ${v.comparison}`);
  }
  if (!verdicts.some((v) => v.comparison === "worse")) failures.push("no view sees it");
  return { verdicts, failures };
}

/**
 * Runs calibration on a data set's test split (held out from every model and judge) and its train
 * split (for memorised copies): test images are shuffled (seeded) into a clean set, a control set and
 * the real images every set is scored against; every degradation is applied to the clean set.
 */
export function runCalibration(net: Classifier, test: ImageSet, train: ImageSet, data: string, options: Partial<CalibrationOptions> = {}, log: (s: string) => void = () => {}): Calibration {
  const o = { ...CALIBRATION_DEFAULTS, ...options, views: { ...CALIBRATION_DEFAULTS.views, ...options.views } };
  const m = test.labels.length;
  if (m < 2 * o.n + 50) throw new RangeError(`calibration with ${o.n} images per set needs at least ${2 * o.n + 50} test images (2 × ${o.n} held out and 50 to score against), got ${m}`);
  const rng = new Rng(o.seed);
  const order = shuffled(m, rng);
  const clean = take(test, order.subarray(0, o.n));
  const control = take(test, order.subarray(o.n, 2 * o.n));
  const refSet = take(test, order.subarray(2 * o.n, Math.min(m, 2 * o.n + o.real)));
  const pool = take(train, shuffled(train.labels.length, rng).subarray(0, Math.min(o.train, train.labels.length)));
  const ref = { features: judge(net, refSet.images).features, labels: refSet.labels, images: refSet.images };
  const ctx = viewContext(net, ref, pool, o.views);
  log(`calibration: ${o.n} images per set, scored against ${refSet.labels.length} real images, training pool ${pool.labels.length}`);
  const cleanViews = evaluateViews(clean.images, clean.labels, ctx);
  const sets = [
    { name: CONTROL, description: "a second set of held-out real images, disjoint from the clean one", make: () => control },
    ...DEGRADATIONS.map((d) => ({ name: d.name, description: d.description, make: () => d.apply(clean, { train: pool, numClasses: net.config.numClasses, rng: new Rng(o.seed + 7), geometry: classifierImage(net.config), background: ctx.backgroundModel }) })),
  ];
  const rows = sets.map((s): CalibrationRow => {
    const set = s.make();
    if ("notApplicable" in set) {
      log(`${s.name}: not applicable (${set.notApplicable})`);
      return { name: s.name, description: s.description, views: cleanViews, verdicts: [], failures: [], notApplicable: set.notApplicable };
    }
    const views = evaluateViews(set.images, set.labels, ctx);
    const { verdicts, failures } = verdictsOf(s.name, views, cleanViews);
    log(`${s.name}: ${failures.length ? failures.join("; ") : "as expected"}`);
    return { name: s.name, description: s.description, views, verdicts, failures };
  });
  return { options: o, data, used: { real: refSet.labels.length, train: pool.labels.length }, clean: cleanViews, rows };
}
