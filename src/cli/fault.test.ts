// Fault injection on training: SIGKILL at random points (at a random step, and halfway through a
// checkpoint write), then --resume: the checkpoint is intact, the final weights are bit-identical to an
// uninterrupted run, no temp file is left and log.jsonl holds every step once. Also ENOSPC while
// checkpointing, and a fresh run into a folder holding an old log.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, existsSync, writeFileSync, mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { repoRoot } from "../testing/helpers.js";
import { tinyIdxDir } from "../testing/tiny-data.js";
import { fuzzSeed, runs } from "../testing/fuzz.js";
import { parseSafetensors } from "../io/safetensors.js";

const STEPS = 12, EVERY = 3;
let data = "";
let reference = new Map<string, string>();
const tmp = () => mkdtempSync(path.join(os.tmpdir(), "flowlab-fault-"));
const main = path.join(repoRoot, "dist/cli/main.js");
const hook = path.join(repoRoot, "dist/testing/fault-hook.js");
const args = (out: string, extra: string[] = []) =>
  ["train", "--channels", "4,8", "--res-layers", "1", "--batch", "4", "--seed", "5", "--lr-schedule", "constant", "--data", `idx:${data}`, "--steps", String(STEPS), "--checkpoint-every", String(EVERY), "--threads", "2", "--out", out, ...extra];

function cli(argv: string[], env: Record<string, string> = {}) {
  const pre = env["FLOWLAB_FAULT"] ? ["--import", hook] : [];
  return spawnSync(process.execPath, [...pre, main, ...argv], { encoding: "utf8", timeout: 120_000, env: { ...process.env, ...env } });
}

/** Every tensor of a checkpoint, as bytes (hex), by name. */
function tensors(file: string): Map<string, string> {
  const f = parseSafetensors(readFileSync(file), file);
  return new Map([...f.tensors].map(([k, t]) => [k, Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).toString("hex")]));
}

function loggedSteps(dir: string): number[] {
  return readFileSync(path.join(dir, "log.jsonl"), "utf8").trim().split("\n").map((l) => (JSON.parse(l) as { step: number }).step);
}

function checkpointStep(dir: string): number {
  const f = parseSafetensors(readFileSync(path.join(dir, "checkpoint.safetensors")));
  return (JSON.parse(f.metadata["flowlab"]!) as { step: number }).step;
}

const temps = (dir: string) => readdirSync(dir).filter((n) => n.endsWith(".tmp"));

before(() => {
  data = tinyIdxDir(32);
  const ref = tmp();
  const r = cli(args(ref));
  assert.equal(r.status, 0, r.stderr);
  reference = tensors(path.join(ref, "checkpoint.safetensors"));
  assert.deepEqual(loggedSteps(ref), Array.from({ length: STEPS }, (_, i) => i + 1));
});

/** After a kill: the checkpoint parses, --resume finishes bit-identically, no temp file, each step logged once. */
function resumeAndCheck(dir: string, what: string): void {
  const step = checkpointStep(dir); // throws if torn
  assert.ok(step % EVERY === 0 && step >= EVERY, `${what}: checkpoint at step ${step}`);
  const r = cli(["train", "--out", dir, "--resume", "--threads", "2"]);
  assert.equal(r.status, 0, `${what}: ${r.stderr}`);
  assert.deepEqual(temps(dir), [], `${what}: temp files left`);
  assert.deepEqual(loggedSteps(dir), Array.from({ length: STEPS }, (_, i) => i + 1), `${what}: log steps`);
  const got = tensors(path.join(dir, "checkpoint.safetensors"));
  assert.deepEqual([...got.keys()], [...reference.keys()]);
  for (const [k, v] of reference) assert.ok(got.get(k) === v, `${what}: ${k} differs from the uninterrupted run`);
}

test("SIGKILL halfway through a random checkpoint write: intact checkpoint, temp removed on --resume, bit-identical", () => {
  const writes = STEPS / EVERY;
  const ks = fc.sample(fc.integer({ min: 2, max: writes }), { seed: fuzzSeed, numRuns: runs(2) });
  for (const k of ks) {
    const dir = tmp();
    const r = cli(args(dir), { FLOWLAB_FAULT: `kill-write:${k}` });
    assert.equal(r.signal, "SIGKILL", `kill-write:${k} did not kill: ${r.stderr}`);
    assert.equal(temps(dir).length, 1, "the killed write leaves its temp file");
    assert.equal(checkpointStep(dir), (k - 1) * EVERY, "the previous checkpoint is kept whole");
    resumeAndCheck(dir, `seed ${fuzzSeed}, kill during checkpoint write ${k}`);
  }
});

test("SIGKILL at a random step: --resume cuts the log back to the checkpoint and continues bit-identically", async () => {
  const at = fc.sample(fc.integer({ min: EVERY + 1, max: STEPS - 1 }), { seed: fuzzSeed + 1, numRuns: runs(2) });
  for (const s of at) {
    const dir = tmp();
    const child = spawn(process.execPath, [main, ...args(dir, ["--steps", "100000"])], { stdio: "ignore" });
    const log = path.join(dir, "log.jsonl");
    const seen = () => (existsSync(log) ? readFileSync(log, "utf8").split("\n").length - 1 : 0);
    for (let i = 0; i < 1200 && seen() < s; i++) await new Promise((r) => setTimeout(r, 5));
    child.kill("SIGKILL");
    await new Promise((r) => child.on("exit", r));
    // planned 100000 steps at a constant lr; resumed with the reference's 12 (same updates)
    const r = cli(["train", "--out", dir, "--resume", "--steps", String(STEPS), "--threads", "2"]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(loggedSteps(dir), Array.from({ length: STEPS }, (_, i) => i + 1), `seed ${fuzzSeed + 1}, kill near step ${s}: log`);
    assert.deepEqual(temps(dir), []);
    const got = tensors(path.join(dir, "checkpoint.safetensors"));
    for (const [k, v] of reference) assert.ok(got.get(k) === v, `kill near step ${s}: ${k} differs from the uninterrupted run`);
  }
});

test("ENOSPC while writing a checkpoint: exit 2 naming the file and the cause, previous checkpoint kept, no temp file", () => {
  const dir = tmp();
  const r = cli(args(dir), { FLOWLAB_FAULT: "enospc-write:2" });
  assert.equal(r.status, 2, r.stderr);
  const line = r.stderr.split("\n").find((l) => l.startsWith("flowlab: error:")) ?? r.stderr;
  assert.match(line, /^flowlab: error: cannot write .*checkpoint\.safetensors: no space left on the device \(ENOSPC\); the previous file, if any, is unchanged$/);
  assert.equal(checkpointStep(dir), EVERY);
  assert.deepEqual(temps(dir), []);
  assert.ok(!existsSync(path.join(dir, "run.lock")), "the lock is released on the error path");
  resumeAndCheck(dir, "after ENOSPC");
});

test("a run killed before its first checkpoint restarts when run again (issue 27 item 7): its log is replaced, no temp file stays; a foreign log.jsonl is refused and kept", () => {
  const dir = tmp();
  const r = cli(args(dir), { FLOWLAB_FAULT: "kill-write:1" });
  assert.equal(r.signal, "SIGKILL");
  assert.equal(temps(dir).length, 1, "the kill left the checkpoint's temp file");
  const again = cli(args(dir));
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, /log\.jsonl: removed \d+ line\(s\) of a run killed before its first checkpoint; starting again/);
  assert.match(again.stdout, /removed 1 unfinished write\(s\) left by a killed run: \.checkpoint\.safetensors\.\d+\.\d+\.tmp/);
  assert.deepEqual(temps(dir), []);
  assert.deepEqual(loggedSteps(dir), Array.from({ length: STEPS }, (_, i) => i + 1));
  const other = tmp();
  mkdirSync(other, { recursive: true });
  writeFileSync(path.join(other, "log.jsonl"), "my notes\n");
  const refused = cli(args(other));
  assert.equal(refused.status, 2);
  assert.match(refused.stderr, /log\.jsonl exists and is not a flowlab log; flowlab neither appends to nor replaces it: remove it or choose another --out/);
  assert.equal(readFileSync(path.join(other, "log.jsonl"), "utf8"), "my notes\n");
});

test("concurrent trainers in one run folder (issue 27 item 1): one trains, the others exit 2 naming it; every step is logged once", async () => {
  const dir = tmp();
  const first = cli(args(dir, ["--stop-at", String(EVERY)]));
  assert.equal(first.status, 0, first.stderr);
  const n = 3;
  const runs3 = await Promise.all(Array.from({ length: n }, () => new Promise<{ code: number | null; err: string }>((res) => {
    const c = spawn(process.execPath, [main, "train", "--out", dir, "--resume", "--steps", "40", "--threads", "1"], { stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    c.stderr.on("data", (b: Buffer) => (err += b.toString()));
    c.on("exit", (code) => res({ code, err }));
  })));
  for (const r of runs3) {
    assert.ok(r.code === 0 || r.code === 2, `exit ${r.code}: ${r.err}`);
    if (r.code === 2) assert.match(r.err, /^flowlab: error: --out .*: is in use by flowlab train --out .* \(pid \d+ on .*, started .*\); wait for it to end, or if it is gone remove .*run\.lock$/m);
  }
  assert.ok(runs3.some((r) => r.code === 0));
  assert.deepEqual(loggedSteps(dir), Array.from({ length: 40 }, (_, i) => i + 1), "each step logged once");
  assert.ok(!existsSync(path.join(dir, "run.lock")), "the lock is released");
});

test("a live process's lock stops a trainer with one line naming it; a dead process's lock is taken over with a note", () => {
  const dir = tmp();
  const lock = path.join(dir, "run.lock");
  writeFileSync(lock, JSON.stringify({ pid: process.pid, host: os.hostname(), started: "2026-01-01T00:00:00.000Z", command: "flowlab train --out elsewhere" }));
  const held = cli(args(dir));
  assert.equal(held.status, 2);
  assert.match(held.stderr, new RegExp(`is in use by flowlab train --out elsewhere \\(pid ${process.pid} on `));
  assert.ok(!existsSync(path.join(dir, "log.jsonl")), "nothing was written");
  const dead = spawnSync(process.execPath, ["-e", "0"]).pid;
  writeFileSync(lock, JSON.stringify({ pid: dead, host: os.hostname(), started: "2026-01-01T00:00:00.000Z", command: "flowlab train" }));
  const taken = cli(args(dir));
  assert.equal(taken.status, 0, taken.stderr);
  assert.match(taken.stdout, new RegExp(`run\\.lock: took over a stale lock: its process ${dead} \\(flowlab train, started 2026-01-01T00:00:00\\.000Z\\) is no longer running`));
  assert.ok(!existsSync(lock), "released at exit");
});

test("SIGKILL at a random step before the first checkpoint: the command, run again, starts over (issue 27 item 7)", async () => {
  const at = fc.sample(fc.integer({ min: 1, max: 8 }), { seed: fuzzSeed + 2, numRuns: runs(1) });
  for (const s of at) {
    const dir = tmp();
    const never = ["--steps", "100000", "--checkpoint-every", "100000"];
    const child = spawn(process.execPath, [main, ...args(dir, never)], { stdio: "ignore" });
    const log = path.join(dir, "log.jsonl");
    const seen = () => (existsSync(log) ? readFileSync(log, "utf8").split("\n").length - 1 : 0);
    for (let i = 0; i < 1200 && seen() < s; i++) await new Promise((r) => setTimeout(r, 5));
    child.kill("SIGKILL");
    await new Promise((r) => child.on("exit", r));
    assert.ok(!existsSync(path.join(dir, "checkpoint.safetensors")));
    const r = cli(args(dir, [...never, "--stop-at", String(STEPS)]));
    assert.equal(r.status, 0, `seed ${fuzzSeed + 2}, kill near step ${s}: ${r.stderr}`);
    assert.match(r.stdout, /took over a stale lock/);
    assert.match(r.stdout, /of a run killed before its first checkpoint; starting again/);
    assert.deepEqual(loggedSteps(dir), Array.from({ length: STEPS }, (_, i) => i + 1));
    assert.deepEqual(temps(dir), []);
  }
});

test("SIGINT and SIGTERM mid-run: the checkpoint is saved and the run lock released", async () => {
  for (const [sig, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
    const dir = tmp();
    const child = spawn(process.execPath, [main, ...args(dir, ["--steps", "100000"])], { stdio: "ignore" });
    const log = path.join(dir, "log.jsonl");
    for (let i = 0; i < 1200 && !(existsSync(log) && readFileSync(log, "utf8").split("\n").length > 2); i++) await new Promise((r) => setTimeout(r, 5));
    assert.ok(existsSync(path.join(dir, "run.lock")), "held while training");
    child.kill(sig);
    assert.equal(await new Promise((r) => child.on("exit", r)), code);
    assert.ok(!existsSync(path.join(dir, "run.lock")), `${sig}: the lock is released`);
    assert.ok(existsSync(path.join(dir, "checkpoint.safetensors")));
  }
});
