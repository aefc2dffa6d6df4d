// An image folder end to end: a tiny folder (PNG, JPEG, an RGBA icon, a corrupt file, a text file and an
// empty class) trains with --flip, writes its final grid, resumes bit-identically, and samples a labelled colour grid.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PNG } from "pngjs";
import { setup } from "../testing/helpers.js";
import { writeTinyFolder, TINY_FOLDER } from "../testing/image-folder.js";
import { trainCommand } from "./train.js";
import { sampleCommand } from "./sample.js";
import { nllCommand } from "./nll.js";
import { pathCommand } from "./path-cmd.js";
import { evalCommand } from "./eval.js";
import { parseSafetensors } from "../io/safetensors.js";
import { textsOf } from "../viz/svg.js";

before(() => setup(2));

const tmp = () => mkdtempSync(path.join(os.tmpdir(), "flowlab-folder-run-"));
const quiet = () => {};

function colourPixels(img: PNG): number {
  let n = 0;
  for (let i = 0; i < img.data.length; i += 4) if (img.data[i] !== img.data[i + 1] || img.data[i + 1] !== img.data[i + 2]) n++;
  return n;
}

function weights(file: string): Map<string, number[]> {
  const f = parseSafetensors(readFileSync(file), file);
  return new Map([...f.tensors].map(([k, t]) => [k, Array.from(t.data as ArrayLike<number | bigint>, Number)]));
}

test("folder:DIR trains in colour with flips, resumes bit-identically, and samples a class-labelled RGB grid", async () => {
  const dir = writeTinyFolder();
  const a = tmp(), b = tmp();
  const args = ["--data", `folder:${dir}`, "--flip", "--background", "black", "--channels", "4,8", "--res-layers", "1", "--batch", "4", "--steps", "8", "--checkpoint-every", "4"];
  const lines: string[] = [];
  assert.equal(await trainCommand([...args, "--out", a], (s) => lines.push(s)), 0);
  // the finished run writes its final model's grid (rows by class name: viz/figures.test), in colour
  const final = path.join(a, "samples", "step-000008.png");
  assert.ok(lines.includes(`wrote ${final}: samples of the final model, a row per class`), lines.join("\n"));
  assert.ok(colourPixels(PNG.sync.read(readFileSync(final))) > 1000, "the final training grid is in colour");
  // the summary: classes with counts, the empty class, and each skipped file with its reason
  assert.match(lines[0]!, /15 image\(s\) in 2 class\(es\), colour \(RGB\)/);
  assert.ok(lines.includes(`  ${TINY_FOLDER.classes.map((c, i) => `${c} ${TINY_FOLDER.counts[i]}`).join(", ")}`), lines.join("\n"));
  assert.ok(lines.some((l) => l.includes("empty class(es): empty")));
  for (const [file, why] of Object.entries(TINY_FOLDER.skipped)) assert.ok(lines.some((l) => l.includes(file) && why.test(l)), `${file} is named with its reason`);

  assert.equal(await trainCommand([...args, "--stop-at", "4", "--out", b], quiet), 0);
  assert.equal(await trainCommand(["--out", b, "--resume"], quiet), 0);
  const ckpt = path.join(a, "checkpoint.safetensors");
  const wa = weights(ckpt), wb = weights(path.join(b, "checkpoint.safetensors"));
  assert.deepEqual([...wa.keys()], [...wb.keys()]);
  for (const [k, v] of wa) assert.deepEqual(wb.get(k), v, `${k} differs after resume`);
  assert.deepEqual(parseSafetensors(readFileSync(ckpt)).tensors.get("init_conv.0.weight")!.shape, [4, 3, 3, 3], "three input channels");
  const config = JSON.parse(parseSafetensors(readFileSync(ckpt)).metadata["model_config"]!) as { classNames: string[]; channelsIn: number; numClasses: number };
  assert.deepEqual([config.classNames, config.channelsIn, config.numClasses], [[...TINY_FOLDER.classes], 3, 2]);

  const png = path.join(a, "grid.png");
  assert.equal(await sampleCommand(["--ckpt", ckpt, "--w", "3", "--per-class", "2", "--png", png], quiet), 0);
  const colour = colourPixels(PNG.sync.read(readFileSync(png)));
  assert.ok(colour > 1000, `the grid is in colour (${colour} coloured pixels)`);
  // the sweep's rows are labelled with the class names, and ∅
  const svg = path.join(a, "grid.svg");
  assert.equal(await sampleCommand(["--ckpt", ckpt, "--w", "3", "--per-class", "1", "--steps", "2", "--svg", svg], quiet), 0);
  const texts = textsOf(readFileSync(svg, "utf8"));
  for (const label of [...TINY_FOLDER.classes, "∅", "class"]) assert.ok(texts.includes(label), `row label "${label}" in ${JSON.stringify(texts)}`);

  // nll and path read the same folder; nll refuses data of another shape than the model's
  const nll: string[] = [];
  assert.equal(await nllCommand(["--ckpt", ckpt, "--data", `folder:${dir}`, "--background", "black", "--split", "train", "--n", "4", "--steps", "2", "--batch", "4"], (s) => nll.push(s)), 0);
  assert.match(nll.join("\n"), /bits\/dim .*4 train images of folder:/);
  await assert.rejects(nllCommand(["--ckpt", ckpt, "--n", "4", "--steps", "2"], quiet), /--data mnist gives \[1, 32, 32\] images but .* models \[3, 32, 32\]/);
  await assert.rejects(nllCommand(["--ckpt", ckpt, "--data", `folder:${dir}`, "--n", "4"], quiet), /has no test split/);
  assert.equal(await pathCommand(["--data", `folder:${dir}`, "--digits", "2", "--png", path.join(a, "path.png")], quiet), 0);
  assert.equal(PNG.sync.read(readFileSync(path.join(a, "path.png"))).colorType, 6, "the path figure is an RGBA picture");
  await assert.rejects(evalCommand(["--ckpt", ckpt, "--per-class", "2", "--w", "3"], quiet), /draws colour 32×32 images in 2 classes; the judge reads grey 32×32 images in 10 classes/);
  for (const d of [dir, a, b]) rmSync(d, { recursive: true, force: true });
});

test("--resume refuses a folder whose classes changed since the checkpoint", async () => {
  const dir = writeTinyFolder();
  const a = tmp();
  assert.equal(await trainCommand(["--data", `folder:${dir}`, "--channels", "4,8", "--res-layers", "1", "--batch", "4", "--steps", "4", "--stop-at", "2", "--out", a], quiet), 0);
  rmSync(path.join(dir, "red"), { recursive: true });
  await assert.rejects(trainCommand(["--out", a, "--resume"], quiet), /no longer matches the checkpoint's model \(2 classes then, 1 now/);
  for (const d of [dir, a]) rmSync(d, { recursive: true, force: true });
});
