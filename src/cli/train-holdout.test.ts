// flowlab train --holdout F: training sees exactly the judge's training split of an image folder (the
// images judgeSplits holds out as reference never), --resume keeps it, and bad uses exit 2 with one line.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setup, repoRoot } from "../testing/helpers.js";
import { writeShapesFolder } from "../testing/image-folder.js";
import { loadDataset } from "../data/load.js";
import { judgeSplits, judgeDataOf } from "../judge/split.js";
import { parseSafetensors } from "../io/safetensors.js";
import { trainCommand } from "./train.js";

before(() => setup(2));

const tmp = () => mkdtempSync(path.join(os.tmpdir(), "flowlab-holdout-"));
const TINY = ["--channels", "4,8", "--res-layers", "1", "--batch", "4", "--steps", "4", "--seed", "3"];
const CLASSES = ["blue", "green", "red"], PER_CLASS = 5;

function weights(dir: string): Map<string, number[]> {
  const f = parseSafetensors(readFileSync(path.join(dir, "checkpoint.safetensors")));
  return new Map([...f.tensors].map(([k, t]) => [k, Array.from(t.data as ArrayLike<number | bigint>, Number)]));
}

function cli(args: string[]): { code: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(repoRoot, "dist/cli/main.js"), ...args], { encoding: "utf8", timeout: 120_000 });
  return { code: r.status, stderr: r.stderr };
}

/** The files of the judge's training split, in its order, and the held-out files: rows matched to files by their pixels. */
function judgeFiles(dir: string): { train: string[]; reference: string[] } {
  const data = `folder:${dir}`;
  const all = loadDataset(data, "train", {});
  const files = CLASSES.flatMap((c) => Array.from({ length: PER_CLASS }, (_, i) => `${c}/${c}${i}.png`)); // the loader's order: classes, then names
  const P = all.images.length / all.count;
  const row = (d: { images: Float32Array }, r: number) => d.images.subarray(r * P, (r + 1) * P);
  const fileOf = (d: { images: Float32Array; count: number }) =>
    Array.from({ length: d.count }, (_, r) => files[files.findIndex((_, i) => row(all, i).every((v, j) => v === row(d, r)[j]))]!);
  const s = judgeSplits(judgeDataOf(data, undefined, { fraction: 0.2, seed: 0 }));
  return { train: fileOf(s.train), reference: fileOf(s.reference) };
}

const dir = writeShapesFolder(PER_CLASS);
const runs = tmp();

test("--holdout 0.2 trains on exactly the judge's training split: bit-identical to a folder of just those images", async () => {
  const { train, reference } = judgeFiles(dir);
  assert.equal(reference.length, 3, "one image per class held out");
  assert.deepEqual([...train, ...reference].sort(), CLASSES.flatMap((c) => Array.from({ length: PER_CLASS }, (_, i) => `${c}/${c}${i}.png`)).sort());
  // the same images in the split's order, as their own folder (the loader reads names in order)
  const only = tmp();
  train.forEach((f, r) => {
    mkdirSync(path.join(only, path.dirname(f)), { recursive: true });
    copyFileSync(path.join(dir, f), path.join(only, path.dirname(f), `${String(r).padStart(3, "0")}.png`));
  });
  const lines: string[] = [];
  assert.equal(await trainCommand([...TINY, "--data", `folder:${dir}`, "--holdout", "0.2", "--out", path.join(runs, "held")], (s) => lines.push(s)), 0);
  assert.ok(lines.includes("holding out 20 % per class (seed 0): training on 12 of 15 images"), lines.join("\n"));
  assert.equal(await trainCommand([...TINY, "--data", `folder:${only}`, "--out", path.join(runs, "only")], () => {}), 0);
  const a = weights(path.join(runs, "held")), b = weights(path.join(runs, "only"));
  for (const [k, v] of a) assert.deepEqual(b.get(k), v, `${k}: --holdout trained on other images than the judge's training split`);
  rmSync(only, { recursive: true, force: true });
});

test("--resume keeps the hold-out and continues bit-identically", async () => {
  const out = path.join(runs, "resumed"), lines: string[] = [];
  assert.equal(await trainCommand([...TINY, "--data", `folder:${dir}`, "--holdout", "0.2", "--stop-at", "2", "--out", out], () => {}), 0);
  assert.equal(await trainCommand(["--out", out, "--resume"], (s) => lines.push(s)), 0);
  assert.ok(lines.includes("holding out 20 % per class (seed 0): training on 12 of 15 images"), lines.join("\n"));
  const a = weights(path.join(runs, "held")), b = weights(out);
  for (const [k, v] of a) assert.deepEqual(b.get(k), v, `${k} differs after resume`);
});

test("bad uses of --holdout exit 2 with one line", () => {
  const solo = writeShapesFolder(PER_CLASS, { solo: 1 });
  const cases: [string[], RegExp][] = [
    [["--out", path.join(runs, "held"), "--resume", "--holdout", "0.3"], /--resume continues the saved configuration; drop --holdout/],
    [["--out", path.join(runs, "only"), "--resume", "--holdout", "0.2"], /--resume continues the saved configuration; drop --holdout/],
    [["--data", "mnist", "--holdout", "0.2"], /--holdout: --data mnist has its own test split, which training never sees; drop --holdout/],
    [["--data", "idx:/nonexistent", "--holdout", "0.2"], /--holdout: --data idx:\/nonexistent has its own test split/],
    [["--data", `folder:${dir}`, "--holdout", "0"], /--holdout must be ≥ 0\.01, got 0/],
    [["--data", `folder:${dir}`, "--holdout", "1"], /--holdout must be ≤ 0\.9, got 1/],
    [["--data", `folder:${dir}`, "--holdout", "-0.2"], /--holdout must be ≥ 0\.01, got -0\.2/],
    [["--data", `folder:${dir}`, "--holdout", "fifth"], /--holdout must be a number, got "fifth"/],
    [["--data", `folder:${solo}`, "--holdout", "0.2", ...TINY], /--holdout 0\.2: class "solo" has 1 image; holding some out/],
  ];
  for (const [args, re] of cases) {
    const out = args.includes("--out") ? [] : ["--out", path.join(runs, "bad")];
    const r = cli(["train", ...args, ...out]);
    assert.equal(r.code, 2, `${args.join(" ")}: exit ${r.code}\n${r.stderr}`);
    const lines = r.stderr.trim().split("\n");
    assert.match(lines[0]!, re, args.join(" "));
    assert.ok(lines.length <= 2 && !/\n\s+at /.test(r.stderr), `${args.join(" ")}: one line, no stack trace\n${r.stderr}`);
  }
  rmSync(solo, { recursive: true, force: true });
});
