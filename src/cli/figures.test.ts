// The figure flags end to end: --png/--svg/--scale on path, sample and eval --from, and their bad input.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PNG } from "pngjs";
import { repoRoot } from "../testing/helpers.js";
import { textsOf } from "../viz/svg.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "flowlab-fig-"));
const f = (name: string) => path.join(dir, name);

function cli(args: string[]): { code: number | null; stderr: string; stdout: string } {
  const r = spawnSync(process.execPath, [path.join(repoRoot, "dist/cli/main.js"), ...args, "--threads", "1"], { encoding: "utf8", timeout: 120_000 });
  return { code: r.status, stderr: r.stderr, stdout: r.stdout };
}
const svgSize = (svg: string) => svg.match(/<svg[^>]* width="(\d+)" height="(\d+)"/)!.slice(1).map(Number);
const pngSize = (file: string) => { const p = PNG.sync.read(readFileSync(file)); return [p.width, p.height]; };

test("path --svg --png --scale 2: every t and each row's real digit labelled; the PNG is twice the SVG", () => {
  const r = cli(["path", "--digits", "3", "--t", "0,0.5,0.9,1", "--svg", f("path.svg"), "--png", f("path.png"), "--scale", "2"]);
  assert.equal(r.code, 0, r.stderr);
  const digits = /3 digits \((\d), (\d), (\d)\)/.exec(r.stdout)!.slice(1);
  const svg = readFileSync(f("path.svg"), "utf8"), texts = textsOf(svg);
  for (const l of ["t = 0", "t = 0.5", "t = 0.9", "t = 1", ...digits]) assert.ok(texts.includes(l), `"${l}" missing`);
  assert.deepEqual(pngSize(f("path.png")), svgSize(svg).map((v) => v * 2));
});

test("sample --svg and --trajectory .svg/.png from the shipped model: labelled sweep and trajectory", () => {
  const r = cli(["sample", "--w", "1,4", "--per-class", "1", "--classes", "2,5", "--steps", "2", "--svg", f("sweep.svg"), "--trajectory", f("traj.svg"), "--record-every", "1"]);
  assert.equal(r.code, 0, r.stderr);
  const sweep = textsOf(readFileSync(f("sweep.svg"), "utf8"));
  for (const l of ["w = 1", "w = 4", "2", "5", "∅"]) assert.ok(sweep.includes(l), `sweep: "${l}" missing from ${JSON.stringify(sweep)}`);
  assert.ok(!existsSync(f("sweep.png")), "only the files asked for");
  const traj = textsOf(readFileSync(f("traj.svg"), "utf8"));
  for (const l of ["t = 0", "t = 0.5", "t = 1", "2", "5", "∅"]) assert.ok(traj.includes(l), `trajectory: "${l}" missing from ${JSON.stringify(traj)}`);
  const r2 = cli(["sample", "--w", "3", "--per-class", "1", "--classes", "7", "--steps", "2", "--trajectory", f("traj.png"), "--scale", "1"]);
  assert.equal(r2.code, 0, r2.stderr);
  const [w, h] = pngSize(f("traj.png"));
  assert.ok(w! >= 3 * 64 && h! >= 64, `trajectory ${w}×${h}`);
});

test("eval --from redraws the chart and tables from saved rows without sampling", () => {
  const rows = [0.5, 3].map((w) => ({ label: `w = ${w}`, w, solver: "heun", steps: 12, nfe: 48, seconds: 1, report: { n: 20, accuracy: w / 4, confidence: 0.5, fd: 10 * w, diversity: 1, perClass: [] } }));
  writeFileSync(f("rows.json"), JSON.stringify(rows));
  const r = cli(["eval", "--from", f("rows.json"), "--md", f("r.md"), "--svg", f("r.svg"), "--png", f("r.png")]);
  assert.equal(r.code, 0, r.stderr);
  const md = readFileSync(f("r.md"), "utf8");
  assert.match(md, /!\[chart\]\(r\.svg\)/);
  assert.match(md, /\| w = 3 \| 3 \| heun \| 12 \| 48 \|/);
  assert.ok(textsOf(readFileSync(f("r.svg"), "utf8")).includes("accuracy (%)"));
  assert.deepEqual(pngSize(f("r.png")), svgSize(readFileSync(f("r.svg"), "utf8")));
});

test("bad figure flags exit 2 with one clear line", () => {
  writeFileSync(f("bad.json"), "{ not json");
  const cases: [string[], RegExp][] = [
    [["path", "--scale", "0", "--png", f("x.png")], /--scale must be ≥ 1, got 0/],
    [["path", "--scale", "1.5", "--png", f("x.png")], /--scale must be an integer, got "1.5"/],
    [["path", "--svg", f("x.png")], /--svg must name a \.svg file/],
    [["sample", "--png", f("x.svg")], /--png must name a \.png file/],
    [["sample", "--trajectory", f("x.jpg")], /--trajectory must end in \.gif, \.png or \.svg/],
    [["eval", "--from", f("bad.json"), "--svg", f("x.svg")], /--from .*bad\.json is not JSON/],
    [["eval", "--from", f("missing.json")], /--from .*missing\.json does not exist/],
    [["eval", "--from", f("bad.json"), "--w", "3"], /--from redraws saved rows without sampling; drop --w/],
  ];
  for (const [args, re] of cases) {
    const r = cli(args);
    assert.equal(r.code, 2, `${args.join(" ")}: exit ${r.code}\n${r.stderr}`);
    assert.match(r.stderr.trim().split("\n")[0]!, re, args.join(" "));
  }
});
