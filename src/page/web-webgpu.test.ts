// The page on WebGPU in headless Chromium (SwiftShader, a CPU implementation: correct and slow): the
// backend switch, training a few steps, a drawn grid, and the Benchmark button's figures beside
// WebAssembly's. Skipped with one line where Chromium is missing or gives no WebGPU adapter.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import path from "node:path";
import type { Server } from "node:http";
import type { Browser } from "playwright-core";
import { repoRoot } from "../testing/helpers.js";
import { serveStatic } from "./serve.js";
import { CHROMIUM, assertClean, buildSite, launch, launchWebGpu, readTile, waitReady, waitRunDone, watchedPage } from "./browser-driver.js";

const MODEL = path.join(repoRoot, "models/mnist-cfg.safetensors");
const absent = !existsSync(CHROMIUM) ? `${CHROMIUM} absent (apt-get install chromium)` : !existsSync(MODEL) ? "no shipped model" : false;

let site: { server: Server; url: string } | null = null;
let browser: Browser | null = null;

before(async () => {
  if (absent) return;
  site = await serveStatic(buildSite(repoRoot, { typecheck: false }));
  browser = await launchWebGpu();
});
after(async () => {
  await browser?.close();
  site?.server.close();
});

const text = async (page: import("playwright-core").Page, testid: string) => (await page.textContent(`[data-testid="${testid}"]`)) ?? "";

// SwiftShader takes tens of seconds a training step of the page's U-Net, so: batch 2, two steps, a figure
// of one Euler step for two digits, and a benchmark at batch 2
test("the page on WebGPU: the switch restarts the engine there, training shows a finite loss, Generate draws tiles, Benchmark reports figures beside WebAssembly's", { skip: absent, timeout: 900_000 }, async (t) => {
  const w = await watchedPage(browser!);
  const { page } = w;
  await page.goto(`${site!.url}?classes=3,7&w=3&steps=1&perClass=1&solver=euler&trainSteps=10&trainBatch=2&sampleEvery=5`);
  await waitReady(page);
  await waitRunDone(page, 1); // the figure drawn on arrival, on WebAssembly
  assert.match(await text(page, "backend-status"), /Running on WebAssembly\./);
  await page.waitForFunction(() => !/asking the browser/.test(document.querySelector('[data-testid="webgpu-reason"]')?.textContent ?? ""));
  if (await page.isDisabled("#backend-webgpu")) return t.skip(`webgpu: ${await text(page, "webgpu-reason")}`);

  await page.click("#backend-webgpu");
  await page.waitForFunction(() => /Running on WebGPU/.test(document.querySelector('[data-testid="backend-status"]')?.textContent ?? ""), null, { timeout: 120_000 });
  t.diagnostic(await text(page, "backend-status"));
  assert.match(await text(page, "status"), /^\s*Ready: mnist-cfg\.safetensors/, "the restarted engine keeps the model");

  // train two steps on WebGPU: the loss appears and is finite
  await page.click("#train");
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="train-step"]')?.textContent ?? 0) >= 2 || /failed/.test(document.querySelector('[data-testid="train-message"]')?.textContent ?? ""), null, { timeout: 400_000 });
  assert.doesNotMatch(await text(page, "train-message"), /failed/);
  await page.click("#stop-train");
  await page.waitForFunction(() => /Stopped at step \d+ of 10/.test(document.querySelector('[data-testid="train-message"]')?.textContent ?? ""), null, { timeout: 300_000 });
  const losses = ((await page.getAttribute('[aria-labelledby="train-panel-h"]', "data-losses")) ?? "").split(",").map(Number);
  t.diagnostic(`losses on WebGPU: ${losses.map((l) => l.toFixed(3)).join(" ")}`);
  assert.ok(losses.length >= 2 && losses.every((l) => Number.isFinite(l) && l > 0), `losses ${losses.join(", ")}`);
  assert.match(await text(page, "train-stats"), /loss [\d.]+ · \d+ samples\/s on WebGPU ·/, "the stats line says where the steps ran");

  // Generate with the trained model on WebGPU: tiles drawn (not blank), judged on WebAssembly
  await page.click("#generate");
  await waitRunDone(page, 1, 300_000);
  for (const [i, c] of [3, 7].entries()) {
    const tile = await readTile(page, `[data-testid="tile-0-${i}"]`);
    const levels = new Set(tile);
    assert.ok(levels.size > 20, `the tile of class ${c} is blank or flat (${levels.size} grey levels)`);
  }
  assert.match(await text(page, "backend-status"), /Running on WebGPU/);

  // Benchmark: figures on WebGPU and, in the same sitting, on WebAssembly
  await page.click("#benchmark");
  await page.waitForSelector('[data-testid="bench-figures"]', { timeout: 400_000 });
  const figures = await page.$$eval('[data-testid="bench-figures"] tbody tr', (rows) => rows.map((r) => [r.getAttribute("data-backend"), ...Array.from(r.querySelectorAll("td"), (d) => Number(d.textContent))]));
  t.diagnostic(`benchmark (training samples/s, sampling images/s): ${JSON.stringify(figures)}`);
  assert.deepEqual(figures.map((f) => f[0]), ["webgpu", "wasm"]);
  for (const f of figures) for (const v of f.slice(1) as number[]) assert.ok(Number.isFinite(v) && v > 0, `figure ${v} on ${f[0]}`);
  assert.match(await text(page, "bench-ratio"), /WebGPU is [\d.]+× WebAssembly in training and [\d.]+× in sampling here/);
  assertClean(w);
  await page.close();
});

test("Chromium without WebGPU flags: the WebGPU switch is disabled with its one-line reason; Benchmark reports WebAssembly alone", { skip: absent, timeout: 180_000 }, async () => {
  const plain = await launch(); // --disable-gpu and no unsafe-WebGPU flags: navigator.gpu gives no adapter
  const w = await watchedPage(plain);
  const { page } = w;
  await page.goto(`${site!.url}?classes=7&w=3&steps=1&perClass=1&solver=euler&trainBatch=4`);
  await waitReady(page);
  await waitRunDone(page, 1);
  await page.click("#benchmark");
  await page.waitForSelector('[data-testid="bench-figures"]', { timeout: 120_000 });
  const rows = await page.$$eval('[data-testid="bench-figures"] tbody tr', (r) => r.map((x) => [x.getAttribute("data-backend"), ...Array.from(x.querySelectorAll("td"), (d) => Number(d.textContent))]));
  assert.equal(rows.length, 1);
  assert.equal(rows[0]![0], "wasm");
  for (const v of rows[0]!.slice(1) as number[]) assert.ok(Number.isFinite(v) && v > 0);
  assert.equal(await page.isVisible('[data-testid="bench-ratio"]'), false);
  await page.waitForFunction(() => !/asking the browser/.test(document.querySelector('[data-testid="webgpu-reason"]')?.textContent ?? ""));
  assert.equal(await page.isDisabled("#backend-webgpu"), true);
  assert.match(await text(page, "webgpu-reason"), /^WebGPU is off: (this browser has no WebGPU \(navigator\.gpu\)|WebGPU gives no adapter here \(no usable GPU or driver\))\.$/);
  assert.match(await text(page, "backend-status"), /Running on WebAssembly\./);
  assertClean(w);
  await plain.close();
});
