// A judge for colour folder data end to end: train-judge on a tiny shapes folder (held-out split, flips),
// eval of a colour model against it with every view and the nearest-training-image figure, and the one-line refusals.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PNG } from "pngjs";
import { setup, repoRoot } from "../testing/helpers.js";
import { writeShapesFolder } from "../testing/image-folder.js";
import { trainJudgeCommand } from "./train-judge.js";
import { trainCommand } from "./train.js";
import { evalCommand } from "./eval.js";
import type { EvalRow } from "../studies/eval-rows.js";
import { calibrateCommand } from "./calibrate.js";
import { parseSafetensors } from "../io/safetensors.js";

before(() => setup(2));

const tmp = () => mkdtempSync(path.join(os.tmpdir(), "flowlab-judge-folder-"));
const quiet = () => {};

test("train-judge on a colour folder holds out a split; eval scores a colour model on every view and draws the nearest training images", async () => {
  const dir = writeShapesFolder(12), out = tmp();
  const judgeFile = path.join(out, "judge.safetensors");
  const lines: string[] = [];
  assert.equal(await trainJudgeCommand(["--data", `folder:${dir}`, "--epochs", "4", "--batch", "8", "--out", judgeFile], (s) => lines.push(s)), 0);
  assert.ok(lines.some((l) => /30 training images, 6 reference images \(held out 20 % per class \(seed 0\)\); RGB 32×32, 3 classes; 4 epochs of batch 8, flips/.test(l)), lines.join("\n"));
  const meta = parseSafetensors(readFileSync(judgeFile), judgeFile).metadata;
  assert.deepEqual(JSON.parse(meta["judge_config"]!), { channels: [32, 32, 64, 64], features: 128, numClasses: 3, channelsIn: 3 });
  const record = JSON.parse(meta["flowlab_judge"]!) as { holdout: unknown; classNames: string[] };
  assert.deepEqual([record.holdout, record.classNames], [{ fraction: 0.2, seed: 0 }, ["blue", "green", "red"]]);

  const run = path.join(out, "run");
  assert.equal(await trainCommand(["--data", `folder:${dir}`, "--channels", "4,8", "--res-layers", "1", "--batch", "4", "--steps", "2", "--out", run], quiet), 0);
  const ckpt = path.join(run, "checkpoint.safetensors"), json = path.join(out, "rows.json"), nearest = path.join(out, "nearest.png");
  const log: string[] = [];
  assert.equal(await evalCommand(["--ckpt", ckpt, "--judge", judgeFile, "--per-class", "6", "--w", "3", "--steps", "2", "--json", json, "--nearest", nearest], (s) => log.push(s)), 0);
  assert.ok(log.some((l) => /judge: RGB 32×32, 3 classes; reference 6 real images \(held out/.test(l)), log.join("\n"));
  const [row] = JSON.parse(readFileSync(json, "utf8")) as EvalRow[];
  const v = row!.views!;
  assert.equal(v.n, 18);
  // white borders are constant across the real set: the background view is measured, in colour, not NaN
  assert.ok(Number.isFinite(v.background.level.value) && v.background.level.value > 0, `background level ${v.background.level.value}`);
  assert.ok(Number.isInteger(v.background.pixels) && v.background.pixels >= 448, `the background is the positions constant across real images (at least the 4 px white border), got ${v.background.pixels} per image`);
  for (const k of ["fdJudge", "kidJudge", "fdTexture", "kidTexture", "diversity"] as const) assert.ok(Number.isFinite(v[k].value), `${k} measured`);
  assert.ok(v.memorisation && Number.isFinite(v.memorisation.rate.value));
  const img = PNG.sync.read(readFileSync(nearest));
  let colour = 0;
  for (let i = 0; i < img.data.length; i += 4) if (img.data[i] !== img.data[i + 1] || img.data[i + 1] !== img.data[i + 2]) colour++;
  assert.ok(colour > 500, `the nearest-image figure is in colour (${colour} coloured pixels)`);
  assert.ok(log.some((l) => /wrote .*nearest\.png: w = 3, 12 samples beside their nearest training image; [\d.]+ % of its samples are closer/.test(l)), log.join("\n"));

  // calibrate reads the same hold-out and runs on colour (few images: n lowered to what the held-out images hold, here refused)
  await assert.rejects(calibrateCommand(["--judge", judgeFile, "--md", path.join(out, "c.md"), "--json", path.join(out, "c.json")], quiet), /real images \(held out 20 % per class \(seed 0\)\) hold 6 images; calibration needs/);

  // the shipped MNIST judge refuses this colour model, and this judge refuses a grey MNIST model: one line each
  await assert.rejects(evalCommand(["--ckpt", ckpt, "--per-class", "2", "--w", "3"], quiet), /draws colour 32×32 images in 3 classes; the judge reads grey 32×32 images in 10 classes/);
  await assert.rejects(evalCommand(["--ckpt", path.join(repoRoot, "models/mnist-cfg.safetensors"), "--judge", judgeFile, "--per-class", "2", "--w", "3"], quiet), /draws grey 32×32 images in 10 classes; the judge reads colour 32×32 images in 3 classes/);
  for (const d of [dir, out]) rmSync(d, { recursive: true, force: true });
});

test("train-judge names a class too small to hold out, and keeps the file it would have replaced", async () => {
  const dir = writeShapesFolder(4, { green: 1 }), out = tmp();
  const judgeFile = path.join(out, "judge.safetensors");
  await assert.rejects(trainJudgeCommand(["--data", `folder:${dir}`, "--out", judgeFile], quiet), /--data folder:.*: class "green" has 1 image; holding some out for the judge's reference needs at least 2 per class/);
  assert.ok(!existsSync(judgeFile));
  for (const d of [dir, out]) rmSync(d, { recursive: true, force: true });
});
