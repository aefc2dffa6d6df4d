// The CLI end to end: bit-identical resume, NaN handling, and bad input (exit code 2, one clear line).
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setup, repoRoot } from "../testing/helpers.js";
import { trainCommand } from "./train.js";
import { parseSafetensors, serializeSafetensors } from "../io/safetensors.js";

before(() => setup(2));

const tmp = () => mkdtempSync(path.join(os.tmpdir(), "flowlab-cli-"));
const TINY = ["--channels", "4,8", "--res-layers", "1", "--batch", "4", "--seed", "3", "--checkpoint-every", "5"];
const quiet = () => {};

function weights(file: string): Map<string, number[]> {
  const f = parseSafetensors(readFileSync(file), file);
  return new Map([...f.tensors].map(([k, t]) => [k, Array.from(t.data as ArrayLike<number | bigint>, Number)]));
}

for (const schedule of ["constant", "cosine:4:0.1"]) test(`--resume continues bit-identically (lr ${schedule}): 20 straight steps = 10 steps + 10 resumed`, async () => {
  const a = tmp(), b = tmp();
  const args = [...TINY, "--lr-schedule", schedule, "--steps", "20"];
  assert.equal(await trainCommand([...args, "--out", a], quiet), 0);
  assert.equal(await trainCommand([...args, "--stop-at", "10", "--out", b], quiet), 0);
  const mid = parseSafetensors(readFileSync(path.join(b, "checkpoint.safetensors"))).metadata["flowlab"];
  assert.equal((JSON.parse(mid!) as { step: number }).step, 10, "--stop-at 10 checkpoints at step 10");
  assert.equal(await trainCommand(["--out", b, "--resume"], quiet), 0);
  const wa = weights(path.join(a, "checkpoint.safetensors")), wb = weights(path.join(b, "checkpoint.safetensors"));
  assert.deepEqual([...wa.keys()], [...wb.keys()]);
  for (const [k, v] of wa) assert.deepEqual(wb.get(k), v, `${k} differs after resume`);
  assert.ok([...wa.keys()].some((k) => k.startsWith("ema.")) && [...wa.keys()].some((k) => k.startsWith("adam.m.")));
  // the log holds every step once per run: 20 lines vs 10 + 10
  assert.equal(readFileSync(path.join(b, "log.jsonl"), "utf8").trim().split("\n").length, 20);
});

function cli(args: string[]): { code: number | null; stderr: string; stdout: string } {
  const r = spawnSync(process.execPath, [path.join(repoRoot, "dist/cli/main.js"), ...args], { encoding: "utf8", timeout: 120_000 });
  return { code: r.status, stderr: r.stderr, stdout: r.stdout };
}

test("a NaN loss stops training with a clear message and keeps the last good checkpoint", () => {
  const d = tmp();
  const r = cli(["train", ...TINY, "--lr", "1e30", "--steps", "30", "--checkpoint-every", "1", "--out", d]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /loss is (NaN|Infinity|-Infinity) at step \d+; stopping without applying this update\. The last good checkpoint .* was kept/);
  assert.ok(existsSync(path.join(d, "checkpoint.safetensors")));
  const f = parseSafetensors(readFileSync(path.join(d, "checkpoint.safetensors")));
  for (const [k, t] of f.tensors) if (t.dtype === "F32") assert.ok(Array.from(t.data as Float32Array).every(Number.isFinite), `${k} not finite`);
});

const dir = tmp();
const ckpt = path.join(dir, "run");
const corrupt = path.join(dir, "corrupt.safetensors");
const truncated = path.join(dir, "truncated.safetensors");
const otherArch = path.join(dir, "other.safetensors");

test("bad input exits 2 with one clear line", async () => {
  assert.equal(await trainCommand([...TINY, "--steps", "2", "--out", ckpt], quiet), 0);
  const good = path.join(ckpt, "checkpoint.safetensors");
  const bytes = readFileSync(good);
  writeFileSync(corrupt, Buffer.concat([Buffer.from("garbage!"), bytes.subarray(8)]));
  writeFileSync(truncated, bytes.subarray(0, bytes.length - 100));
  const f = parseSafetensors(bytes);
  f.tensors.delete("final_conv.bias");
  f.tensors.delete("ema.final_conv.bias");
  writeFileSync(otherArch, serializeSafetensors(f.tensors));
  const cases: [string[], RegExp][] = [
    [["sample", "--bogus"], /sample: Unknown option '--bogus'/],
    [["sample", "--w", "abc", "--png", path.join(dir, "x.png"), "--ckpt", good], /--w must be a number, got "abc"/],
    [["sample", "--classes", "12", "--png", path.join(dir, "x.png"), "--ckpt", good], /--classes: class 12 is out of range 0..9/],
    [["sample", "--ckpt", path.join(dir, "missing.safetensors"), "--png", path.join(dir, "x.png")], /checkpoint .*missing\.safetensors does not exist/],
    [["sample", "--ckpt", corrupt, "--png", path.join(dir, "x.png")], /corrupt\.safetensors is not a readable checkpoint: .*header length/],
    [["sample", "--ckpt", truncated, "--png", path.join(dir, "x.png")], /truncated\.safetensors is not a readable checkpoint: .*(truncated|past the end)/],
    [["sample", "--ckpt", otherArch, "--png", path.join(dir, "x.png")], /does not match the model: missing 1 key\(s\): final_conv\.bias/],
    [["sample", "--ckpt", good, "--png", path.join(good, "x.png")], /cannot write --png .*checkpoint\.safetensors\/x\.png/],
    [["sample", "--ckpt", good, "--solver", "dopri", "--png", path.join(dir, "x.png")], /--solver must be euler, midpoint, heun or rk4, got "dopri"/],
    [["train", "--steps=-3"], /--steps must be ≥ 1, got -3/],
    [["train", "--out", ckpt], /exists: pass --resume/],
    [["train", "--out", ckpt, "--resume", "--batch", "8"], /--resume continues the saved configuration; drop --batch/],
    [["train", "--data", "idx:/nonexistent", "--out", path.join(dir, "r2")], /images for the train split not found in \/nonexistent/],
    [["sample", "--backend", "webgpu", "--ckpt", good, "--npy", path.join(dir, "gpu.npy")], /--backend webgpu: WebGPU is unavailable here \(this runtime has no navigator\.gpu; install the optional `webgpu` package \(Dawn\) and a Vulkan driver\); use --backend wasm$/],
    [["train", "--backend=webgpu", "--out", path.join(dir, "gpu-run")], /--backend webgpu: WebGPU is unavailable here/],
    [["train", "--backend", "cuda"], /--backend must be wasm or webgpu, got "cuda"/],
    [["frobnicate"], /unknown command "frobnicate"/],
  ];
  for (const [args, re] of cases) {
    const r = cli(args);
    assert.equal(r.code, 2, `${args.join(" ")}: exit ${r.code}\n${r.stderr}`);
    const lines = r.stderr.trim().split("\n");
    assert.match(lines[0]!, re, args.join(" "));
    assert.ok(lines.length <= 2 && !/\n\s+at /.test(r.stderr), `${args.join(" ")}: no stack trace without --verbose\n${r.stderr}`);
  }
  const v = cli(["sample", "--ckpt", corrupt, "--png", path.join(dir, "x.png"), "--verbose"]);
  assert.match(v.stderr, /\n\s+at /, "--verbose shows the stack");
});

test("sample writes the sweep PNG, the npy and a trajectory from a checkpoint", () => {
  const good = path.join(ckpt, "checkpoint.safetensors");
  const png = path.join(dir, "sweep.png"), npy = path.join(dir, "s.npy"), gif = path.join(dir, "t.gif");
  const r = cli(["sample", "--ckpt", good, "--w", "1,3", "--per-class", "2", "--steps", "2", "--png", png, "--trajectory", gif]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(readFileSync(png).subarray(1, 4).toString(), "PNG");
  assert.equal(readFileSync(gif).subarray(0, 6).toString(), "GIF89a");
  const r2 = cli(["sample", "--ckpt", good, "--w", "3", "--per-class", "3", "--classes", "7,1", "--steps", "2", "--npy", npy]);
  assert.equal(r2.code, 0, r2.stderr);
  const head = readFileSync(npy).subarray(0, 128).toString("latin1");
  assert.match(head, /'descr': '<f4'.*'shape': \(6, 1, 32, 32\)/);
  const r3 = cli(["sample", "--ckpt", good, "--w", "1,3", "--npy", npy]);
  assert.match(r3.stderr, /--npy holds one guidance scale/);
});

test("SIGTERM mid-run saves a checkpoint that --resume continues", async () => {
  const d = tmp();
  const { spawn } = await import("node:child_process");
  const child = spawn(process.execPath, [path.join(repoRoot, "dist/cli/main.js"), "train", ...TINY, "--steps", "100000", "--checkpoint-every", "1000", "--out", d], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (b: Buffer) => (out += b.toString()));
  // wait until a few steps are logged, then interrupt
  const log = path.join(d, "log.jsonl");
  for (let i = 0; i < 600 && !(existsSync(log) && readFileSync(log, "utf8").split("\n").length > 4); i++) await new Promise((r) => setTimeout(r, 100));
  child.kill("SIGTERM");
  const code = await new Promise<number | null>((r) => child.on("exit", (c) => r(c)));
  assert.equal(code, 143, out);
  assert.match(out, /SIGTERM: checkpoint saved at step (\d+)/);
  const saved = Number(/step (\d+)/.exec(out)![1]);
  assert.ok(saved >= 4, `saved at step ${saved}`);
  assert.equal(await trainCommand(["--steps", String(saved + 2), "--out", d, "--resume"], quiet), 0);
  assert.equal(readFileSync(log, "utf8").trim().split("\n").length, saved + 2);
});
