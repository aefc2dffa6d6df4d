// flowlab calibrate: scores every view on known degradations of held-out real images against clean
// ones and writes the verdicts (reports/calibration.{md,json}); exits 1 when a view misses what it must see.
import path from "node:path";
import { parse, num, str, UsageError } from "./args.js";
import { defaultJudge } from "../io/package-files.js";
import { ensureWritableFile, ensureReadableFile } from "./writable.js";
import { loadDataFlag } from "./data-flags.js";
import { loadJudgeWithData } from "../eval/real-images.js";
import { judgeSplits } from "../judge/split.js";
import { PREPARE_DEFAULTS } from "../data/prepare.js";
import { runCalibration, CALIBRATION_DEFAULTS, type CalibrationOptions } from "../eval/calibrate.js";
import { calibrationMarkdown } from "../eval/calibration-report.js";
import { writeFileAtomic } from "../io/atomic.js";

const DEFAULT_MD = path.join("reports", "calibration.md"), DEFAULT_JSON = path.join("reports", "calibration.json");

export const CALIBRATE_HELP = `flowlab calibrate [flags]
  every view (accuracy, FD/KID on judge and texture features, background, precision/recall,
  density/coverage, diversity, memorisation) on degradations of held-out real images vs clean ones
  --judge FILE           classifier (default models/judge.safetensors)
  --data SPEC            mnist|idx:DIR|folder:DIR (default: the data the judge was trained on; split as it records)
  --n N                  images per set (default ${CALIBRATION_DEFAULTS.n}, fewer when the judge's real split is small)
  --real N               real images every set is scored against (default ${CALIBRATION_DEFAULTS.real})
  --train N              training images the memorisation check searches (default ${CALIBRATION_DEFAULTS.train})
  --bootstrap N          resamples for the FD intervals (default ${CALIBRATION_DEFAULTS.views.bootstrap})   --seed N
  --md FILE --json FILE  outputs (default ${DEFAULT_MD}, ${DEFAULT_JSON})`;

const FLAGS = {
  judge: { type: "string" }, data: { type: "string" }, n: { type: "string" }, real: { type: "string" }, reference: { type: "string" }, train: { type: "string" },
  bootstrap: { type: "string" }, seed: { type: "string" }, md: { type: "string" }, json: { type: "string" }, threads: { type: "string" },
} as const;

export interface CalibrateOptions {
  judge: string;
  data: string | null;
  /** --n as given (null: the default, lowered to what a small real split holds). */
  n: number | null;
  calibration: CalibrationOptions;
  md: string;
  json: string;
}

/** Flags → validated options (no side effects). */
export function parseCalibrateFlags(argv: string[]): CalibrateOptions | "help" {
  const v = parse("calibrate", argv, FLAGS);
  if (v["help"]) return "help";
  const d = CALIBRATION_DEFAULTS;
  // "reference" names the plain-TS backend elsewhere; the old spelling stops with the new one named
  if (v["reference"] !== undefined) throw new UsageError("--reference is now --real N: the real images every set is scored against");
  return {
    judge: str(v["judge"]) ?? defaultJudge,
    data: str(v["data"]) ?? null,
    n: num("n", v["n"], { int: true, min: 10, max: 20000 }) ?? null,
    calibration: {
      n: num("n", v["n"], { int: true, min: 10, max: 20000 }) ?? d.n,
      real: num("real", v["real"], { int: true, min: 50, max: 100000 }) ?? d.real,
      train: num("train", v["train"], { int: true, min: 10, max: 1000000 }) ?? d.train,
      seed: num("seed", v["seed"], { int: true }) ?? d.seed,
      views: { bootstrap: num("bootstrap", v["bootstrap"], { int: true, min: 0, max: 1000 }) ?? d.views.bootstrap ?? 0 },
    },
    md: str(v["md"]) ?? DEFAULT_MD,
    json: str(v["json"]) ?? DEFAULT_JSON,
  };
}

export async function calibrateCommand(argv: string[], log: (s: string) => void): Promise<number> {
  const o = parseCalibrateFlags(argv);
  if (o === "help") {
    log(CALIBRATE_HELP);
    return 0;
  }
  ensureWritableFile(o.md, "--md");
  ensureWritableFile(o.json, "--json");
  ensureReadableFile(o.judge, "--judge", "judge (train one with flowlab train-judge)");
  const j = loadJudgeWithData(o.judge);
  const data = o.data ?? j.data;
  const { train, reference: test, how } = judgeSplits({ ...j.judgeData, data }, (d, split, prepare) => loadDataFlag(d, split, { ...PREPARE_DEFAULTS, ...prepare, flip: false }, split === "train" ? log : () => {}));
  if (o.n === null && test.count < 2 * o.calibration.n + 50) o.calibration.n = Math.max(10, Math.floor((test.count - 50) / 2));
  const need = 2 * o.calibration.n + 50;
  if (test.count < need) throw new UsageError(`--n ${o.calibration.n}: the ${data} ${how === "test split" ? `${how} holds` : `real images (${how}) hold`} ${test.count} images; calibration needs 2 × n + 50 = ${need} (lower --n)`);
  log(`calibrate: ${test.count} real images (${how}), ${o.calibration.n} per set`);
  const c = { ...runCalibration(j.net, test, train, data, o.calibration, log), split: how };
  const command = `flowlab calibrate ${argv.join(" ")}`.trim();
  writeFileAtomic(o.md, calibrationMarkdown(c, command));
  writeFileAtomic(o.json, JSON.stringify({ command, ...c }, null, 2));
  const failed = c.rows.filter((r) => r.failures.length);
  log(`${failed.length ? `${failed.length} of ${c.rows.length} rows fail` : `all ${c.rows.length} rows pass`} → ${o.md}, ${o.json}`);
  return failed.length ? 1 : 0;
}
