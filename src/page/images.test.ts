// Your own images in the page (Debian's chromium via playwright-core): a folder dropped on the page (or
// chosen with the folder picker) is read with the browser's decoders into the same classes, counts, empty
// classes and skip reasons as Node's reader; a few training steps give a colour grid labelled by class; the
// downloaded checkpoint samples in the CLI as a colour grid. The emoji example trains in one click;
// screenshots at desktop and phone sizes.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import { execFileSync } from "node:child_process";
import path from "node:path";
import type { Server } from "node:http";
import type { Browser, Page } from "playwright-core";
import { PNG } from "pngjs";
import { zipSync } from "fflate";
import { setup, repoRoot } from "../testing/helpers.js";
import { serveStatic } from "./serve.js";
import { readCheckpoint } from "../cli/ckpt-io.js";
import { readImageFolder } from "../data/folder.js";
import { nodeDecoder } from "../data/node-decoders.js";
import { PREPARE_DEFAULTS } from "../data/prepare.js";
import { writeTinyFolder, TINY_FOLDER } from "../testing/image-folder.js";
import { CHROMIUM, assertClean, axeViolations, buildSite, launch, setField, waitReady, watchedPage } from "./browser-driver.js";

const skip = !existsSync(CHROMIUM) ? `${CHROMIUM} absent (apt-get install chromium; .ci/run installs it)` : false;
const artifacts = path.join(repoRoot, "test-artifacts");

let site: { server: Server; url: string } | null = null;
let browser: Browser | null = null;

before(async () => {
  if (skip) return;
  await setup(2);
  site = await serveStatic(buildSite(repoRoot, { typecheck: false }));
  browser = await launch();
  mkdirSync(artifacts, { recursive: true });
});
after(async () => {
  await browser?.close();
  site?.server.close();
});

const text = (page: Page, id: string) => page.evaluate((t) => document.querySelector(`[data-testid="${t}"]`)?.textContent ?? "", id);

/** True when some pixel of the canvas is clearly not grey (R, G, B differ). */
const colourCanvas = (page: Page, selector: string) =>
  page.$eval(selector, (c) => {
    const d = (c as HTMLCanvasElement).getContext("2d")!.getImageData(0, 0, 32, 32).data;
    for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i]! - d[i + 2]!) > 20 || Math.abs(d[i]! - d[i + 1]!) > 20) return true;
    return false;
  });

/** Drops a folder of the disk on the page as a user's drag from a file manager does (Chromium's DevTools drag). */
async function dropFolder(page: Page, dir: string): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  const data = { items: [], files: [dir], dragOperationsMask: 1 };
  for (const type of ["dragEnter", "dragOver", "drop"] as const) await cdp.send("Input.dispatchDragEvent", { type, x: 600, y: 400, data });
  await cdp.detach();
}

async function trainFew(page: Page, steps: number): Promise<void> {
  await setField(page, "#train-steps", String(steps));
  await setField(page, "#train-batch", "4");
  await setField(page, "#sample-every", String(steps));
  await page.click("#train");
  await page.waitForFunction(() => /Finished|failed|out of range/.test(document.querySelector('[data-testid="train-message"]')?.textContent ?? ""), null, { timeout: 120_000 });
  assert.match(await text(page, "train-message"), new RegExp(`Finished at step ${steps} of ${steps}`));
}

test("a folder dropped on the page: Node's classes, counts, empty class and skip reasons; trains to a colour grid by class; the checkpoint samples a colour grid in the CLI", { skip, timeout: 240_000 }, async () => {
  const dir = writeTinyFolder();
  const out = mkdtempSync(path.join(os.tmpdir(), "flowlab-page-images-"));
  const w = await watchedPage(browser!);
  const { page } = w;
  try {
    await page.goto(site!.url);
    await waitReady(page);
    assert.match(await text(page, "privacy"), /Nothing leaves this tab/);
    await dropFolder(page, dir);
    await page.waitForFunction(() => !!document.querySelector('[data-testid="images-summary"]') || !!document.querySelector('[data-testid="images-message"]')?.textContent, null, { timeout: 60_000 });
    assert.equal(await text(page, "images-message"), "");
    // the same classes, counts, mode and skip reasons as flowlab train --data folder:DIR
    const node = readImageFolder(dir, PREPARE_DEFAULTS, nodeDecoder).summary;
    assert.deepEqual(node.classNames, [...TINY_FOLDER.classes]);
    const summary = await text(page, "images-summary");
    assert.match(summary, new RegExp(`${node.counts.reduce((a, b) => a + b, 0)} images in 2 classes, colour \\(RGB\\)`));
    const classes = await page.$$eval('[data-testid="image-class"]', (li) => li.map((l) => [l.querySelector(".class-name")?.textContent, Number(l.querySelector(".muted")?.textContent), l.querySelectorAll("canvas").length]));
    assert.deepEqual(classes, node.classNames.map((c, k) => [c, node.counts[k], Math.min(6, node.counts[k]!)]));
    assert.ok(await colourCanvas(page, '[data-testid="image-class"] canvas'), "thumbnails are in colour");
    const skipped = await text(page, "images-skipped");
    for (const s of node.skipped) assert.ok(skipped.includes(`${s.file}: ${s.reason}`), `the page names ${s.file} as Node does: ${s.reason}\n${skipped}`);
    assert.deepEqual(node.emptyClasses, [...TINY_FOLDER.empty]);
    assert.ok(skipped.includes(`1 empty class (${node.emptyClasses.join(", ")})`), `the page names the empty class as Node does\n${skipped}`);

    await trainFew(page, 10);
    assert.deepEqual(await page.$$eval('[data-testid="train-grid"] figcaption', (f) => f.map((x) => x.textContent)), ["blue", "red"]);
    assert.ok(await colourCanvas(page, '[data-testid="train-grid"] canvas'), "the training grid is in colour");
    // the figure on the trained model: rows named by class, no judge figures
    await page.click("#generate");
    await page.waitForFunction(() => !!document.querySelector('[data-testid="no-judge"]') && document.querySelectorAll('[data-testid^="timing-"]').length > 0, null, { timeout: 120_000 });
    assert.deepEqual(await page.$$eval(".fig-label", (l) => l.map((x) => x.textContent)), ["blue", "red", "∅"]);
    assert.equal(await page.$$eval('[data-testid="metrics"]', (t) => t.length), 0, "no judge table for a colour model");

    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download")]);
    const file = path.join(out, download.suggestedFilename());
    await download.saveAs(file);
    const config = readCheckpoint(file).net.config;
    assert.deepEqual([config.channelsIn, config.numClasses, config.classNames], [3, 2, ["blue", "red"]]);
    const png = path.join(out, "grid.png");
    execFileSync(process.execPath, [path.join(repoRoot, "dist/cli/main.js"), "sample", "--ckpt", file, "--png", png, "--steps", "2", "--per-class", "2"], { cwd: repoRoot, stdio: "pipe" });
    const img = PNG.sync.read(readFileSync(png));
    let colour = 0;
    for (let i = 0; i < img.data.length; i += 4) if (Math.abs(img.data[i]! - img.data[i + 2]!) > 30) colour++;
    assert.ok(colour > 100, `the CLI's grid from the page's checkpoint is in colour (${colour} coloured pixels)`);
    assertClean(w);
  } finally {
    await page.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }
});

test("a folder picked or a .zip chosen in the page reads as the same folder would; images dropped on the page are one class; a file that is not a zip gets one clear message", { skip, timeout: 120_000 }, async () => {
  const dir = writeTinyFolder();
  const w = await watchedPage(browser!);
  const { page } = w;
  try {
    const entries: Record<string, Uint8Array> = {};
    for (const c of readdirSync(dir)) for (const f of readdirSync(path.join(dir, c))) entries[`tiny/${c}/${f}`] = readFileSync(path.join(dir, c, f));
    await page.goto(site!.url);
    await waitReady(page);
    const node = readImageFolder(dir, PREPARE_DEFAULTS, nodeDecoder).summary;
    // the folder picker lists files only, so the empty class folder is not seen at all (nothing to train on either way)
    await page.setInputFiles("#images-folder", dir);
    await page.waitForSelector('[data-testid="images-summary"]', { timeout: 60_000 });
    assert.deepEqual(await page.$$eval('[data-testid="image-class"]', (li) => li.map((l) => [l.querySelector(".class-name")?.textContent, Number(l.querySelector(".muted")?.textContent)])), node.classNames.map((c, k) => [c, node.counts[k]]));
    await page.setInputFiles("#images-files", { name: "tiny.zip", mimeType: "application/zip", buffer: Buffer.from(zipSync(entries)) });
    await page.waitForFunction(() => /^tiny: /.test(document.querySelector('[data-testid="images-summary"]')?.textContent ?? ""), null, { timeout: 60_000 });
    assert.match(await text(page, "images-summary"), new RegExp(`^tiny: ${node.counts.reduce((a, b) => a + b, 0)} images in 2 classes`));
    assert.deepEqual(await page.$$eval('[data-testid="image-class"] .class-name', (l) => l.map((x) => x.textContent)), node.classNames);
    const skipped = await text(page, "images-skipped");
    for (const s of node.skipped) assert.ok(skipped.includes(`${s.file}: ${s.reason}`), `${s.file}: ${s.reason}\n${skipped}`);
    // images dropped anywhere on the page (not in a folder) are one class, named "images"
    const png = (name: string) => ({ name, bytes: Array.from(readFileSync(path.join(dir, "red", name))) });
    await page.evaluate((files) => {
      const dt = new DataTransfer();
      for (const f of files) dt.items.add(new File([new Uint8Array(f.bytes)], f.name, { type: "image/png" }));
      window.dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, [png("r0.png"), png("r1.png"), png("r2.png")]);
    await page.waitForFunction(() => /^images: 3 images in 1 class,/.test(document.querySelector('[data-testid="images-summary"]')?.textContent ?? ""), null, { timeout: 30_000 });
    await page.setInputFiles("#images-files", { name: "broken.zip", mimeType: "application/zip", buffer: Buffer.from("PK not really a zip") });
    await page.waitForFunction(() => /broken\.zip is not a readable zip/.test(document.querySelector('[data-testid="images-message"]')?.textContent ?? ""), null, { timeout: 30_000 });
    assertClean(w);
  } finally {
    await page.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the emoji example in one click: its licence, 9 classes, a colour grid by class name, the sidebar, figure and time panel by class name, the figure within its card, axe clean; screenshots at 1440×900 and 390×844", { skip, timeout: 300_000 }, async () => {
  for (const [name, viewport] of [["desktop", { width: 1440, height: 900 }], ["phone", { width: 390, height: 844 }]] as const) {
    const w = await watchedPage(browser!, viewport);
    const { page } = w;
    await page.goto(site!.url);
    await waitReady(page);
    await page.click("#emoji-example");
    await page.waitForSelector('[data-testid="images-summary"]', { timeout: 60_000 });
    assert.match(await text(page, "images-summary"), /emoji: 885 images in 9 classes, colour \(RGB\)/);
    assert.match(await text(page, "images-notice"), /Noto Emoji \(Apache License 2\.0/);
    await trainFew(page, 10);
    const captions = await page.$$eval('[data-testid="train-grid"] figcaption', (f) => f.map((x) => x.textContent));
    assert.deepEqual(captions, ["activities", "animals", "flags", "food", "objects", "people", "smileys", "symbols", "travel"]);
    await page.click("#generate");
    await page.waitForSelector('[data-testid="no-judge"]', { timeout: 120_000 });
    assert.ok(await page.isVisible('[data-testid="live-needs-distilled"]'), "the few-step panel says it needs a distilled model");
    // the sidebar names the model's classes instead of offering digit boxes
    assert.match(await text(page, "rows-named"), new RegExp(`${captions.join(", ")} and ∅`));
    assert.equal(await page.$$eval('input[id^="digit-"]', (i) => i.length), 0, "no digit boxes for a model with named classes");
    assert.equal(await page.textContent('label[for="per-class"]'), "Per class");
    // the figure fits its card at both sizes: on the phone the class names go above their rows
    const [scroll, client, stacked] = await page.$eval('[data-testid="figure"]', (f) => [f.scrollWidth, f.clientWidth, f.classList.contains("stacked")] as const);
    assert.ok(scroll <= client, `the ${name} figure fits its card (${scroll} px wide in ${client} px)`);
    assert.equal(stacked, name === "phone", `class names above their rows at ${name} size`);
    // the time panel follows a sample named by its class, in colour
    await page.waitForSelector('[data-testid="timing-0"]', { timeout: 120_000 });
    await page.click('[data-tile="0-2"]');
    await page.waitForFunction(() => /Following a sample of animals at w = 0, sample 1\./.test(document.querySelector('section[aria-labelledby="time-h"]')?.textContent ?? ""), null, { timeout: 60_000 });
    assert.ok(await colourCanvas(page, '[data-testid="scrub-x"]'), "x_t is drawn in colour");
    assert.deepEqual(await axeViolations(page, readFileSync(path.join(repoRoot, "node_modules/axe-core/axe.min.js"), "utf8")), [], `axe at ${name} size with the emoji summary and a colour model`);
    await page.locator("#figure-h").scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(artifacts, `web-emoji-${name}-figure.png`) });
    await page.locator("#images-h").scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(artifacts, `web-emoji-${name}.png`) });
    assertClean(w);
    await page.close();
  }
});
