// The time-to-quality study: a tiny run keeps snapshots (--keep-every), the study judges each one and
// the last checkpoint in step order and draws the chart; the log's loss curve; bad input is refused with one line.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, readdirSync, existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setup } from "../testing/helpers.js";
import { trainCommand } from "./train.js";
import { evalCommand } from "./eval.js";
import { isTrainingStudy, lossCurve, trainingMarkdown, type TrainingStudyFile } from "./training-study.js";

await setup();
const tmp = () => mkdtempSync(path.join(os.tmpdir(), "flowlab-tts-"));
const quiet = () => {};
const TINY = ["--channels", "4,8", "--res-layers", "1", "--batch", "4", "--seed", "3", "--checkpoint-every", "3"];

test("flowlab eval routes --study training (both spellings) to the study", () => {
  assert.equal(isTrainingStudy(["--study", "training", "--run", "r"]), true);
  assert.equal(isTrainingStudy(["--study=training"]), true);
  assert.equal(isTrainingStudy(["--study", "guidance"]), false);
});

test("the loss curve skips a torn line and keeps the last point when thinned", () => {
  const d = tmp();
  const f = path.join(d, "log.jsonl");
  const lines = Array.from({ length: 10 }, (_, i) => JSON.stringify({ step: i + 1, loss: 10 - i, smoothed: 10 - i, seconds: i + 1 }));
  writeFileSync(f, lines.join("\n") + '\n{"step":11,"smoo');
  const all = lossCurve(f, 100);
  assert.equal(all.length, 10);
  const thin = lossCurve(f, 4);
  assert.deepEqual(thin.map((p) => p.seconds), [1, 4, 7, 10]);
  assert.deepEqual(lossCurve(path.join(d, "none.jsonl"), 4), []);
});

test("the table has a row per step and a column per w", () => {
  const report = (accuracy: number, fd: number) => ({ n: 500, accuracy, confidence: accuracy, fd, diversity: 0.93, perClass: [] });
  const s: TrainingStudyFile = {
    study: "training", run: "runs/x", command: "flowlab train", perClass: 50, solver: "heun", steps: 12, guidance: "cfg", loss: [],
    rows: [
      { file: "a", step: 500, samples: 64000, seconds: 600, w: 1, report: report(0.8, 40) },
      { file: "a", step: 500, samples: 64000, seconds: 600, w: 3, report: report(0.99, 25) },
      { file: "b", step: 1000, samples: 128000, seconds: 1200, w: 3, report: report(0.996, 30.5) },
    ],
  };
  const md = trainingMarkdown(s).split("\n");
  assert.equal(md[0], "| step | samples | minutes | w = 1: accuracy / FD / diversity | w = 3: accuracy / FD / diversity |");
  // rows without saved intervals: accuracy's Wilson interval (it follows from the count), the rest bare, and a note saying so
  assert.equal(md[2], "| 500 | 64,000 | 10.0 | 80.0 ± 3.5 % / 40.0 / 0.93 | 99.0 ± 0.9 % / 25.0 / 0.93 |");
  assert.equal(md[3], "| 1000 | 128,000 | 20.0 | — | 99.6 ± 0.7 % / 30.5 / 0.93 |");
  assert.match(md.at(-1)!, /Rows saved before intervals were measured/);
});

test("a run that keeps snapshots gets a judged time-to-quality curve, in step order", async () => {
  const run = path.join(tmp(), "run");
  assert.equal(await trainCommand([...TINY, "--steps", "5", "--keep-every", "2", "--out", run], quiet), 0);
  // kept at 2 and 4, never overwritten; the run's checkpoint (step 5) is judged too
  assert.deepEqual(readdirSync(path.join(run, "snapshots")).sort(), ["step-000002.safetensors", "step-000004.safetensors"]);
  const out = path.dirname(run);
  const json = path.join(out, "t.json"), md = path.join(out, "t.md"), png = path.join(out, "t.png");
  const logged: string[] = [];
  const args = ["--study", "training", "--run", run, "--w", "1,3", "--per-class", "2", "--solver", "euler", "--steps", "2"];
  assert.equal(await evalCommand([...args, "--json", json, "--md", md, "--png", png], (s) => logged.push(s)), 0);
  const s = JSON.parse(readFileSync(json, "utf8")) as TrainingStudyFile;
  assert.deepEqual(s.rows.map((r) => [r.step, r.w]), [[2, 1], [2, 3], [4, 1], [4, 3], [5, 1], [5, 3]]);
  assert.deepEqual(s.rows.map((r) => r.samples), [8, 8, 16, 16, 20, 20]);
  for (const r of s.rows) {
    assert.equal(r.report.n, 20);
    assert.ok(Number.isFinite(r.report.fd) && r.report.fd > 0);
  }
  assert.ok(s.rows[0]!.seconds < s.rows[2]!.seconds && s.rows[2]!.seconds < s.rows[4]!.seconds, "training seconds grow with the step");
  assert.equal(s.loss.length, 5);
  assert.match(s.command, /--keep-every 2/);
  assert.match(readFileSync(md, "utf8"), /!\[time to quality\]\(t\.png\)/);
  assert.deepEqual([...readFileSync(png).subarray(1, 4)], [0x50, 0x4e, 0x47]);
  // redraw from the saved rows, no sampling
  const png2 = path.join(out, "t2.png");
  assert.equal(await evalCommand(["--study", "training", "--from", json, "--png", png2], quiet), 0);
  assert.ok(existsSync(png2));
});

const empty = tmp();
const corrupt = tmp();
mkdirSync(path.join(corrupt, "snapshots"));
writeFileSync(path.join(corrupt, "snapshots", "step-000010.safetensors"), "not a checkpoint");
const BAD: [string, string[], RegExp][] = [
  ["no --run", ["--study", "training"], /--study training needs --run DIR/],
  ["--run not a folder", ["--study", "training", "--run", "/nonexistent/run"], /--run \/nonexistent\/run is not a folder/],
  ["a folder with no checkpoint", ["--study", "training", "--run", empty], /has no checkpoint\.safetensors and no snapshots/],
  ["--from with --run", ["--study", "training", "--from", "x.json", "--run", "r"], /--from redraws saved rows without sampling; drop --run/],
  ["a corrupt snapshot", ["--study", "training", "--run", corrupt, "--per-class", "2", "--steps", "1"], /step-000010\.safetensors is not a readable checkpoint/],
  ["bad solver", ["--study", "training", "--run", "r", "--solver", "rk9"], /--solver must be euler, midpoint, heun or rk4/],
  ["--from not the study's file", ["--study", "training", "--from", "package.json"], /expected what flowlab eval --study training --json writes/],
];
for (const [what, argv, re] of BAD) test(`bad input: ${what}`, async () => {
  await assert.rejects(evalCommand(argv, quiet), (e: unknown) => e instanceof Error && re.test(e.message));
});
