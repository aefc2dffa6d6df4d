// Issue 26's leftovers in headless Chromium: a colour model's page speaks of images (intro, path panel,
// "Per class"), a finished training reads as success, and at w = 0 the interval costs one pass per stage.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Server } from "node:http";
import type { Browser, Page } from "playwright-core";
import { setup, repoRoot } from "../testing/helpers.js";
import { serveStatic } from "./serve.js";
import { initUNet } from "../nn/unet.js";
import { encodeCheckpoint } from "../train/checkpoint.js";
import { CHROMIUM, assertClean, buildSite, launch, waitReady, waitRunDone, watchedPage } from "./browser-driver.js";

const EMOJI = path.join(repoRoot, "models/emoji-cfg.safetensors");
const skip = !existsSync(CHROMIUM) ? `${CHROMIUM} absent (apt-get install chromium)` : !existsSync(EMOJI) ? "no emoji model" : false;

let site: { server: Server; url: string } | null = null;
let browser: Browser | null = null;
before(async () => {
  if (skip) return;
  await setup(1);
  site = await serveStatic(buildSite(repoRoot, { typecheck: false }));
  browser = await launch();
});
after(async () => {
  await browser?.close();
  site?.server.close();
});

async function load(page: Page, name: string, bytes: Uint8Array): Promise<void> {
  await page.setInputFiles("#ckpt-file", { name, mimeType: "application/octet-stream", buffer: Buffer.from(bytes) });
  await page.waitForFunction((n) => (document.querySelector('[data-testid="load-message"]')?.textContent ?? "").includes(`Loaded ${n}`), name, { timeout: 60_000 });
}
const text = async (page: Page, sel: string) => ((await page.textContent(sel)) ?? "").replace(/\s+/g, " ");
const perClassLabel = (page: Page) => text(page, 'label[for="per-class"]');

test("a colour model: the intro and the explainers speak of images and name its classes, the path panel says z is MNIST's, Per class", { skip, timeout: 180_000 }, async () => {
  const w = await watchedPage(browser!);
  const { page } = w;
  await page.goto(site!.url);
  await waitReady(page);
  assert.match(await text(page, '[data-testid="intro"]'), /noise into MNIST digits .* Try first: drag w in the few-step card, click a digit in the figure/);
  assert.equal(await page.$('[data-testid="path-mnist-note"]'), null, "the shipped MNIST model needs no note");
  assert.equal((await perClassLabel(page)).trim(), "Per digit");
  await load(page, "emoji-cfg.safetensors", readFileSync(EMOJI));
  const intro = await text(page, '[data-testid="intro"]');
  assert.doesNotMatch(intro, /into MNIST digits|recognisable digits|click a digit|few-step card/, intro);
  assert.match(intro, /noise into images .* recognisable images.* Try first: click a sample in the figure/);
  assert.match(await text(page, '[data-testid="intro-draws"]'), /animals.*food/);
  assert.match(await text(page, '[data-testid="path-mnist-note"]'), /MNIST test digits, not one of the loaded model's images/);
  assert.equal((await perClassLabel(page)).trim(), "Per class");
  const body = await page.innerText("body");
  assert.match(body, /from noise at[\s\S]{0,80}to an image at/, "the time panel's explainer ends at an image");
  assert.match(body, /how often flowlab’s judge reads the class asked for/);
  assert.doesNotMatch(body, /to a digit at|reads the digit asked for|samples of one digit/, "no explainer speaks of digits for the emoji model");
  // a colour model without class names is not a digit model either
  const colour = initUNet({ channels: [4, 8], numResidualLayers: 1, tEmbedDim: 4, yEmbedDim: 4, numClasses: 3, channelsIn: 3, channelsOut: 3 }, 1);
  await load(page, "colour.safetensors", encodeCheckpoint({ net: colour, ema: null, adam: null, record: null }));
  assert.equal((await perClassLabel(page)).trim(), "Per class");
  assert.match(await text(page, '[data-testid="intro-draws"]'), /colour images of 3 classes/);
  assert.ok(await page.$('[data-testid="path-mnist-note"]'));
  assertClean(w);
  await page.close();
});

test("a finished training's message reads as success (the theme's ok colour), not as an error", { skip, timeout: 180_000 }, async () => {
  const w = await watchedPage(browser!);
  const { page } = w;
  await page.goto(`${site!.url}?trainSteps=10&trainBatch=2&sampleEvery=10`);
  await waitReady(page);
  await page.click("#train");
  await page.waitForFunction(() => /Finished at step 10 of 10/.test(document.querySelector('[data-testid="train-message"]')?.textContent ?? ""), null, { timeout: 120_000 });
  const [colour, ok, error] = await page.$eval('[data-testid="train-message"]', (el) => {
    const probe = (v: string) => {
      const s = document.createElement("span");
      s.style.color = `var(${v})`;
      document.body.append(s);
      const c = getComputedStyle(s).color;
      s.remove();
      return c;
    };
    return [getComputedStyle(el).color, probe("--ok"), probe("--error")];
  });
  assert.notEqual(ok, error);
  assert.equal(colour, ok);
  assert.equal(await page.getAttribute('[data-testid="train-message"]', "role"), "status");
  assertClean(w);
  await page.close();
});

test("interval guidance at w = 0: one pass per stage (10 NFE for 5 midpoint steps), and the time panel says which part was not evaluated at each t", { skip, timeout: 180_000 }, async () => {
  const w = await watchedPage(browser!);
  const { page } = w;
  await page.goto(`${site!.url}?classes=7&w=0,3&steps=5&perClass=1&guidance=interval`);
  await waitReady(page);
  await page.click("#generate");
  await waitRunDone(page, 2);
  assert.match(await text(page, '[data-testid="timing-0"]'), /^w = 0: 5 midpoint steps, 10 NFE in/);
  assert.match(await text(page, '[data-testid="timing-1"]'), /^w = 3: 5 midpoint steps, 16 NFE in/);
  const setFrame = (k: number) => page.$eval("#frame", (el, v) => {
    const input = el as HTMLInputElement;
    input.value = String(v);
    input.dispatchEvent(new Event("input", { bubbles: true }));
  }, k);
  await page.click('[data-tile="0-0"]');
  // t = 0 lies outside the interval [0.16, 0.78]: u(x|y) alone
  await setFrame(0);
  assert.equal(await page.$$eval('[data-testid="field-cond"] canvas', (c) => c.length), 1);
  assert.match(await text(page, '[data-testid="field-uncond"]'), /not evaluated at this t/);
  assert.equal(await page.$('[data-testid="field-direction"]'), null);
  // t = 0.2 lies inside: u(x|∅) alone
  await setFrame(1);
  assert.match(await text(page, '[data-testid="field-cond"]'), /not evaluated at this t/);
  assert.equal(await page.$$eval('[data-testid="field-uncond"] canvas', (c) => c.length), 1);
  assertClean(w);
  await page.close();
});
