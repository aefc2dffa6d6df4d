// flowlab calibrate and the views in flowlab eval, end to end on a tiny IDX data set (any data set, few
// images per class): a judge trained on it gives eval --judge its real images; calibration runs or
// refuses sizes the data cannot hold with one line; eval --samples takes several files and --grid.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, readFileSync, existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { repoRoot } from "../testing/helpers.js";
import { tinyIdxDir } from "../testing/tiny-data.js";
import { initNodeEngine } from "../tensor/node.js";
import { loadDataset } from "../data/load.js";
import { encodeNpy } from "../io/npy.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "flowlab-calib-"));
let data = "";
const judgeFile = path.join(dir, "judge.safetensors");

function cli(args: string[]) {
  return spawnSync(process.execPath, [path.join(repoRoot, "dist/cli/main.js"), ...args, "--threads", "1"], { encoding: "utf8", timeout: 120_000 });
}

function fails(args: string[], re: RegExp): void {
  const r = cli(args);
  assert.equal(r.status, 2, `${args.join(" ")}: exit ${r.status}\n${r.stderr}`);
  const lines = r.stderr.split("\n").filter((l) => l.startsWith("flowlab: error: "));
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0]!, re);
}

before(async () => {
  await initNodeEngine({ threads: 1 });
  data = `idx:${tinyIdxDir(120)}`;
  const r = cli(["train-judge", "--data", data, "--epochs", "2", "--batch", "16", "--out", judgeFile]);
  assert.equal(r.status, 0, r.stderr);
});

test("calibrate: help, bad flags and sizes the data cannot hold exit 2 with one line naming the flag", () => {
  const h = cli(["calibrate", "--help"]);
  assert.equal(h.status, 0);
  assert.match(h.stdout, /--bootstrap N/);
  assert.match(h.stdout, /--real N +real images every set is scored against/);
  fails(["calibrate", "--n", "abc"], /--n must be a number, got "abc"/);
  fails(["calibrate", "--real", "10"], /--real must be/);
  fails(["calibrate", "--reference", "2000"], /--reference is now --real N: the real images every set is scored against/);
  fails(["calibrate", "--judge", judgeFile, "--n", "50"], /--n 50: the idx:.* test split holds 120 images; calibration needs 2 × n \+ 50 = 150 \(lower --n\)/);
  fails(["calibrate", "--judge", path.join(dir, "missing.safetensors")], /--judge.*missing\.safetensors/);
  fails(["train-judge", "--data", data, "--batch", "500", "--out", path.join(dir, "j2.safetensors")], /--batch 500: the idx:.* train split holds 120 images; a judge needs at least one batch/);
});

test("calibrate on a tiny data set (the judge's own): every row scored, report written", () => {
  const md = path.join(dir, "c.md"), json = path.join(dir, "c.json");
  const r = cli(["calibrate", "--judge", judgeFile, "--n", "20", "--bootstrap", "2", "--md", md, "--json", json]);
  assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}\n${r.stderr}`);
  const c = JSON.parse(readFileSync(json, "utf8")) as { data: string; options: { real: number }; rows: { name: string }[] };
  assert.equal(c.data, data, "calibrate reads the data spec the judge was trained on");
  assert.equal(c.options.real, 5000, "the default count of real images scored against, recorded");
  assert.equal(c.rows.length, 12);
  assert.match(readFileSync(md, "utf8"), /\| memorised \|/);
});

test("eval --judge on another data set: several --samples files, every view with intervals, few per class noted, --grid", () => {
  const test = loadDataset(data, "test");
  const f = (name: string, n: number) => {
    const p = path.join(dir, name);
    writeFileSync(p, encodeNpy({ dtype: "<f4", shape: [n, 1, 32, 32], data: test.images.slice(0, n * 1024) }));
    return p;
  };
  const labels = (n: number) => {
    const p = path.join(dir, `l${n}.npy`);
    writeFileSync(p, encodeNpy({ dtype: "<i8", shape: [n], data: BigInt64Array.from(Array.from(test.labels.subarray(0, n), BigInt)) }));
    return p;
  };
  const a = f("a.npy", 40), md = path.join(dir, "e.md"), grid = path.join(dir, "g.png");
  const r = cli(["eval", "--judge", judgeFile, "--samples", `${a},${a}`, "--labels", labels(40), "--md", md, "--grid", grid]);
  assert.equal(r.status, 0, r.stderr);
  const page = readFileSync(md, "utf8");
  assert.match(page, /Every view, with 95 % intervals/);
  assert.equal((page.match(/a\.npy \|/g) ?? []).length >= 2, true, "a row per file in the views table");
  assert.match(page, /memorised \(%\)/);
  assert.ok(existsSync(grid) && readFileSync(grid).subarray(1, 4).toString() === "PNG");
  const few = cli(["eval", "--judge", judgeFile, "--samples", f("b.npy", 4), "--labels", labels(4)]);
  assert.equal(few.status, 0, few.stderr);
  assert.match(few.stdout, /precision, recall, density and coverage need more than 5 samples, got 4/);
  fails(["eval", "--grid", grid], /--grid draws the files of --samples; give --samples FILE\.npy/);
});
