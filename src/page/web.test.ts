// The page in a real browser (Debian's chromium via playwright-core): the guidance figure and its
// judged cost, scrubbing against Node's own frames, every listed defect, the page without COOP/COEP
// at a subpath, URL round-trips, training and checkpoints, accessibility, screenshots; offline throughout.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, cpSync, writeFileSync, readFileSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import { execFileSync } from "node:child_process";
import path from "node:path";
import type { Server } from "node:http";
import type { Browser } from "playwright-core";
import * as T from "../tensor/index.js";
import { setup, repoRoot } from "../testing/helpers.js";
import { serveStatic } from "./serve.js";
import { loadJudge } from "../eval/real-images.js";
import { readCheckpoint } from "../cli/ckpt-io.js";
import { judge } from "../judge/judge.js";
import { samplingNet } from "../train/checkpoint.js";
import { generate } from "../sample/generate.js";
import { timeGrid } from "../solvers/simulate.js";
import { parseSafetensors, serializeSafetensors } from "../io/safetensors.js";
import { CHROMIUM, assertClean, axeViolations, chooseClasses, launch, maxLevelDiff, readTile, toLevels, waitReady, waitRunDone, watchedPage } from "./browser-driver.js";

const MODEL = path.join(repoRoot, "models/mnist-cfg.safetensors");
const skip = !existsSync(CHROMIUM) ? `${CHROMIUM} absent (apt-get install chromium; .ci/run installs it)` : !existsSync(MODEL) ? "no shipped model" : false;
const artifacts = path.join(repoRoot, "test-artifacts");
const axeSource = () => readFileSync(path.join(repoRoot, "node_modules/axe-core/axe.min.js"), "utf8");

let isolated: { server: Server; url: string } | null = null;
let plain: { server: Server; url: string } | null = null;
let browser: Browser | null = null;

before(async () => {
  if (skip) return;
  await setup(2);
  const npx = process.platform === "win32" ? "npx.cmd" : "npx";
  execFileSync(process.execPath, [path.join(repoRoot, "dist/cli/web-assets.js")], { cwd: repoRoot, stdio: "pipe" });
  // the same steps as npm run build:web: the page's strict typecheck (TypeScript and Svelte), then the bundle
  execFileSync(npx, ["svelte-check", "--tsconfig", "./web/tsconfig.json", "--fail-on-warnings"], { cwd: repoRoot, stdio: "pipe" });
  execFileSync(npx, ["vite", "build", "--logLevel", "warn"], { cwd: repoRoot, stdio: "pipe" });
  isolated = await serveStatic(path.join(repoRoot, "dist-web"));
  // a plain static host (no COOP/COEP) serving the page under a subpath, as GitHub Pages does
  plain = await serveStatic(path.join(repoRoot, "dist-web"), { isolate: false, prefix: "/pages/flowlab/" });
  browser = await launch();
  mkdirSync(artifacts, { recursive: true });
});
after(async () => {
  await browser?.close();
  isolated?.server.close();
  plain?.server.close();
});

test("the guidance figure: a 7 the judge reads as 7, a shared-noise ∅ row, judged cost per w, scrubbing that matches Node's frames", { skip, timeout: 240_000 }, async () => {
  const w = await watchedPage(browser!);
  const { page } = w;
  await page.goto(`${isolated!.url}?steps=10`); // 10 steps, so frame 3 is t = 0.3 (the page's default is GENERATE_DEFAULTS' 5)
  const status = await waitReady(page);
  assert.equal(await page.evaluate(() => self.crossOriginIsolated), true, "the page is cross-origin isolated");
  // with COOP/COEP the engine uses its worker pool; Chromium ships relaxed SIMD, so the FMA build loads
  assert.match(status, /2 engine threads, relaxed-SIMD \(FMA\) kernels/);
  assert.equal(await page.isVisible('[data-testid="isolation-notice"]'), false);
  await page.click("#generate");
  await waitRunDone(page, 5);
  assert.equal(await page.evaluate(() => document.activeElement?.id), "generate", "focus stays on Generate");
  await page.screenshot({ path: path.join(artifacts, "web-desktop.png") });

  // the 7 at w = 3 (column 2, row 7) is a 7 to flowlab's judge
  const seven = await readTile(page, '[data-testid="tile-2-7"]');
  const lit = seven.filter((v) => v > 128).length;
  assert.ok(lit > 30 && lit < 600, `the tile should hold a digit, not a blank or a blob (${lit} bright pixels)`);
  const verdict = judge(loadJudge(path.join(repoRoot, "models/judge.safetensors")), Float32Array.from(seven, (v) => v / 127.5 - 1));
  assert.equal(verdict.predictions[0], 7, `judge read ${verdict.predictions[0]}`);

  // every column starts from the same noise: the ∅ row (index 10) asks for no class, so only w's
  // rounding separates its columns
  const nulls = await Promise.all([0, 1, 2, 3, 4].map((c) => readTile(page, `[data-testid="tile-${c}-10"]`)));
  for (let c = 1; c < 5; c++) assert.ok(maxLevelDiff(nulls[0]!, nulls[c]!) <= 2, `∅ at column ${c} differs from w = 0 by ${maxLevelDiff(nulls[0]!, nulls[c]!)} levels`);
  // while the digit rows do change with w
  assert.ok(maxLevelDiff(await readTile(page, '[data-testid="tile-0-7"]'), seven) > 50, "w changes the 7");

  // the judge's cost, per w, in the page: guidance raises accuracy
  const acc = await page.$$eval('[data-testid="metrics"] tbody tr td:nth-child(2)', (tds) => tds.map((td) => Number.parseFloat(td.textContent ?? "")));
  assert.equal(acc.length, 5);
  assert.ok(acc[2]! >= 80 && acc[2]! > acc[0]!, `accuracy by w: ${acc.join(", ")}`);

  // the figure is one tab stop; arrow keys choose the sample to follow
  await page.click('[data-tile="1-7"]');
  await page.keyboard.press("ArrowRight");
  assert.equal(await page.getAttribute('[data-tile="2-7"]', "aria-pressed"), "true");
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("data-tile")), "2-7");
  assert.equal(await page.getAttribute('[data-tile="1-7"]', "tabindex"), "-1");
  // scrubbing: frame 3 is t = 0.3, and its x_t and endpoint are Node's own for the same sample
  await page.$eval("#frame", (el) => {
    const input = el as HTMLInputElement;
    input.value = "3";
    input.dispatchEvent(new Event("input", { bubbles: true }));
  });
  const ts = timeGrid(11);
  assert.equal(await page.textContent('[data-testid="frame-t"]'), ts[3]!.toFixed(3));
  const net = samplingNet(readCheckpoint(MODEL));
  let ref: { x: Float32Array; drift: Float32Array } | null = null;
  const g = generate(net, {
    classes: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], perClass: 1, w: 3, steps: 10, solver: "midpoint", seed: 0,
    onStep: (s) => {
      if (s.done === 4) ref = { x: s.x.toFloat32Array().slice(7 * 1024, 8 * 1024), drift: s.drift.toFloat32Array().slice(7 * 1024, 8 * 1024) };
    },
  });
  g.images.dispose();
  T.disposeAll(net.params);
  const { x, drift } = ref!;
  assert.ok(maxLevelDiff(await readTile(page, '[data-testid="scrub-x"]'), toLevels(x)) <= 2, "x_t at t = 0.3");
  const endpoint = x.map((v, i) => v + (1 - ts[3]!) * drift[i]!);
  assert.ok(maxLevelDiff(await readTile(page, '[data-testid="scrub-endpoint"]'), toLevels(endpoint)) <= 2, "the endpoint x_t + (1 − t)·u at t = 0.3");
  assert.ok(maxLevelDiff(toLevels(x), toLevels(endpoint)) > 50, "the endpoint is not x_t");
  assert.match((await page.textContent(".tiles")) ?? "", /guided/);
  // Play walks on to the finished sample (t = 1), which is the figure's tile
  await page.click("#play");
  await page.waitForFunction(() => document.querySelector('[data-testid="frame-t"]')?.textContent === "1.000", null, { timeout: 20_000 });
  assert.ok(maxLevelDiff(await readTile(page, '[data-testid="scrub-x"]'), seven) <= 1, "the last frame is the sample in the figure");

  // the whole page, in both themes, has no serious accessibility violations
  const axe = axeSource();
  assert.deepEqual(await axeViolations(page, axe), [], "light theme");
  await page.selectOption("#theme", "dark");
  assert.deepEqual(await axeViolations(page, axe), [], "dark theme");
  await page.screenshot({ path: path.join(artifacts, "web-desktop-dark.png") });
  assertClean(w);
  await page.close();
});

test("the live panel: the few-step model's digits in one pass, equal to Node's; the slider and step count redraw; a link's w outside the range is clamped", { skip, timeout: 180_000 }, async () => {
  const w = await watchedPage(browser!);
  const { page } = w;
  await page.goto(isolated!.url);
  await waitReady(page);
  await page.waitForSelector('[data-testid="live-grid"]', { timeout: 60_000 });
  assert.match((await page.textContent('[data-testid="live-stats"]')) ?? "", /40 digits at .* from\s+1 network pass/);
  // the judge reads the one-pass digits at w = 3
  const judgeNet = loadJudge(path.join(repoRoot, "models/judge.safetensors"));
  const read = async (): Promise<{ tiles: number[][]; correct: number }> => {
    const tiles: number[][] = [];
    let correct = 0;
    for (let c = 0; c < 10; c++) for (let r = 0; r < 4; r++) {
      const t = await readTile(page, `[data-testid="live-tile-${c}-${r}"]`);
      tiles.push(t);
      if (judge(judgeNet, Float32Array.from(t, (v) => v / 127.5 - 1)).predictions[0] === c) correct++;
    }
    return { tiles, correct };
  };
  const at3 = await read();
  assert.ok(at3.correct >= 36, `the judge read ${at3.correct} of 40 one-pass digits at w = 3`);
  // the page draws what Node's generate() draws for the same model, w, steps and seed
  const few = samplingNet(readCheckpoint(path.join(repoRoot, "models/mnist-fewstep.safetensors")));
  const g = generate(few, { classes: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], perClass: 4, w: 3, steps: 1, seed: 0 });
  const node = g.images.toFloat32Array();
  g.images.dispose();
  T.disposeAll(few.params);
  for (let i = 0; i < 40; i++) assert.ok(maxLevelDiff(at3.tiles[i]!, toLevels(node, i * 1024)) <= 2, `tile ${i} differs from Node's`);
  // the slider redraws: w = 1 changes the digits
  await page.fill("#live-w", "1");
  await page.waitForFunction(() => document.querySelector('[data-testid="live-w"]')?.textContent === "1.0" && /w\s*=\s*1\.0/.test(document.querySelector('[data-testid="live-stats"]')?.textContent ?? ""));
  const at1 = await read();
  assert.ok(at3.tiles.some((t, i) => maxLevelDiff(t, at1.tiles[i]!) > 50), "w changes the digits");
  // two passes per digit
  await page.check('input[name="live-steps"][value="2"]');
  await page.waitForFunction(() => /from\s+2 network passes/.test(document.querySelector('[data-testid="live-stats"]')?.textContent ?? ""));
  assert.match(page.url(), /liveW=1&liveSteps=2|liveSteps=2.*liveW=1|liveW=1.*liveSteps=2/);
  assertClean(w);
  await page.close();
  // a link asking for w = 9 gets the model's largest trained w
  const w2 = await watchedPage(browser!);
  await w2.page.goto(`${isolated!.url}?liveW=9`);
  await waitReady(w2.page);
  await w2.page.waitForSelector('[data-testid="live-grid"]', { timeout: 60_000 });
  const max = await w2.page.getAttribute("#live-w", "max");
  await w2.page.waitForFunction((m) => document.querySelector('[data-testid="live-w"]')?.textContent === Number(m).toFixed(1), max);
  assertClean(w2);
  await w2.page.close();
});

test("defects: Generate never locks; blank and fractional inputs get a message; focus stays on Generate", { skip, timeout: 120_000 }, async () => {
  const w = await watchedPage(browser!);
  const { page } = w;
  await page.goto(`${isolated!.url}?classes=7&w=3&steps=2`);
  await waitReady(page);
  await chooseClasses(page, []);
  await page.click("#generate");
  assert.match((await page.textContent('[data-testid="run-message"]')) ?? "", /Choose at least one digit/);
  assert.equal(await page.isEnabled("#generate"), true, "Generate stays enabled");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "generate");
  await page.setChecked("#digit-7", true);
  await page.fill("#steps", "");
  assert.match((await page.textContent("#steps-msg")) ?? "", /^Steps is empty: enter a whole number from 1 to 200\.$/);
  assert.equal(await page.getAttribute("#steps", "aria-invalid"), "true");
  await page.click("#generate");
  assert.match((await page.textContent('[data-testid="run-message"]')) ?? "", /Steps is empty/);
  await page.fill("#steps", "2.5");
  assert.match((await page.textContent("#steps-msg")) ?? "", /Steps: 2\.5 is not a whole number/);
  await page.fill("#w", "3, x");
  assert.match((await page.textContent("#w-msg")) ?? "", /"x" is not a number/);
  await page.fill("#w", "3");
  await page.fill("#steps", "2");
  await page.click("#generate");
  await waitRunDone(page, 1);
  assert.equal(await page.textContent('[data-testid="run-message"]'), "");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "generate", "focus stays on Generate after a run");
  // the path panel: a fraction is a message, not "a undefined" and black images
  await page.fill("#path-digit", "3.7");
  assert.match((await page.textContent("#path-digit-msg")) ?? "", /^Real digit #: 3\.7 is not a whole number/);
  await page.fill("#path-digit", "");
  assert.match((await page.textContent("#path-digit-msg")) ?? "", /Real digit # is empty/);
  assertClean(w);
  await page.close();
});

test("defects: each run keeps its own w, steps and timings; the path panel answers during a run; Stop cancels within one step", { skip, timeout: 180_000 }, async () => {
  const w = await watchedPage(browser!);
  const { page } = w;
  await page.goto(`${isolated!.url}?classes=7&w=3&steps=12&guidance=cfg`); // plain CFG: 4 evaluations per midpoint step (the default interval skips some)
  await waitReady(page);
  await page.click("#generate");
  // change the form mid-run: the run must keep what it was started with
  await page.fill("#w", "7");
  await page.fill("#steps", "abc");
  await waitRunDone(page, 1);
  assert.match((await page.textContent('[data-testid="w-head-0"]')) ?? "", /^\s*w = 3\s*$/);
  const timing = (await page.textContent('[data-testid="timing-0"]')) ?? "";
  const m = /^w = 3: 12 midpoint steps, 48 NFE in ([\d.]+) s \((\d+) ms per step\)$/.exec(timing);
  assert.ok(m, timing);
  assert.ok(Math.abs((Number(m[1]) * 1000) / 12 - Number(m[2])) <= 1 + Number(m[2]) * 0.05, `ms per step is the run's own: ${timing}`);

  // a long run: the path panel answers while it goes, and Stop ends it within one step
  await page.fill("#w", "3");
  await page.fill("#steps", "200");
  await page.click("#generate");
  await page.waitForFunction(() => (document.querySelector("progress")?.value ?? 0) >= 2, null, { timeout: 60_000 });
  const before = await readTile(page, '[data-testid="path-x"]');
  await page.$eval("#path-t", (el) => {
    const input = el as HTMLInputElement;
    input.value = "0.9";
    input.dispatchEvent(new Event("input", { bubbles: true }));
  });
  assert.equal(await page.textContent('[data-testid="path-t"]'), "0.90");
  assert.ok(maxLevelDiff(before, await readTile(page, '[data-testid="path-x"]')) > 20, "the path panel redrew at t = 0.9");
  const during = await page.evaluate(() => document.querySelector("progress")!.value);
  assert.ok(during < 150, "the run was still going while the path panel answered");
  await page.click("#stop");
  const atStop = await page.evaluate(() => document.querySelector("progress")!.value);
  await page.waitForTimeout(1500);
  const later = await page.evaluate(() => document.querySelector("progress")!.value);
  assert.ok(later - atStop <= 1, `progress went on after Stop: ${atStop} → ${later}`);
  assert.match((await page.textContent('[data-testid="run-message"]')) ?? "", /^Stopped at step \d+ of 200 \(w = 3\)\.$/);
  assert.equal(await page.evaluate(() => document.activeElement?.id), "generate", "focus moves to Generate when Stop disables itself");
  // and the page is usable again at once: a new run completes
  await page.fill("#steps", "3");
  await page.click("#generate");
  await waitRunDone(page, 1);
  assert.match((await page.textContent('[data-testid="timing-0"]')) ?? "", /^w = 3: 3 midpoint steps/);
  assertClean(w);
  await page.close();
});

test("without COOP/COEP, at a subpath: one engine thread with a notice; a link reproduces every setting; phone layout", { skip, timeout: 180_000 }, async () => {
  const w = await watchedPage(browser!, { width: 390, height: 844 });
  const { page } = w;
  await page.goto(plain!.url);
  const status = await waitReady(page);
  assert.equal(await page.evaluate(() => self.crossOriginIsolated), false);
  assert.match(status, /1 engine thread,/);
  assert.match((await page.textContent('[data-testid="isolation-notice"]')) ?? "", /one thread/);
  await chooseClasses(page, [3, 7, 10]);
  await page.fill("#w", "0, 3");
  await page.fill("#steps", "6");
  await page.fill("#per-class", "2");
  await page.selectOption("#solver", "heun");
  await page.fill("#seed", "5");
  await page.fill("#path-digit", "12");
  await page.selectOption("#schedule", "cosine");
  await page.$eval("#path-t", (el) => {
    const input = el as HTMLInputElement;
    input.value = "0.3";
    input.dispatchEvent(new Event("input", { bubbles: true }));
  });
  await page.fill("#train-steps", "120");
  await page.selectOption("#theme", "dark");
  await page.click("#generate");
  await waitRunDone(page, 2);
  // a digit drawn on one thread without shared memory is still a digit
  const seven = await readTile(page, '[data-testid="tile-1-2"]');
  const verdict = judge(loadJudge(path.join(repoRoot, "models/judge.safetensors")), Float32Array.from(seven, (v) => v / 127.5 - 1));
  assert.equal(verdict.predictions[0], 7, `judge read ${verdict.predictions[0]}`);
  await page.click('[data-testid="tile-1-3"]');
  await page.screenshot({ path: path.join(artifacts, "web-phone.png"), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: path.join(artifacts, "web-desktop-plain.png") });
  // touch targets on a phone: every button, field and checkbox label is at least 44 px tall
  await page.setViewportSize({ width: 390, height: 844 });
  const small = await page.$$eval("button:not(.tile-button), input:not([type=checkbox]):not(.visually-hidden), select, label.check, label.button", (els) =>
    els.filter((e) => (e as HTMLElement).offsetParent !== null && e.getBoundingClientRect().height < 44).map((e) => `${e.tagName}#${e.id} ${e.getBoundingClientRect().height}`));
  assert.deepEqual(small, [], "controls under 44 px on a phone");
  assert.deepEqual(await axeViolations(page, axeSource()), [], "phone, dark");

  const link = page.url();
  assert.ok(link.startsWith(plain!.url), link);
  const again = await browser!.newPage({ viewport: { width: 1280, height: 900 } });
  await again.goto(link);
  await waitReady(again);
  const read = (p: typeof page) => p.evaluate(() => {
    const v = (id: string) => (document.getElementById(id) as HTMLInputElement).value;
    return {
      classes: [...Array(11).keys()].filter((d) => (document.getElementById(`digit-${d}`) as HTMLInputElement).checked),
      w: v("w"), steps: v("steps"), perClass: v("per-class"), solver: v("solver"), seed: v("seed"), digit: v("path-digit"),
      schedule: v("schedule"), t: v("path-t"), trainSteps: v("train-steps"), theme: v("theme"), dark: document.documentElement.dataset["theme"],
    };
  });
  const want = await read(page);
  assert.deepEqual(want, { classes: [3, 7, 10], w: "0, 3", steps: "6", perClass: "2", solver: "heun", seed: "5", digit: "12", schedule: "cosine", t: "0.3", trainSteps: "120", theme: "dark", dark: "dark" });
  assert.deepEqual(await read(again), want, "the link reproduces the settings");
  assert.match(new URL(link).search, /frame=|followW=|follow=/, "the followed sample is in the link too");
  await again.close();
  assertClean(w);
  await page.close();
});

test("training in the page lowers the loss, pauses, steps and stops within a step, and its checkpoint loads in the CLI", { skip, timeout: 180_000 }, async () => {
  const w = await watchedPage(browser!);
  const { page } = w;
  await page.goto(`${isolated!.url}?trainSteps=60&trainBatch=16&sampleEvery=20`);
  await waitReady(page);
  await page.click("#train");
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="train-step"]')?.textContent ?? 0) >= 5, null, { timeout: 90_000 });
  await page.click("#pause");
  const stepText = () => page.evaluate(() => Number(document.querySelector('[data-testid="train-step"]')?.textContent ?? 0));
  const atPause = await stepText();
  await page.waitForTimeout(1500);
  assert.ok((await stepText()) - atPause <= 1, "Pause holds within one step");
  assert.match((await page.textContent('[data-testid="train-stats"]')) ?? "", /paused/);
  // step through training one step at a time while paused
  const held = await stepText();
  await page.click("#step-train");
  await page.waitForFunction((s) => Number(document.querySelector('[data-testid="train-step"]')?.textContent ?? 0) === s + 1, held, { timeout: 30_000 });
  await page.waitForTimeout(700);
  assert.equal(await stepText(), held + 1, "Step advances exactly one step");
  await page.click("#pause"); // Resume
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="train-step"]')?.textContent ?? 0) >= 30, null, { timeout: 120_000 });
  await page.click("#stop-train");
  await page.waitForFunction(() => /Stopped at step \d+ of 60/.test(document.querySelector('[data-testid="train-message"]')?.textContent ?? ""), null, { timeout: 60_000 });
  const stoppedAt = Number(/Stopped at step (\d+)/.exec((await page.textContent('[data-testid="train-message"]')) ?? "")![1]);
  assert.ok(stoppedAt >= 30 && stoppedAt < 60, `Stop ends the run early (step ${stoppedAt})`);
  const stats = (await page.textContent('[data-testid="train-stats"]')) ?? "";
  assert.match(stats, new RegExp(`Step ${stoppedAt} of 60 · loss [\\d.]+ · \\d+ samples/s on 2 engine threads`));
  assert.equal(await page.$$eval('[data-testid="train-grid"] canvas', (c) => c.length), 10, "a grid of digits 0–9 every 20 steps");
  const losses = ((await page.getAttribute('[aria-labelledby="train-panel-h"]', "data-losses")) ?? "").split(",").map(Number);
  assert.equal(losses.length, stoppedAt);
  const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
  assert.ok(mean(losses.slice(-8)) < 0.8 * mean(losses.slice(0, 8)), `loss did not fall: ${losses.map((l) => l.toFixed(0)).join(" ")}`);
  assert.match((await page.textContent('[data-testid="status"]')) ?? "", new RegExp(`flowlab-demo-step-${stoppedAt}\\.safetensors`));

  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download")]);
  const dir = mkdtempSync(path.join(os.tmpdir(), "flowlab-web-"));
  try {
    const file = path.join(dir, download.suggestedFilename());
    await download.saveAs(file);
    assert.equal(path.basename(file), `flowlab-demo-step-${stoppedAt}.safetensors`);
    const out = path.join(dir, "out.png");
    execFileSync(process.execPath, [path.join(repoRoot, "dist/cli/main.js"), "sample", "--ckpt", file, "--png", out, "--steps", "2", "--per-class", "1"], { cwd: repoRoot, stdio: "pipe" });
    assert.ok(existsSync(out), "the CLI wrote a PNG from the page's checkpoint");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assertClean(w);
  await page.close();
});

test("checkpoints: a bare PyTorch state_dict loads by file picker and by drag and drop; bad files get a clear message", { skip, timeout: 120_000 }, async () => {
  const w = await watchedPage(browser!);
  const { page } = w;
  await page.goto(isolated!.url);
  await waitReady(page);
  // the lab's state_dict as PyTorch would save it with safetensors: bare keys, no flowlab metadata
  const shipped = parseSafetensors(readFileSync(MODEL), MODEL);
  const bare = serializeSafetensors([...shipped.tensors].filter(([k]) => !k.startsWith("ema.") && !k.startsWith("adam.")));
  await page.setInputFiles("#ckpt-file", { name: "unet.safetensors", mimeType: "application/octet-stream", buffer: Buffer.from(bare) });
  await page.waitForFunction(() => /Loaded unet\.safetensors/.test(document.querySelector('[data-testid="load-message"]')?.textContent ?? ""), null, { timeout: 30_000 });
  assert.match((await page.textContent('[data-testid="status"]')) ?? "", /unet\.safetensors \(channels 16, 32, 64, 2 residual layers\)/);

  const cases: [string, Uint8Array, RegExp][] = [
    ["junk.safetensors", new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]), /junk\.safetensors is not a readable checkpoint/],
    ["model.pt", new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]), /model\.pt is a PyTorch pickle .*save_file/],
    ["other.safetensors", serializeSafetensors([["fc.weight", { dtype: "F32", shape: [2, 2], data: new Float32Array(4) }]]), /other\.safetensors/],
    ["mnist-fewstep.safetensors", readFileSync(path.join(repoRoot, "models/mnist-fewstep.safetensors")), /mnist-fewstep\.safetensors is a few-step model .*few-step panel/],
  ];
  for (const [name, bytes, want] of cases) {
    await page.setInputFiles("#ckpt-file", { name, mimeType: "application/octet-stream", buffer: Buffer.from(bytes) });
    await page.waitForFunction((n) => (document.querySelector('[data-testid="load-message"]')?.textContent ?? "").includes(n) && !/^Reading/.test(document.querySelector('[data-testid="load-message"]')?.textContent ?? ""), name, { timeout: 30_000 });
    assert.match((await page.textContent('[data-testid="load-message"]')) ?? "", want);
  }
  // the loaded model is still the one in use after the bad files
  assert.match((await page.textContent('[data-testid="status"]')) ?? "", /unet\.safetensors/);

  // drag and drop anywhere on the page
  await page.evaluate((bytes) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(bytes)], "dropped.safetensors"));
    window.dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, Array.from(bare));
  await page.waitForFunction(() => /Loaded dropped\.safetensors/.test(document.querySelector('[data-testid="load-message"]')?.textContent ?? ""), null, { timeout: 30_000 });
  assertClean(w);
  await page.close();
});

for (const [what, corrupt] of [["missing", null], ["corrupt", new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9])]] as const) {
  test(`a ${what} model file shows a clear message in the page`, { skip, timeout: 120_000 }, async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "flowlab-web-"));
    cpSync(path.join(repoRoot, "dist-web"), dir, { recursive: true });
    const model = path.join(dir, "mnist-cfg.safetensors");
    if (corrupt) writeFileSync(model, corrupt);
    else rmSync(model);
    const s = await serveStatic(dir);
    try {
      const w = await watchedPage(browser!, undefined, true);
      const { page } = w;
      await page.goto(s.url);
      await page.waitForSelector('[data-testid="fatal"]', { timeout: 60_000 });
      assert.match((await page.textContent('[data-testid="fatal"]')) ?? "", corrupt ? /mnist-cfg\.safetensors.*not a readable checkpoint/ : /could not load the model .*HTTP 404/);
      await page.click("#generate");
      assert.match((await page.textContent('[data-testid="run-message"]')) ?? "", /engine is not available/);
      await page.close();
    } finally {
      s.server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test("a browser without WebAssembly SIMD gets a clear message", { skip, timeout: 60_000 }, async () => {
  const page = await browser!.newPage();
  await page.addInitScript(() => {
    WebAssembly.validate = () => false;
  });
  await page.goto(isolated!.url);
  await page.waitForSelector('[data-testid="fatal"]', { timeout: 30_000 });
  assert.match((await page.textContent('[data-testid="fatal"]')) ?? "", /does not support WebAssembly SIMD/);
  await page.close();
});
