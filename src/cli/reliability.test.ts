// The defects of issue 16, end to end: output paths under /proc, --npy to stdout, samples far outside
// the data range, eval's flag checks, flags that were accepted without complaint, messages that named
// neither file nor cause, and --resume comparing typed values. Each exits 2 with one line (or works).
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, mkdirSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setup, repoRoot } from "../testing/helpers.js";
import { tinyIdxDir } from "../testing/tiny-data.js";
import { CfgTrainer } from "../train/trainer.js";
import { preset, type TrainConfig } from "../train/presets.js";
import { loadDataset } from "../data/load.js";
import { encodeCheckpoint } from "../train/checkpoint.js";
import { parseSafetensors, serializeSafetensors } from "../io/safetensors.js";
import { decodeNpy } from "../io/npy.js";
import { parseTrainFlags, changedConfigFlags, type TrainOptions } from "./train.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "flowlab-rel-"));
const good = path.join(dir, "good.safetensors");
let data = "";
let config: TrainConfig;

before(async () => {
  await setup(2);
  data = tinyIdxDir(16);
  const base = preset("quick");
  config = { ...base, model: { ...base.model, channels: [4, 8], numResidualLayers: 1 }, batch: 4, steps: 2, data: `idx:${data}` };
  const trainer = new CfgTrainer(config, loadDataset(config.data, "train"));
  trainer.trainStep();
  writeFileSync(good, encodeCheckpoint(trainer.state()));
});

function cli(args: string[]) {
  return spawnSync(process.execPath, [path.join(repoRoot, "dist/cli/main.js"), ...args, "--threads", "1"], { encoding: "utf8", timeout: 60_000 });
}

/** Exit 2 and exactly one `flowlab: error:` line matching `re`. */
function fails(args: string[], re: RegExp): string {
  const r = cli(args);
  assert.equal(r.status, 2, `${args.join(" ")}: exit ${r.status} (${r.signal})\n${r.stderr}`);
  const lines = r.stderr.split("\n").filter((l) => l.startsWith("flowlab: error: "));
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0]!, re, args.join(" "));
  return lines[0]!;
}

/** A copy of the good checkpoint with `edit` applied to its tensors. */
function edited(name: string, edit: (t: Map<string, { dtype: string; shape: number[]; data: unknown }>) => void): string {
  const f = parseSafetensors(parseBytes(good), good);
  edit(f.tensors as never);
  const out = path.join(dir, name);
  writeFileSync(out, serializeSafetensors(f.tensors, f.metadata));
  return out;
}
const parseBytes = (f: string) => new Uint8Array(spawnSync("cat", [f], { maxBuffer: 1 << 26 }).stdout);

test("outputs under /proc fail at once for every command, naming the user's path (no hang, no temp file)", () => {
  const cases: [string[], string][] = [
    [["sample", "--ckpt", good, "--png", "/proc/x/y.png"], "/proc/x/y.png"],
    [["sample", "--ckpt", good, "--png", "/proc/flowlab.png"], "/proc/flowlab.png"],
    [["train", "--data", `idx:${data}`, "--out", "/proc/x/run"], "/proc/x/run"],
    [["eval", "--json", "/proc/x/e.json"], "/proc/x/e.json"],
    [["train-judge", "--out", "/proc/x/j.safetensors"], "/proc/x/j.safetensors"],
  ];
  for (const [args, p] of cases) {
    const line = fails(args, new RegExp(`cannot write (--png|run folder|--json|--out) ${p.replace(/[.]/g, "\\.")}: `));
    assert.ok(!line.includes(".tmp"), line);
  }
});

test("--npy /dev/stdout writes the array to stdout; progress goes to stderr; it says whether it clamped", () => {
  const r = spawnSync(process.execPath, [path.join(repoRoot, "dist/cli/main.js"), "sample", "--ckpt", good, "--w", "3", "--per-class", "2", "--steps", "2", "--npy", "/dev/stdout", "--threads", "1"], { timeout: 60_000, maxBuffer: 1 << 24 });
  assert.equal(r.status, 0, r.stderr.toString());
  const a = decodeNpy(new Uint8Array(r.stdout), "stdout");
  assert.deepEqual(a.shape, [20, 1, 32, 32]);
  assert.ok(Array.from(a.data as Float32Array).every((v) => v >= -1 && v <= 1));
  assert.match(r.stderr.toString(), /wrote \/dev\/stdout \(labels, class-major: 0,1,2,3,4,5,6,7,8,9 × 2; (\d+ of 20480 values were outside \[−1, 1\] and clamped|all values within \[−1, 1\], none clamped)\)/);
});

test("samples far outside [−1, 1] stop with an error naming the likely cause; nothing is written", () => {
  const huge = edited("huge.safetensors", (t) => {
    const w = t.get("ema.final_conv.weight")!.data as Float32Array;
    w[0] = 7.3e11;
  });
  const png = path.join(dir, "never.png");
  // since issue 27 the weight itself is refused when the checkpoint is read, before any sampling
  fails(["sample", "--ckpt", huge, "--w", "3", "--png", png], /samples at w = 3 (span .*far outside the data range \[−1, 1\]|hold \d+ non-finite value|overflowed to NaN\/Infinity during the solve).*huge\.safetensors may be corrupt|huge\.safetensors \(EMA weights\): final_conv\.weight holds 7\.30e\+11, orders of magnitude beyond any trained weight/);
  const scaled = edited("scaled.safetensors", (t) => {
    for (const [k, v] of t) if (k.startsWith("ema.") && v.dtype === "F32") (v.data as Float32Array).forEach((x, i, a) => (a[i] = x * 1e3));
  });
  fails(["sample", "--ckpt", scaled, "--w", "3", "--png", png], /scaled\.safetensors may be corrupt/);
  fails(["sample", "--ckpt", good, "--w", "1e9", "--npy", path.join(dir, "never.npy")], /samples at w = 1000000000 .*w = 1000000000 is extreme \(useful values are about 1\.\.10\)/);
  assert.deepEqual(readdirSync(dir).filter((n) => n.startsWith("never")), []);
});

test("eval checks its flags before any setup: --labels without --samples, --w with --samples, bad values", () => {
  const npy = path.join(dir, "s.npy");
  writeFileSync(npy, "");
  fails(["eval", "--labels", npy], /--labels describes --samples; give --samples FILE\.npy too/);
  fails(["eval", "--samples", npy, "--w", "abc"], /--samples judges a file, so --w would be ignored; drop it/);
  fails(["eval", "--per-class", "abc", "--judge", path.join(dir, "missing")], /--per-class must be a number, got "abc"/);
  fails(["eval", "--samples", npy, "--range", "0..9"], /--range must be auto, -1\.\.1, 0\.\.1, 0\.\.255, got "0\.\.9"/);
  fails(["eval", "--judge", path.join(dir, "missing.safetensors")], /--judge: judge .*missing\.safetensors does not exist/);
  fails(["eval", "--samples", npy], /--samples .*s\.npy: not a \.npy file/);
});

test("flags once accepted without complaint are refused: --steps 0, --stop-at past --steps, --res-layers 0, --classes 1,1", () => {
  const out = path.join(dir, "never-run");
  fails(["train", "--steps", "0", "--out", out], /--steps must be ≥ 1, got 0/);
  fails(["train", "--steps", "3", "--stop-at", "500", "--out", out], /--stop-at 500 is beyond --steps 3/);
  fails(["train", "--res-layers", "0", "--out", out], /--res-layers must be ≥ 1, got 0/);
  fails(["sample", "--classes", "1,1", "--png", path.join(dir, "x.png")], /--classes lists class 1 twice/);
});

test("messages name the file and the cause: an I32 weight, an empty IDX set, a folder or file in the way", () => {
  const i32 = edited("i32.safetensors", (t) => {
    const w = t.get("ema.final_conv.weight")!;
    t.set("ema.final_conv.weight", { dtype: "I32", shape: w.shape, data: new Int32Array((w.data as Float32Array).buffer) });
  });
  fails(["sample", "--ckpt", i32, "--png", path.join(dir, "x.png")], /i32\.safetensors \(EMA weights\): final_conv\.weight is stored as I32; weights must be F32/);
  const empty = path.join(dir, "empty-idx");
  mkdirSync(empty);
  writeFileSync(path.join(empty, "train-images-idx3-ubyte"), Buffer.from([0, 0, 8, 3, 0, 0, 0, 0, 0, 0, 0, 28, 0, 0, 0, 28]));
  writeFileSync(path.join(empty, "train-labels-idx1-ubyte"), Buffer.from([0, 0, 8, 1, 0, 0, 0, 0]));
  fails(["train", "--data", `idx:${empty}`, "--out", path.join(dir, "r-empty")], /train-images-idx3-ubyte: holds no images/);
  fails(["sample", "--ckpt", good, "--png", dir], /cannot write --png .*: it is a folder/);
  fails(["sample", "--ckpt", good, "--png", path.join(good, "x.png")], /cannot write --png .*good\.safetensors\/x\.png: .*good\.safetensors is a file, not a folder/);
  fails(["train", "--data", `idx:${data}`, "--batch", "64", "--out", path.join(dir, "r-batch")], /--batch 64 is larger than the 16 training images/);
});

test("--resume compares typed values: a given flag equal to the saved value is fine, a changed one is named", () => {
  const opts = (argv: string[]) => parseTrainFlags(argv) as TrainOptions;
  const saved = opts(["--batch", "4", "--lr", "0.002"]).config;
  assert.deepEqual(changedConfigFlags(opts(["--resume", "--batch", "4", "--lr", "2e-3", "--steps", "9"]), saved), []);
  assert.deepEqual(changedConfigFlags(opts(["--resume", "--batch=8", "--lr", "0.001", "--stop-at", "3"]), saved), ["--batch", "--lr"]);
  assert.deepEqual(changedConfigFlags(opts(["--resume", "--preset", "quick"]), saved), ["--preset"]);
  assert.deepEqual(changedConfigFlags(opts(["--resume", "--lr-schedule", "cosine:50:0.05"]), { ...saved, batch: 4 }), []);
  // prefix-matching argv once took --steps-like flags for --steps; typed parsing cannot
  assert.throws(() => parseTrainFlags(["--resume", "--stepsx", "3"]), /Unknown option '--stepsx'/);
});

test("a train or distill run that fails to open leaves no folder behind, and never removes one with files", () => {
  const cases: [string, string[], RegExp][] = [
    ["train, missing data", ["train", "--data", "idx:/no/such/folder"], /not found in \/no\/such\/folder/],
    ["distill, missing teacher", ["distill", "--teacher", "/no/such/teacher.safetensors"], /--teacher: .*does not exist/],
  ];
  for (const [what, args, re] of cases) {
    const out = path.join(dir, `unopened-${what.replace(/\W+/g, "-")}`, "nested", "run");
    fails([...args, "--out", out], re);
    assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith("unopened-")), [], `${what}: the folders it created are gone`);
    // a folder the user already had stays, with its files
    const kept = path.join(dir, `kept-${what.replace(/\W+/g, "-")}`);
    mkdirSync(kept);
    writeFileSync(path.join(kept, "notes.txt"), "mine");
    fails([...args, "--out", kept], re);
    assert.deepEqual(readdirSync(kept), ["notes.txt"], `${what}: the user's folder is untouched`);
  }
});
