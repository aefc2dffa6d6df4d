// Issue 27's findings, end to end, as a hostile new user would meet them: bit rot in a checkpoint
// (--no-verify), a range guess that would swing a score, long output names, seeds that alias, and the
// small ones (--out '', 1×1 IDX images, negative values in space form, too many --channels levels,
// eval's slow setup before a bad checkpoint, IDX paths that are folders, usage on stderr).
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, readFileSync, mkdirSync, existsSync, readdirSync, copyFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setup, repoRoot } from "../testing/helpers.js";
import { tinyCheckpoint } from "../testing/tiny-data.js";
import { encodeNpy } from "../io/npy.js";
import { parseSampleFlags } from "./sample.js";
import { parseEvalFlags } from "./eval.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "flowlab-hostile-"));
const good = path.join(dir, "good.safetensors");
let data = "";

before(async () => {
  await setup(2);
  const tiny = tinyCheckpoint(1);
  data = tiny.data;
  writeFileSync(good, tiny.bytes);
});

function cli(args: string[], cwd?: string) {
  return spawnSync(process.execPath, [path.join(repoRoot, "dist/cli/main.js"), ...args, "--threads", "1"], { encoding: "utf8", timeout: 60_000, ...(cwd ? { cwd } : {}) });
}

/** Exit 2 and exactly one `flowlab: error:` line matching `re`. */
function fails(args: string[], re: RegExp, cwd?: string): void {
  const r = cli(args, cwd);
  assert.equal(r.status, 2, `${args.join(" ")}: exit ${r.status} (${r.signal})\n${r.stderr}`);
  const lines = r.stderr.split("\n").filter((l) => l.startsWith("flowlab: error: "));
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0]!, re, args.join(" "));
}

const png = () => path.join(mkdtempSync(path.join(dir, "out-")), "x.png");

test("item 9: a bit flipped inside a checkpoint's weights is refused (the stored SHA-256); --no-verify samples it anyway", () => {
  const bytes = new Uint8Array(readFileSync(good));
  bytes[bytes.length - 100] = bytes[bytes.length - 100]! ^ 0x01; // one low bit of a float in the tensor data: still a valid float
  const rotten = path.join(dir, "rotten.safetensors");
  writeFileSync(rotten, bytes);
  const sha = /rotten\.safetensors is not a readable checkpoint: .*its tensor data does not match the SHA-256 stored in its metadata .*--no-verify reads it anyway/;
  fails(["sample", "--ckpt", rotten, "--per-class", "1", "--steps", "1", "--png", png()], sha);
  fails(["nll", "--ckpt", rotten, "--n", "1"], sha);
  const out = png();
  const r = cli(["sample", "--ckpt", rotten, "--per-class", "1", "--steps", "1", "--png", out, "--no-verify"]);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(existsSync(out));
});

test("item 4: eval --samples in [0, 1] with one value a little over 1 asks for --range instead of guessing 0..255", () => {
  const x = new Float32Array(10 * 1024).map((_, i) => (i % 97) / 96);
  x[5] = 1.0001;
  const f = path.join(dir, "unit.npy");
  writeFileSync(f, encodeNpy({ dtype: "<f4", shape: [10, 1, 32, 32], data: x }));
  fails(["eval", "--samples", f], /^flowlab: error: --samples .*unit\.npy: values span \[0\.000, 1\.000\]: \[0, 1\] with values a little over 1, or nearly black 0\.\.255 images\? Pass --range 0\.\.1 or --range 0\.\.255$/);
});

test("item 8: a corrupt checkpoint fails eval before the judge is loaded", () => {
  const corrupt = path.join(dir, "corrupt.safetensors");
  writeFileSync(corrupt, readFileSync(good).subarray(0, 500));
  const judge = path.join(dir, "judge-corrupt.safetensors");
  writeFileSync(judge, "not a judge");
  fails(["eval", "--ckpt", corrupt, "--judge", judge, "--per-class", "2", "--steps", "1"], /corrupt\.safetensors is not a readable checkpoint/);
});

test("item 5: an output name of 250 bytes is written (its temp name fits in 255)", () => {
  const d = mkdtempSync(path.join(dir, "long-"));
  const out = path.join(d, `${"n".repeat(246)}.png`);
  const r = cli(["sample", "--ckpt", good, "--per-class", "1", "--steps", "1", "--png", out]);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(readdirSync(d), [path.basename(out)]);
});

test("item 6: seeds the generator would alias are refused, naming --seed", () => {
  fails(["sample", "--ckpt", good, "--seed", "4294967297", "--png", png()], /--seed must be ≤ 4294967295, got 4294967297/);
  fails(["sample", "--ckpt", good, "--seed", "9007199254740993", "--png", png()], /--seed must be ≤ 4294967295/);
});

test("item 8: --out '' is refused; nothing is written into the current folder", () => {
  const cwd = mkdtempSync(path.join(dir, "cwd-"));
  fails(["train", "--data", `idx:${data}`, "--out", ""], /--out must name a file or folder, got an empty string/, cwd);
  assert.deepEqual(readdirSync(cwd), []);
});

test("item 8: IDX files of 1×1 images, IDX names that are folders, and idx:FILE are refused with one line naming them", () => {
  const tiny = mkdtempSync(path.join(dir, "idx1-"));
  const img = Buffer.alloc(16 + 4);
  img.writeUInt32BE(2051, 0);
  img.writeUInt32BE(4, 4);
  img.writeUInt32BE(1, 8);
  img.writeUInt32BE(1, 12);
  writeFileSync(path.join(tiny, "train-images-idx3-ubyte"), img);
  copyFileSync(path.join(data, "train-labels-idx1-ubyte"), path.join(tiny, "train-labels-idx1-ubyte"));
  fails(["train", "--data", `idx:${tiny}`, "--out", path.join(dir, "r1")], /train-images-idx3-ubyte: images are 1×1; flowlab needs at least 8×8/);
  const folders = mkdtempSync(path.join(dir, "idxdir-"));
  mkdirSync(path.join(folders, "train-images-idx3-ubyte"));
  copyFileSync(path.join(data, "train-labels-idx1-ubyte"), path.join(folders, "train-labels-idx1-ubyte"));
  fails(["train", "--data", `idx:${folders}`, "--out", path.join(dir, "r2")], /--data .*train-images-idx3-ubyte: is a folder, not a file/);
  fails(["train", "--data", `idx:${good}`, "--out", path.join(dir, "r3")], /good\.safetensors: not a folder/);
});

test("item 8: --w -1 and --range -1..1 work in space form, as the help shows", () => {
  const s = parseSampleFlags(["--w", "-1", "--png", "x.png"]);
  assert.ok(s !== "help" && s.w[0] === -1);
  const e = parseEvalFlags(["--samples", "s.npy", "--range", "-1..1"]);
  assert.ok(e !== "help" && e.source.kind === "samples" && e.source.range === "-1..1");
});

test("item 8: --channels with more levels than 32×32 images allow says so; a missing command prints its usage on stderr", () => {
  fails(["train", "--channels", "8,8,8,8,8,8,8,8,8,8", "--out", path.join(dir, "r4")], /--channels gives 10 levels; 32×32 images allow at most 6/);
  const r = spawnSync(process.execPath, [path.join(repoRoot, "dist/cli/main.js")], { encoding: "utf8" });
  assert.equal(r.status, 2);
  assert.equal(r.stdout, "");
  assert.match(r.stderr, /usage: flowlab <command>/);
});
