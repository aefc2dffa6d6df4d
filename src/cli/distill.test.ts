// flowlab distill end to end on a tiny teacher: --stop-at + --resume equals a straight run bit for bit;
// bad input to distill, and flags that do not apply to a few-step checkpoint, exit 2 with one clear line.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setup, repoRoot } from "../testing/helpers.js";
import { distillCommand } from "./distill.js";
import { parseSafetensors } from "../io/safetensors.js";
import { encodeCheckpoint } from "../train/checkpoint.js";
import { initUNet } from "../nn/unet.js";

const tmp = () => mkdtempSync(path.join(os.tmpdir(), "flowlab-distill-"));
const quiet = () => {};
const dir = tmp();
const teacher = path.join(dir, "teacher.safetensors");

before(async () => {
  await setup(2);
  writeFileSync(teacher, encodeCheckpoint({ net: initUNet({ channels: [4, 8], numResidualLayers: 1, tEmbedDim: 8, yEmbedDim: 4, numClasses: 10 }, 1), ema: null, adam: null, record: null }));
});
const TINY = ["--teacher", teacher, "--batch", "2", "--steps", "4", "--checkpoint-every", "1", "--seed", "2"];

function weights(file: string): Map<string, number[]> {
  const f = parseSafetensors(readFileSync(file), file);
  return new Map([...f.tensors].map(([k, t]) => [k, Array.from(t.data as ArrayLike<number | bigint>, Number)]));
}

function cli(args: string[]): { code: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(repoRoot, "dist/cli/main.js"), ...args], { encoding: "utf8", timeout: 120_000 });
  return { code: r.status, stderr: r.stderr };
}

test("distill --stop-at 2 then --resume equals 4 straight steps, bit for bit; the result samples with --steps 1", async () => {
  const a = tmp(), b = tmp();
  assert.equal(await distillCommand([...TINY, "--out", a], quiet), 0);
  assert.equal(await distillCommand([...TINY, "--stop-at", "2", "--out", b], quiet), 0);
  assert.equal(await distillCommand(["--out", b, "--resume"], quiet), 0);
  const wa = weights(path.join(a, "checkpoint.safetensors")), wb = weights(path.join(b, "checkpoint.safetensors"));
  assert.ok([...wa.keys()].some((k) => k.startsWith("w_embedder.")) && [...wa.keys()].some((k) => k.startsWith("ema.d_embedder.")));
  for (const [k, v] of wa) assert.deepEqual(wb.get(k), v, `${k} differs after resume`);
  assert.equal(readFileSync(path.join(b, "log.jsonl"), "utf8").trim().split("\n").length, 4);
  const r = cli(["sample", "--ckpt", path.join(a, "checkpoint.safetensors"), "--npy", path.join(a, "x.npy"), "--w", "3", "--per-class", "1"]);
  assert.equal(r.code, 0, r.stderr);
});

const student = () => {
  const d = tmp();
  const r = spawnSync(process.execPath, [path.join(repoRoot, "dist/cli/main.js"), "distill", ...TINY, "--steps", "1", "--out", d], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return d;
};

test("bad input exits 2 with one line naming the flag", () => {
  const d = student();
  const ckpt = path.join(d, "checkpoint.safetensors"), png = path.join(d, "x.png");
  const cases: [string[], RegExp][] = [
    [["distill", "--method", "magic"], /--method must be trajectory or shortcut, got "magic"/],
    [["distill", "--w-range", "5,1"], /--w-range must be two numbers LO,HI with LO < HI/],
    [["distill", "--teacher-steps", "6"], /--teacher-steps must be a multiple of 4/],
    [["distill", "--teacher", path.join(d, "nope.safetensors"), "--out", tmp()], /--teacher: checkpoint .*nope\.safetensors does not exist/],
    [["distill", "--teacher", ckpt, "--out", tmp()], /--teacher .* is a few-step model; distil from a flow-matching \(CFG\) checkpoint/],
    [["distill", "--out", tmp(), "--resume"], /--resume: no checkpoint at/],
    [["distill", "--out", d, "--resume", "--lr", "0.1"], /--resume continues the saved configuration; drop --lr/],
    [["train", "--out", d, "--resume"], /is a distillation run; continue it with flowlab distill/],
    [["sample", "--ckpt", ckpt, "--png", png, "--steps", "3"], /--steps 3: the few-step model .* was trained for 1, 2, 4 steps/],
    [["sample", "--ckpt", ckpt, "--png", png, "--steps", "0"], /--steps must be ≥ 1, got 0/],
    [["sample", "--ckpt", ckpt, "--png", png, "--w", "3,9"], /--w 9 is outside the few-step model's trained range \[1, 5\]/],
    [["sample", "--ckpt", ckpt, "--png", png, "--solver", "heun"], /--solver does not apply to the few-step model/],
    [["sample", "--ckpt", ckpt, "--png", png, "--guidance", "interval"], /--guidance interval does not apply to the few-step model/],
  ];
  for (const [args, re] of cases) {
    const r = cli(args);
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    const first = r.stderr.split("\n")[0]!;
    assert.match(first, re, args.join(" "));
    assert.match(first, /^flowlab: error: /);
  }
});
