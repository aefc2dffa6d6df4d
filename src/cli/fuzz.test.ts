// Property-based tests of the CLI: arbitrary flag values for every command either parse to typed,
// in-range options or throw a one-line UsageError naming a flag; corrupted checkpoints either load and
// sample within range or fail with a message naming the file; end to end, exit 0 or exit 2 with one line.
// Issue 27's generators: names from Object.prototype, special and endless input files, extreme but
// finite weights and w, and seeds beyond what the generator represents.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, existsSync, symlinkSync, mkdirSync } from "node:fs";
import { execFileSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { setup, repoRoot } from "../testing/helpers.js";
import { check, runs, fuzzSeed } from "../testing/fuzz.js";
import { tinyCheckpoint } from "../testing/tiny-data.js";
import { mutation, applyMutations } from "../testing/mutate.js";
import * as T from "../tensor/index.js";
import { UsageError } from "./args.js";
import { parseTrainFlags } from "./train.js";
import { parseSampleFlags } from "./sample.js";
import { parseEvalFlags } from "./eval.js";
import { parseTrainJudgeFlags } from "./train-judge.js";
import { decodeCheckpoint, samplingNet } from "../train/checkpoint.js";
import { generate } from "../sample/generate.js";
import { encodeNpy } from "../io/npy.js";
import { checkSampleRange, checkGuidanceWeight, solveChecked, SampleRangeError, SAMPLE_RANGE_LIMITS } from "../sample/range.js";
import { parseSafetensors, serializeSafetensors, type StTensor } from "../io/safetensors.js";
import { MAX_WEIGHT } from "../train/checkpoint.js";
import { Rng } from "../tensor/random.js";
import { MAX_SEED } from "./args.js";
import { CheckpointMismatchError } from "../nn/state-dict.js";

let data = "";
let ckpt: Uint8Array = new Uint8Array();
const dir = mkdtempSync(path.join(os.tmpdir(), "flowlab-fuzz-"));

before(async () => {
  await setup(2);
  ({ data, bytes: ckpt } = tinyCheckpoint(2));
});

/** A flag value: numbers of every kind, lists, names, junk. */
const value = fc.oneof(
  fc.constantFrom("0", "1", "2", "3", "-1", "0.5", "1e9", "1e400", "-0", "NaN", "Infinity", "0x10", "", " 4 ", "1,2", "1,1", "3,,4", "abc", "euler", "midpoint", "rk4", "cosine:4:0.1", "cosine:x", "lab", "quick", "solvers", "mnist", "idx:", "-1..1", "0..1", "auto"),
  fc.integer({ min: -5, max: 5000 }).map(String),
  fc.double({ noNaN: false }).map(String),
  fc.array(fc.integer({ min: -2, max: 12 }), { minLength: 1, maxLength: 4 }).map((a) => a.join(",")),
  fc.string({ maxLength: 8 }),
);

/** argv for a command: known flags (space or = form) with values, booleans, unknown flags, positionals. */
function argvFor(flags: readonly string[], booleans: readonly string[] = []): fc.Arbitrary<string[]> {
  const pair = fc.tuple(fc.constantFrom(...flags), value, fc.boolean()).map(([f, v, eq]) => (eq ? [`--${f}=${v}`] : [`--${f}`, v]));
  const other = fc.oneof(
    fc.constantFrom(...(booleans.length ? booleans : ["help"])).map((b) => [`--${b}`]),
    fc.constantFrom(["--bogus"], ["-x"], ["stray"], ["--"], ["--steps"]),
  );
  return fc.array(fc.oneof({ weight: 6, arbitrary: pair }, { weight: 1, arbitrary: other }), { maxLength: 5 }).map((xs) => xs.flat());
}

function usageOnly(run: () => unknown): unknown {
  try {
    return run();
  } catch (e) {
    assert.ok(e instanceof UsageError, `expected a UsageError, got ${(e as Error).name}: ${(e as Error).message}`);
    assert.ok(!e.message.includes("\n"), `message spans lines: ${e.message}`);
    assert.match(e.message, /--[a-z]|Unknown option|unexpected argument|nothing to write/, `message names no flag: ${e.message}`);
    return undefined;
  }
}

const isInt = (v: number, min: number, max = Infinity) => Number.isInteger(v) && v >= min && v <= max;

test("train: arbitrary flags parse to an in-range config or one line naming the flag", () =>
  check("train flags", fc.property(argvFor(["steps", "batch", "lr", "lr-schedule", "eta", "channels", "res-layers", "seed", "ema-decay", "data", "image-size", "background", "out", "checkpoint-every", "sample-every", "stop-at", "preset", "threads"], ["resume", "flip", "help"]), (argv) => {
    const o = usageOnly(() => parseTrainFlags(argv));
    if (!o || o === "help") return;
    const { config: c, stopAt, resume } = o as Exclude<ReturnType<typeof parseTrainFlags>, "help">;
    assert.ok(isInt(c.steps, 1) && isInt(c.batch, 2) && isInt(c.model.numResidualLayers, 1) && c.model.channels.every((ch) => isInt(ch, 1)), JSON.stringify(c));
    assert.ok(c.lr > 0 && c.eta >= 0 && c.eta <= 1 && c.emaDecay >= 0 && c.emaDecay < 1 && isInt(c.checkpointEvery, 1) && Number.isInteger(c.seed));
    if (stopAt !== undefined) assert.ok(isInt(stopAt, 1) && (resume || stopAt <= c.steps), `--stop-at ${stopAt} with --steps ${c.steps}`);
    if (c.prepare) assert.ok((c.prepare.size === 32 || c.prepare.size === 64) && c.prepare.background.every((v) => isInt(v, 0) && v <= 255), JSON.stringify(c.prepare));
  }), 500));

test("sample: arbitrary flags parse to in-range options or one line naming the flag", () =>
  check("sample flags", fc.property(argvFor(["ckpt", "w", "per-class", "classes", "steps", "solver", "seed", "png", "svg", "scale", "guidance", "npy", "trajectory", "record-every", "threads"], ["help"]), (argv) => {
    const o = usageOnly(() => parseSampleFlags(argv));
    if (!o || o === "help") return;
    const s = o as Exclude<ReturnType<typeof parseSampleFlags>, "help">;
    assert.ok(s.figure.png || s.figure.svg || s.npy || s.trajectory);
    assert.ok(isInt(s.figure.scale, 1, 8));
    assert.ok(s.w.length >= 1 && s.w.every(Number.isFinite) && (!s.npy || s.w.length === 1));
    assert.ok(isInt(s.perClass, 1, 1000) && isInt(s.steps, 1, 10000) && isInt(s.recordEvery, 1) && Number.isInteger(s.seed));
    if (s.classes) assert.ok(s.classes.every((c) => isInt(c, 0)) && new Set(s.classes).size === s.classes.length, `classes ${s.classes.join(",")}`);
  }), 500));

test("eval: arbitrary flags parse to consistent options or one line naming the flag (nothing is read)", () =>
  check("eval flags", fc.property(argvFor(["ckpt", "w", "per-class", "solver", "steps", "seed", "samples", "labels", "range", "study", "weak", "guidance", "json", "md", "png", "svg", "scale", "from", "judge", "threads"], ["help"]), (argv) => {
    const o = usageOnly(() => parseEvalFlags(argv));
    if (!o || o === "help") return;
    const e = o as Exclude<ReturnType<typeof parseEvalFlags>, "help">;
    if (e.source.kind === "from") assert.ok(!argv.some((a) => /^--(w|ckpt|per-class|solver|steps|seed|study|weak|guidance|samples|labels|range|judge)(=|$)/.test(a)), `sampling flags with --from: ${argv.join(" ")}`);
    else if (e.source.kind === "samples") assert.ok(!argv.some((a) => /^--(w|ckpt|per-class|solver|steps|seed|study|weak|guidance)(=|$)/.test(a)), `generation flags with --samples: ${argv.join(" ")}`);
    else {
      assert.ok(!argv.some((a) => /^--(labels|range)(=|$)/.test(a)), `--labels/--range without --samples: ${argv.join(" ")}`);
      assert.ok(e.source.w.every(Number.isFinite) && isInt(e.source.perClass, 2, 2000) && isInt(e.source.steps, 1, 10000));
    }
  }), 500));

test("train-judge: arbitrary flags parse to in-range options or one line naming the flag", () =>
  check("train-judge flags", fc.property(argvFor(["epochs", "batch", "lr", "seed", "data", "out", "threads"], ["help"]), (argv) => {
    const o = usageOnly(() => parseTrainJudgeFlags(argv));
    if (!o || o === "help") return;
    const t = (o as Exclude<ReturnType<typeof parseTrainJudgeFlags>, "help">).train;
    // null: not given, chosen from the data's size by judgeSchedule
    assert.ok((t.epochs === null || isInt(t.epochs, 1, 100)) && (t.batch === null || isInt(t.batch, 2, 4096)) && t.lr > 0 && Number.isInteger(t.seed));
  }), 300));

test("corrupted checkpoints either load and sample within range, or fail naming the file", () =>
  check("checkpoint", fc.property(fc.array(mutation(4096), { minLength: 1, maxLength: 3 }), (ms) => {
    const source = "fuzzed.safetensors";
    let state;
    try {
      state = decodeCheckpoint(applyMutations(ckpt, ms), source);
    } catch (e) {
      assert.ok(e instanceof CheckpointMismatchError, `expected a CheckpointMismatchError, got ${(e as Error).name}: ${(e as Error).message}`);
      assert.ok(e.message.includes(source) && !e.message.includes("\n"), e.message);
      return;
    }
    const net = samplingNet(state);
    try {
      const images = solveChecked({ w: 3, source }, () => {
        const g = generate(net, { classes: [0, 10], perClass: 1, w: 3, steps: 2, solver: "euler", seed: 0 });
        const x = g.images.toFloat32Array();
        g.images.dispose();
        return x;
      });
      const r = checkSampleRange(images, { w: 3, source });
      assert.ok(Math.max(-r.lo, r.hi) <= 50);
    } catch (e) {
      assert.ok(e instanceof SampleRangeError && e.message.includes(source), `${(e as Error).name}: ${(e as Error).message}`);
    } finally {
      T.disposeAll(net.params);
      if (net !== state.net) T.disposeAll(state.net.params);
    }
  }), 120));

function cli(args: string[]) {
  return spawnSync(process.execPath, [path.join(repoRoot, "dist/cli/main.js"), ...args], { encoding: "utf8", timeout: 60_000 });
}

/** Exit 0, or exit 2 with exactly one error line (and the --verbose hint); never a stack trace or a hang. */
function exitCleanly(r: ReturnType<typeof cli>, what: string): void {
  assert.ok(r.status === 0 || r.status === 2, `${what}: exit ${r.status} (signal ${r.signal})\n${r.stderr}`);
  if (r.status === 2) {
    const errors = r.stderr.split("\n").filter((l) => l.startsWith("flowlab: error: "));
    assert.equal(errors.length, 1, `${what}: ${r.stderr}`);
    assert.ok(!/\n\s+at /.test(r.stderr), `${what}: stack trace\n${r.stderr}`);
  }
}

test("end to end: flowlab sample on corrupted checkpoints exits 0 with a PNG or 2 with one line", () => {
  const cases = fc.sample(fc.array(mutation(4096), { minLength: 1, maxLength: 2 }), { seed: fuzzSeed, numRuns: runs(4) });
  cases.forEach((ms, i) => {
    const f = path.join(dir, `c${i}.safetensors`), png = path.join(dir, `c${i}.png`);
    writeFileSync(f, applyMutations(ckpt, ms));
    const r = cli(["sample", "--ckpt", f, "--per-class", "1", "--steps", "1", "--w", "3", "--png", png, "--threads", "1"]);
    exitCleanly(r, `seed ${fuzzSeed}, case ${i}: ${fc.stringify(ms)}`);
    assert.equal(existsSync(png), r.status === 0);
  });
});

test("end to end: flowlab path with arbitrary flags exits 0 or 2 with one line", () => {
  const cases = fc.sample(argvFor(["t", "digits", "schedule", "seed"]), { seed: fuzzSeed, numRuns: runs(4) });
  cases.forEach((argv, i) => {
    const r = cli(["path", ...argv, "--data", `idx:${data}`, "--png", path.join(dir, `p${i}.png`), "--threads", "1"]);
    exitCleanly(r, `seed ${fuzzSeed}: flowlab path ${argv.join(" ")}`);
  });
});

test("end to end: command names from Object.prototype are unknown commands: exit 2, one line, no stack trace", () => {
  const names = fc.sample(fc.constantFrom(...Object.getOwnPropertyNames(Object.prototype)), { seed: fuzzSeed, numRuns: runs(4) });
  for (const name of ["constructor", "__proto__", ...names]) {
    const r = cli([name]);
    assert.equal(r.status, 2, `${name}: exit ${r.status}\n${r.stderr}`);
    exitCleanly(r, name);
    assert.match(r.stderr, /^flowlab: error: unknown command "/m, name);
  }
});

/** Special and endless files, and links to them: none may be read whole or block. */
function specialFiles(): string[] {
  const d = path.join(dir, "special");
  mkdirSync(d, { recursive: true });
  const fifo = path.join(d, "fifo.safetensors");
  if (!existsSync(fifo)) {
    execFileSync("mkfifo", [fifo]);
    symlinkSync("/dev/zero", path.join(d, "zero.npy"));
    symlinkSync(fifo, path.join(d, "fifo-link.npy"));
  }
  return ["/dev/zero", "/dev/urandom", fifo, path.join(d, "zero.npy"), path.join(d, "fifo-link.npy")];
}

test("end to end: special and endless input files (/dev/zero, /dev/urandom, FIFOs, links to them) exit 2 at once with one line naming them", () => {
  const good = path.join(dir, "good.npy");
  writeFileSync(good, encodeNpy({ dtype: "<f4", shape: [10, 1, 32, 32], data: new Float32Array(10240) }));
  const idx = (f: string) => {
    const d = mkdtempSync(path.join(dir, "idx-"));
    symlinkSync(f, path.join(d, "train-images-idx3-ubyte"));
    symlinkSync(path.join(data, "train-labels-idx1-ubyte"), path.join(d, "train-labels-idx1-ubyte"));
    return d;
  };
  const roles: ((f: string) => string[])[] = [
    (f) => ["sample", "--ckpt", f, "--png", path.join(dir, "never.png")],
    (f) => ["eval", "--samples", f],
    (f) => ["eval", "--samples", good, "--labels", f],
    (f) => ["nll", "--ckpt", f],
    (f) => ["train", "--data", `idx:${idx(f)}`, "--out", mkdtempSync(path.join(dir, "run-"))],
  ];
  const cases = fc.sample(fc.tuple(fc.constantFrom(...specialFiles()), fc.integer({ min: 0, max: roles.length - 1 })), { seed: fuzzSeed, numRuns: runs(6) });
  for (const [f, k] of [["/dev/zero", 1], ["/dev/zero", 0], ...cases] as [string, number][]) {
    const args = roles[k]!(f);
    const r = spawnSync(process.execPath, [path.join(repoRoot, "dist/cli/main.js"), ...args, "--threads", "1"], { encoding: "utf8", timeout: 30_000 });
    assert.equal(r.status, 2, `${args.join(" ")}: exit ${r.status} (signal ${r.signal})\n${r.stderr}`);
    exitCleanly(r, args.join(" "));
    assert.match(r.stderr, /(is a character device|is a FIFO \(named pipe\)), not a regular file/, args.join(" "));
  }
});

/** The test checkpoint with `edit` applied to its model and EMA weights (re-serialised, so its SHA-256 is valid). */
function withWeights(edit: (key: string, t: StTensor) => void): Uint8Array {
  const f = parseSafetensors(ckpt, "ckpt");
  for (const [k, t] of f.tensors) if (!k.startsWith("adam.") && t.dtype === "F32") edit(k, t);
  return serializeSafetensors(f.tensors, f.metadata);
}

test("extreme but finite weights: beyond ±MAX_WEIGHT, or all zero, are refused naming the file; otherwise sampling stays in range or fails naming it", () => {
  const keys = [...parseSafetensors(ckpt, "ckpt").tensors.keys()].filter((k) => !k.startsWith("adam.") && !k.endsWith("num_batches_tracked"));
  const value = fc.oneof(
    fc.double({ min: MAX_WEIGHT * 1.0001, max: 3e38, noNaN: true }).chain((v) => fc.constantFrom(v, -v)),
    fc.double({ min: -MAX_WEIGHT, max: MAX_WEIGHT, noNaN: true }),
  );
  check("extreme weights", fc.property(fc.constantFrom(...keys), fc.nat(), value, (key, at, v) => {
    const source = "extreme.safetensors";
    const bytes = withWeights((k, t) => {
      if (k === key) (t.data as Float32Array)[at % t.data.length] = v;
    });
    const stored = Math.fround(v);
    let state;
    try {
      state = decodeCheckpoint(bytes, source);
    } catch (e) {
      assert.ok(e instanceof CheckpointMismatchError && e.message.includes(source) && !e.message.includes("\n"), (e as Error).message);
      return;
    }
    assert.ok(Math.abs(stored) <= MAX_WEIGHT, `${key} = ${stored} was accepted`);
    T.disposeAll([state.net.params, state.ema, state.adam]);
  }), 60);
  const zero = withWeights((_, t) => (t.data as Float32Array).fill(0));
  assert.throws(() => decodeCheckpoint(zero, "zero.safetensors"), /zero\.safetensors: every weight is zero; this is not a trained model/);
});

test("extreme but finite w: |w| above the limit is refused before sampling; within it the samples' range is checked", () => {
  check("extreme w", fc.property(fc.double({ min: -1e300, max: 1e300, noNaN: true }), (w) => {
    if (Math.abs(w) > SAMPLE_RANGE_LIMITS.maxW) assert.throws(() => checkGuidanceWeight(w, "m"), (e: Error) => e instanceof SampleRangeError && /is extreme/.test(e.message));
    else checkGuidanceWeight(w, "m");
  }), 300);
  // the gap issue 27 found: w = 1e13..1e19 drew noise that stayed in range
  for (const w of ["1e13", "1e15", "1e19"]) {
    const r = cli(["sample", "--w", w, "--per-class", "1", "--steps", "1", "--png", path.join(dir, "never.png"), "--threads", "1"]);
    assert.equal(r.status, 2, `--w ${w}: ${r.stderr}`);
    assert.match(r.stderr, /would be noise: w = .* is extreme/);
  }
});

test("seeds: every accepted --seed is in 0..2^32 − 1 and gives its own stream; larger, negative and unsafe seeds are refused naming --seed", () => {
  const big = fc.oneof(fc.bigInt({ min: BigInt(MAX_SEED) + 1n, max: 2n ** 70n }), fc.bigInt({ min: -(2n ** 70n), max: -1n })).map(String);
  const parsers = [(seed: string) => parseTrainFlags(["--seed", seed]), (seed: string) => parseSampleFlags(["--seed", seed, "--png", "x.png"]), (seed: string) => parseEvalFlags(["--seed", seed])];
  check("large seeds", fc.property(big, fc.constantFrom(...parsers), (seed, parse) => {
    assert.throws(() => parse(seed), (e: Error) => e instanceof UsageError && /^--seed must be [≥≤] /.test(e.message));
  }), 200);
  for (const seed of ["4294967297", "4294967296", "9007199254740993", "-1"]) assert.throws(() => parseSampleFlags(["--seed", seed, "--png", "x.png"]), /--seed must be/);
  check("distinct seeds", fc.property(fc.integer({ min: 0, max: MAX_SEED }), fc.integer({ min: 0, max: MAX_SEED }), (a, b) => {
    fc.pre(a !== b);
    const ra = new Rng(a), rb = new Rng(b);
    const sa = [ra.uniform(), ra.uniform(), ra.uniform()], sb = [rb.uniform(), rb.uniform(), rb.uniform()];
    assert.notDeepEqual(sa, sb, `seeds ${a} and ${b} alias`);
  }), 300);
});
