// flowlab nll end to end: bits/dim for a few digits (finite, written as JSON) and its bad flags.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { repoRoot } from "../testing/helpers.js";

const cli = path.join(repoRoot, "dist", "cli", "main.js");
const run = (args: string[]) => spawnSync(process.execPath, [cli, "nll", ...args, "--threads", "2"], { encoding: "utf8" });

test("flowlab nll scores real digits in bits/dim and writes them as JSON", { timeout: 120_000 }, () => {
  const out = path.join(mkdtempSync(path.join(os.tmpdir(), "flowlab-nll-")), "nll.json");
  const r = run(["--n", "4", "--batch", "2", "--steps", "2", "--json", out]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /\d\.\d{4} ± \d\.\d{4} bits\/dim \(log p\(x \| y\), conditional model; 4 test digits/);
  const j = JSON.parse(readFileSync(out, "utf8")) as { mean: number; bitsPerDim: number[] };
  assert.equal(j.bitsPerDim.length, 4);
  for (const b of j.bitsPerDim) assert.ok(Number.isFinite(b) && b > 0 && b < 8, `bits/dim ${b} is in (0, 8)`);
  assert.ok(Math.abs(j.mean - j.bitsPerDim.reduce((a, b) => a + b, 0) / 4) < 1e-9);
});

for (const [args, msg] of [
  [["--exact", "--probes", "3"], /--probes sets the Hutchinson estimator; drop it with --exact/],
  [["--split", "valid"], /--split must be train or test, got "valid"/],
  [["--n", "0"], /--n must be ≥ 1/],
  [["--solver", "rk5"], /--solver must be euler, midpoint, heun or rk4/],
  [["--ckpt", "/nonexistent/x.safetensors"], /checkpoint \/nonexistent\/x\.safetensors does not exist/],
] as const) {
  test(`flowlab nll ${args.join(" ")}: exit 2 with one line`, { timeout: 60_000 }, () => {
    const r = run([...args]);
    assert.equal(r.status, 2);
    assert.match(r.stderr.split("\n")[0]!, msg);
  });
}
