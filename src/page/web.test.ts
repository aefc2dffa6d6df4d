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
import { CFG } from "../flow/guidance-methods.js";
import { timeGrid } from "../solvers/simulate.js";
import { parseSafetensors, serializeSafetensors } from "../io/safetensors.js";
import { tinyCheckpoint } from "../testing/tiny-data.js";
import { CHROMIUM, assertClean, axeViolations, buildSite, chooseClasses, launch, maxLevelDiff, readTile, toLevels, waitReady, waitRunDone, watchedPage } from "./browser-driver.js";

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
  // the same steps as npm run build:web: the page's strict typecheck (TypeScript and Svelte), then the bundle
  const site = buildSite(repoRoot, { typecheck: true });
  isolated = await serveStatic(site);
  // a plain static host (no COOP/COEP) serving the page under a subpath, as GitHub Pages does
  plain = await serveStatic(site, { isolate: false, prefix: "/pages/flowlab/" });
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
  await page.goto(`${isolated!.url}?steps=10&perClass=1`); // 10 steps, so frame 3 is t = 0.3 (the page's default is GENERATE_DEFAULTS' 5); one digit per class
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
  await page.goto(`${isolated!.url}?classes=7&w=3&steps=2`); // a cheap figure on arrival, so the slider is not kept waiting
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
  await w2.page.goto(`${isolated!.url}?liveW=9&classes=7&w=3&steps=2`);
  await waitReady(w2.page);
  await w2.page.waitForSelector('[data-testid="live-grid"]', { timeout: 60_000 });
  const max = await w2.page.getAttribute("#live-w", "max");
  await w2.page.waitForFunction((m) => document.querySelector('[data-testid="live-w"]')?.textContent === Number(m).toFixed(1), max);
  assertClean(w2);
  await w2.page.close();
});

/** A velocity tile's red levels as the page paints it (draw.ts: blue below 0, orange above, white at 0). */
function fieldRed(v: ArrayLike<number>, scale: number, offset = 0): number[] {
  return Array.from({ length: 1024 }, (_, i) => {
    const u = Math.max(-1, Math.min(1, v[offset + i]! / (scale || 1)));
    return Math.round(255 + ((u >= 0 ? 230 : 33) - 255) * Math.abs(u));
  });
}
const maxAbsOf = (a: ArrayLike<number>, offset = 0) => Array.from({ length: 1024 }, (_, i) => Math.abs(a[offset + i]!)).reduce((m, v) => Math.max(m, v), 0);
/** The TeX sources KaTeX keeps beside what it typesets, under a selector. */
const texOf = (page: import("playwright-core").Page, sel: string) => page.$$eval(`${sel} annotation`, (as) => as.map((a) => a.textContent ?? ""));

test("issue 26: a link draws its figure on arrival, few-step grid first, and reopens its view (followed sample, frame, t, open panels)", { skip, timeout: 180_000 }, async () => {
  const w = await watchedPage(browser!);
  const { page } = w;
  // record when the few-step grid and the figure's first column appear
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { arrivalOrder: string[] }).arrivalOrder = seen;
    new MutationObserver(() => {
      for (const [name, sel] of [["live", '[data-testid="live-grid"]'], ["figure", '[data-testid="timing-0"]']] as const) {
        if (!seen.includes(name) && document.querySelector(sel)) seen.push(name);
      }
    }).observe(document, { childList: true, subtree: true });
  });
  await page.goto(`${isolated!.url}?classes=3,7&w=0,3&steps=2&perClass=1&follow=1&followW=1&frame=1&t=0.3&open=fewstep,loss`);
  await waitReady(page);
  // nobody presses Generate
  await waitRunDone(page, 2);
  assert.deepEqual(await page.evaluate(() => (window as unknown as { arrivalOrder: string[] }).arrivalOrder), ["live", "figure"], "the cheap few-step grid comes first");
  assert.match((await page.textContent('[aria-labelledby="time-h"]')) ?? "", /Following a 7 at w = 3, sample 1/);
  assert.equal(await page.textContent('[data-testid="frame-t"]'), "0.500");
  assert.equal(await page.getAttribute('[data-tile="1-1"]', "aria-pressed"), "true");
  assert.equal(await page.textContent('[data-testid="path-t"]'), "0.30");
  assert.equal(await page.$eval("#details-fewstep", (d) => (d as HTMLDetailsElement).open), true);
  assert.equal(await page.$eval("#details-loss", (d) => (d as HTMLDetailsElement).open), true);
  // closing a panel and choosing another sample are in the link at once
  await page.click("#details-loss summary");
  await page.click('[data-tile="0-0"]');
  await page.waitForFunction(() => /open=fewstep(&|$)/.test(location.search) && /followW=0/.test(location.search) && /follow=0/.test(location.search));
  assertClean(w);
  await page.close();
});

test("issue 26: the 2-D flow learns in the page: the loss falls, particles land on the data, w pulls them into the chosen class", { skip, timeout: 180_000 }, async () => {
  const w = await watchedPage(browser!);
  const { page } = w;
  await page.goto(`${isolated!.url}?classes=7&w=3&steps=2`);
  await waitReady(page);
  // it starts learning once on screen
  await page.$eval("#toy-h", (h) => h.scrollIntoView());
  await page.waitForFunction(() => /· done/.test(document.querySelector('[data-testid="toy-status"]')?.textContent ?? ""), null, { timeout: 120_000 });
  const losses = ((await page.getAttribute('[data-testid="toy-status"]', "data-losses")) ?? "").split(",").map(Number);
  assert.equal(losses.length, 600);
  const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
  assert.ok(mean(losses.slice(-50)) < 0.85 * mean(losses.slice(0, 50)), `loss ${mean(losses.slice(0, 50))} → ${mean(losses.slice(-50))}`);
  const { TOY_SETS } = await import("../toy/datasets.js");
  const moons = TOY_SETS.moons;
  /** The particles at t = 1 once the view for (y, w, 20 steps) is shown. */
  const landed = async (y: number, wv: number): Promise<number[][]> => {
    await page.selectOption("#toy-class", String(y));
    await page.fill("#toy-w", String(wv));
    await page.waitForFunction((v) => document.querySelector('[data-testid="toy-canvas"]')?.getAttribute("data-view") === v, `${y},${wv},20`, { timeout: 20_000 });
    const flat = ((await page.getAttribute('[data-testid="toy-canvas"]', "data-final")) ?? "").split(",").map(Number);
    return Array.from({ length: flat.length / 2 }, (_, i) => [flat[2 * i]!, flat[2 * i + 1]!]);
  };
  const free = await landed(moons.numClasses, 1);
  const near = free.filter(([x, y]) => moons.distance(x!, y!) < 0.3).length;
  assert.ok(near / free.length > 0.75, `${near} of ${free.length} particles within 0.3 of the moons`);
  const share = (ps: number[][]) => ps.filter(([x, y]) => moons.classOf(x!, y!) === 0).length / ps.length;
  const at0 = share(await landed(0, 0)), at3 = share(await landed(0, 3));
  assert.ok(at3 > 0.9 && at3 > at0 + 0.3, `share in class 0 at w = 0: ${at0}, at w = 3: ${at3}`);
  // t moves the particles back toward the noise at once
  await page.fill("#toy-t", "0");
  assert.match((await page.getAttribute('[aria-labelledby="toy-h"] .toy-view', "aria-label")) ?? "", /t = 0\.00/);
  // the 2-D view is in the link too
  await page.waitForFunction(() => /toyT=0(&|$)/.test(location.search));
  assertClean(w);
  await page.close();
  const again = await watchedPage(browser!);
  await again.page.goto(`${isolated!.url}?classes=7&w=3&steps=2&toySet=gaussians&toyClass=3&toyW=0.5&toySteps=7&toyT=0.25`);
  await waitReady(again.page);
  const v = (id: string) => again.page.$eval(id, (e) => (e as HTMLInputElement).value);
  assert.deepEqual([await v("#toy-set"), await v("#toy-class"), await v("#toy-w"), await v("#toy-steps"), await v("#toy-t")], ["gaussians", "3", "0.5", "7", "0.25"]);
  assertClean(again);
  await again.page.close();
});

test("issue 26: the model's anatomy is a drawn diagram with the loaded model's shapes, keyboard reachable and expandable, highlights each block's terms, and is axe clean", { skip, timeout: 120_000 }, async () => {
  const w = await watchedPage(browser!);
  const { page } = w;
  await page.goto(`${isolated!.url}?classes=7&w=3&steps=2&open=anatomy`);
  await waitReady(page);
  assert.equal(await page.$eval("#details-anatomy", (d) => (d as HTMLDetailsElement).open), true, "the link opens it");
  const c = readCheckpoint(MODEL).net.config;
  const text = (id: string) => page.textContent(`[data-block="${id}"]`).then((t) => (t ?? "").replace(/\s+/g, " "));
  assert.match(await text("emb-t"), new RegExp(`\\[${c.tEmbedDim}\\]`));
  assert.match(await text("emb-y"), new RegExp(`\\[${c.yEmbedDim}\\]`));
  assert.ok((await text("enc-0")).includes(`[${c.channels[0]}, 32, 32] → [${c.channels[1]}, 16, 16]`), await text("enc-0"));
  const L = c.channels.length;
  assert.ok((await text("mid")).includes(`[${c.channels[L - 1]}, ${32 >> (L - 1)}, ${32 >> (L - 1)}]`), await text("mid"));
  // keyboard: from the summary, Tab walks the blocks in data-flow order; each focused block lights its terms
  await page.focus("#details-anatomy summary");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("data-block")), "in-x");
  const lit = () => page.$$eval(".terms .term.hl[data-term]", (ts) => ts.map((t) => t.getAttribute("data-term")));
  assert.deepEqual(await lit(), ["x"]);
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("data-block")), "in-t");
  assert.deepEqual(await lit(), ["t"]);
  await page.focus('[data-block="mix"]');
  assert.ok((await lit()).includes("w") && (await lit()).includes("null"), (await lit()).join(","));
  // hovering does the same
  await page.hover('[data-block="emb-y"]');
  assert.ok((await lit()).includes("e") && !(await lit()).includes("w"), (await lit()).join(","));
  // a drawn diagram: every block is a box inside one SVG, in data-flow order, with the arrows between them
  const drawn = await page.$$eval("#details-anatomy svg g[data-block]", (gs) => gs.map((g) => {
    const r = g.querySelector("rect")!.getBoundingClientRect();
    return { id: g.getAttribute("data-block"), role: g.getAttribute("role"), tab: g.getAttribute("tabindex"), w: r.width, h: r.height };
  }));
  const ids = ["in-x", "in-t", "in-y", "emb-t", "emb-y", "init", ...c.channels.slice(1).map((_, i) => `enc-${i}`), "mid", ...c.channels.slice(1).map((_, i) => `dec-${L - 2 - i}`), "out", "mix"];
  assert.deepEqual(drawn.map((d) => d.id), ids);
  for (const d of drawn) assert.ok(d.role === "button" && d.tab === "0" && d.w > 60 && d.h > 25, JSON.stringify(d));
  assert.ok((await page.$$("#details-anatomy svg path.wire.skip")).length === L - 1, "a skip arrow per encoder");
  // the lit block is drawn lit, and only blocks that share a lit term
  await page.focus('[data-block="in-x"]');
  assert.deepEqual(await page.$$eval("#details-anatomy g.block.lit", (gs) => gs.map((g) => g.getAttribute("data-block"))), ["in-x", "init"]);
  // expandable: Enter and Space toggle a block, clicking too; an expanded block says what it does
  const expanded = (id: string) => page.getAttribute(`[data-block="${id}"]`, "aria-expanded");
  const note = (id: string) => page.textContent(`#anatomy-notes [data-note="${id}"]`, { timeout: 2000 }).catch(() => null);
  await page.focus('[data-block="emb-t"]');
  await page.keyboard.press("Enter");
  assert.equal(await expanded("emb-t"), "true");
  assert.match((await note("emb-t")) ?? "", new RegExp(`${c.tEmbedDim / 2} learned frequencies`));
  await page.focus('[data-block="mid"]');
  await page.keyboard.press(" ");
  assert.equal(await expanded("mid"), "true");
  assert.match((await note("mid")) ?? "", new RegExp(`${c.numResidualLayers} residual block`));
  await page.keyboard.press(" ");
  assert.equal(await expanded("mid"), "false");
  assert.equal(await page.$('#anatomy-notes [data-note="mid"]'), null, "collapsed again");
  await page.click('[data-block="mix"]');
  assert.equal(await expanded("mix"), "true");
  assert.match((await note("mix")) ?? "", /for y and for ∅/);
  // the last expanded block keeps its terms lit once the pointer and focus leave
  await page.mouse.move(1, 1);
  await page.focus("#details-anatomy summary");
  assert.ok((await lit()).includes("w"), (await lit()).join(","));
  const axe = axeSource();
  assert.deepEqual(await axeViolations(page, axe), [], "light");
  await page.selectOption("#theme", "dark");
  assert.deepEqual(await axeViolations(page, axe), [], "dark");
  // another model draws its own shapes: a two-level model of channels [4, 8] has one encoder and one decoder
  await page.setInputFiles("#ckpt-file", { name: "tiny.safetensors", mimeType: "application/octet-stream", buffer: Buffer.from(tinyCheckpoint(1).bytes) });
  await page.waitForFunction(() => /Loaded tiny\.safetensors/.test(document.querySelector('[data-testid="load-message"]')?.textContent ?? ""), null, { timeout: 30_000 });
  assert.ok((await text("enc-0")).includes("[4, 32, 32] → [8, 16, 16]"), await text("enc-0"));
  assert.ok((await text("mid")).includes("[8, 16, 16]"), await text("mid"));
  assert.equal(await page.$('[data-block="enc-1"]'), null);
  assert.equal(await page.$$eval("#details-anatomy svg g[data-block]", (gs) => gs.length), 11);
  assertClean(w);
  await page.close();
});

test("issue 26: screenshots at 1440×900 and 390×844, light and dark, after the figure drew itself", { skip, timeout: 240_000 }, async () => {
  for (const [name, viewport] of [["desktop-1440", { width: 1440, height: 900 }], ["phone-390", { width: 390, height: 844 }]] as const) {
    const w = await watchedPage(browser!, viewport);
    const { page } = w;
    await page.goto(`${isolated!.url}?theme=light`);
    await waitReady(page);
    await waitRunDone(page, 5);
    await page.screenshot({ path: path.join(artifacts, `web-${name}-light.png`) });
    await page.selectOption("#theme", "dark");
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(artifacts, `web-${name}-dark.png`) });
    assert.deepEqual(await axeViolations(page, axeSource()), [], `${name}, dark`);
    assertClean(w);
    await page.close();
  }
});

test("issue 26: w = 0 makes one pass and labels its fields; the ∅ row shows one field; the guidance direction; costs computed from the defaults", { skip, timeout: 240_000 }, async () => {
  const w = await watchedPage(browser!);
  const { page } = w;
  await page.goto(`${isolated!.url}?classes=7,10&w=0,3&steps=2&perClass=1&guidance=cfg`);
  await waitReady(page);
  await page.click("#generate");
  await waitRunDone(page, 2);
  // at w = 0 only u(x|∅) is needed: 2 midpoint steps × 2 evaluations × 1 pass, not × 2
  assert.match((await page.textContent('[data-testid="timing-0"]')) ?? "", /^w = 0: 2 midpoint steps, 4 NFE in/);
  assert.match((await page.textContent('[data-testid="timing-1"]')) ?? "", /^w = 3: 2 midpoint steps, 8 NFE in/);
  // and draws what generate() draws at w = 0 with both passes, from the same noise
  const net = samplingNet(readCheckpoint(MODEL));
  const node0 = generate(net, { classes: [7, 10], w: 0, steps: 2, solver: "midpoint", seed: 0, guidance: CFG });
  const img0 = node0.images.toFloat32Array();
  node0.images.dispose();
  assert.ok(maxLevelDiff(await readTile(page, '[data-testid="tile-0-0"]'), toLevels(img0, 0)) <= 2, "the 7 at w = 0 is Node's");
  assert.ok(maxLevelDiff(await readTile(page, '[data-testid="tile-0-1"]'), toLevels(img0, 1024)) <= 2, "the ∅ at w = 0 is Node's");

  const setFrame = (k: number) => page.$eval("#frame", (el, v) => {
    const input = el as HTMLInputElement;
    input.value = String(v);
    input.dispatchEvent(new Event("input", { bubbles: true }));
  }, k);
  // the 7 at w = 0: u(x|y) was not evaluated, and the panel says so instead of showing one
  await page.click('[data-tile="0-0"]');
  await setFrame(1);
  assert.match((await page.textContent('[data-testid="field-cond"]')) ?? "", /not evaluated at w = 0/);
  assert.equal(await page.$$eval('[data-testid="field-uncond"] canvas', (c) => c.length), 1, "u(x|∅) is shown at w = 0");
  assert.equal(await page.$('[data-testid="field-direction"]'), null);
  // the ∅ row at w = 3: one field, labelled u(x|∅), never u(x|y)
  await page.click('[data-tile="1-1"]');
  await setFrame(1);
  assert.equal(await page.$('[data-testid="field-cond"]'), null, "the ∅ row has no u(x|y) tile");
  assert.deepEqual(await texOf(page, '[data-testid="field-uncond"] figcaption'), ["u_t(x\\mid\\varnothing)"]);
  assert.ok(await page.$('[data-testid="field-note"]'));
  // the 7 at w = 3: the guidance direction u(x|y) − u(x|∅) is Node's, on the panel's shared colour scale
  await page.click('[data-tile="1-0"]');
  await setFrame(1);
  let parts: { drift: Float32Array; cond: Float32Array; uncond: Float32Array } | null = null;
  const g3 = generate(net, {
    classes: [7, 10], w: 3, steps: 2, solver: "midpoint", seed: 0, guidance: CFG,
    onStep: (st) => {
      if (st.done === 2) parts = { drift: st.drift.toFloat32Array().slice(0, 1024), cond: st.cond!.toFloat32Array().slice(0, 1024), uncond: st.guiding!.toFloat32Array().slice(0, 1024) };
    },
  });
  g3.images.dispose();
  const { drift, cond, uncond } = parts!;
  const dir = cond.map((v, i) => v - uncond[i]!);
  const scale = Math.max(maxAbsOf(drift), maxAbsOf(cond), maxAbsOf(uncond), maxAbsOf(dir));
  assert.ok(maxLevelDiff(await readTile(page, '[data-testid="scrub-direction"]'), fieldRed(dir, scale)) <= 3, "the guidance direction");
  assert.ok(maxAbsOf(dir) > 0.05 * scale, "the direction is not zero");

  // the few-step card's costs are computed: the library's defaults and this figure's own sampler
  const nfeOf = (o: Parameters<typeof generate>[1]) => {
    const g = generate(net, o);
    g.images.dispose();
    return g.nfe;
  };
  await page.waitForSelector('[data-testid="library-passes"]', { timeout: 60_000 });
  assert.equal(Number(await page.textContent('[data-testid="library-passes"]')), nfeOf({ classes: [0] }), "flowlab's default sampler");
  assert.equal(Number(await page.textContent('[data-testid="figure-passes"]')), nfeOf({ classes: [0], w: 3, steps: 2, solver: "midpoint", guidance: CFG }), "the figure's sampler (CFG, as its link asks) at its largest w");
  T.disposeAll(net.params);
  assertClean(w);
  await page.close();
});

test("issue 26: messages under their fields, disclosure triangles, the √ option whole, the explanations, the stale figure and Restore shipped model", { skip, timeout: 240_000 }, async () => {
  const w = await watchedPage(browser!);
  const { page } = w;
  await page.goto(`${isolated!.url}?classes=7&w=3&steps=2`);
  await waitReady(page);
  // the Steps message sits right under Steps, not under another field
  await page.fill("#steps", "");
  const [steps, msg] = await Promise.all(["#steps", "#steps-msg"].map((s) => page.$eval(s, (e) => { const r = e.getBoundingClientRect(); return { top: r.top, bottom: r.bottom, left: r.left }; })));
  assert.ok(msg!.top >= steps!.bottom - 1 && msg!.top - steps!.bottom < 12 && Math.abs(msg!.left - steps!.left) < 4, `Steps at ${JSON.stringify(steps)}, its message at ${JSON.stringify(msg)}`);
  await page.fill("#steps", "2");
  // every disclosure keeps its triangle
  const displays = await page.$$eval("details summary", (ss) => ss.map((s) => getComputedStyle(s).display));
  assert.ok(displays.length >= 2 && displays.every((d) => d === "list-item"), displays.join(", "));
  // every schedule's name fits its select
  for (const name of ["linear", "cosine", "sqrt"]) {
    await page.selectOption("#schedule", name);
    const fit = await page.$eval("#schedule", (el) => {
      const sel = el as HTMLSelectElement, cs = getComputedStyle(sel);
      const ctx = document.createElement("canvas").getContext("2d")!;
      ctx.font = cs.font;
      // the arrow takes about 20 px of the box
      return { text: ctx.measureText(sel.selectedOptions[0]!.text).width, room: sel.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) - 20 };
    });
    assert.ok(fit.text <= fit.room, `${name}: ${fit.text.toFixed(0)} px of text in ${fit.room.toFixed(0)} px`);
  }
  await page.selectOption("#schedule", "linear");
  // the explanations: the midpoint update written out, the linear schedule stated, the target z − ε
  const timeTex = (await texOf(page, '[aria-labelledby="time-h"]')).join(" ");
  assert.match(timeTex, /\\tilde u_\{t\+h\/2\}/, "the midpoint update");
  const pathCard = (await page.textContent('[aria-labelledby="path-h"]')) ?? "";
  assert.match(pathCard, /use the linear schedule/);
  assert.ok((await texOf(page, '[data-testid="path-target-fig"]')).includes("z-\\varepsilon"), "the target is written z − ε");
  // the target tile is z − ε of the page's digit and noise at t = 0.5 (linear)
  const { decodeDigitsFile } = await import("./digits-file.js");
  const digits = decodeDigitsFile(new Uint8Array(readFileSync(path.join(repoRoot, "dist-web/digits.bin"))));
  const eps = new Float32Array(1024);
  new T.Rng(1000).fillNormal(eps);
  const target = Float32Array.from({ length: 1024 }, (_, i) => digits.images[i]! - eps[i]!);
  assert.ok(maxLevelDiff(await readTile(page, '[data-testid="path-target"]'), fieldRed(target, maxAbsOf(target))) <= 2, "the target velocity z − ε");

  // a figure drawn by the shipped model is labelled so, and marked stale when another model is loaded
  await page.click("#generate");
  await waitRunDone(page, 1);
  assert.match((await page.textContent('[data-testid="figure-model"]')) ?? "", /^\s*Drawn by mnist-cfg\.safetensors\.\s*$/);
  assert.equal(await page.isDisabled("#restore"), true, "nothing to restore yet");
  const shipped = parseSafetensors(readFileSync(MODEL), MODEL);
  const bare = serializeSafetensors([...shipped.tensors].filter(([k]) => !k.startsWith("ema.") && !k.startsWith("adam.")));
  await page.setInputFiles("#ckpt-file", { name: "unet.safetensors", mimeType: "application/octet-stream", buffer: Buffer.from(bare) });
  await page.waitForFunction(() => /Loaded unet\.safetensors/.test(document.querySelector('[data-testid="load-message"]')?.textContent ?? ""), null, { timeout: 30_000 });
  assert.match((await page.textContent('[data-testid="figure-model"]')) ?? "", /Drawn by mnist-cfg\.safetensors: the model has changed since \(unet\.safetensors\); press Generate to redraw/);
  // Restore shipped model goes back, and the figure is the shipped model's again
  await page.click("#restore");
  await page.waitForFunction(() => /^\s*Ready: mnist-cfg\.safetensors/.test(document.querySelector('[data-testid="status"]')?.textContent ?? ""), null, { timeout: 60_000 });
  assert.match((await page.textContent('[data-testid="figure-model"]')) ?? "", /^\s*Drawn by mnist-cfg\.safetensors\.\s*$/);
  assert.equal(await page.isDisabled("#restore"), true);
  await page.click("#generate");
  await waitRunDone(page, 1);
  assertClean(w);
  await page.close();
});

test("issue 26 on a phone: Generate shows the figure, a tapped tile shows the time panel, a dropped file's message is in view", { skip, timeout: 180_000 }, async () => {
  const w = await watchedPage(browser!, { width: 390, height: 844 });
  const { page } = w;
  await page.goto(`${isolated!.url}?classes=7&w=1,3&steps=4`);
  await waitReady(page);
  const inView = (sel: string) => page.$eval(sel, (e) => {
    const r = e.getBoundingClientRect();
    return r.top >= -1 && r.bottom <= innerHeight + 1;
  });
  assert.equal(await inView("#figure-h"), false, "the figure starts below the controls");
  await page.click("#generate");
  await page.waitForFunction(() => {
    const r = document.getElementById("figure-h")!.getBoundingClientRect();
    return r.top >= -1 && r.bottom <= innerHeight + 1;
  }, null, { timeout: 5_000 });
  assert.equal(await page.evaluate(() => document.activeElement?.id), "generate", "focus stays on Generate");
  await waitRunDone(page, 2);
  assert.equal(await inView("#time-h"), false, "the time panel starts out of view");
  await page.click('[data-tile="1-0"]');
  await page.waitForFunction(() => {
    const r = document.getElementById("time-h")!.getBoundingClientRect();
    return r.top >= -1 && r.bottom <= innerHeight + 1;
  }, null, { timeout: 5_000 });
  // a bad file dropped while reading the figure: its message is brought on screen
  await page.evaluate(() => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9])], "junk.safetensors"));
    window.dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
  });
  await page.waitForFunction(() => /junk\.safetensors is not a readable checkpoint/.test(document.querySelector('[data-testid="load-message"]')?.textContent ?? ""), null, { timeout: 30_000 });
  await page.waitForFunction(() => {
    const r = document.querySelector('[data-testid="load-message"]')!.getBoundingClientRect();
    return r.top >= -1 && r.bottom <= innerHeight + 1;
  }, null, { timeout: 5_000 });
  assertClean(w);
  await page.close();
});

test("issue 26 on a phone: the first screen links to the figure; Train brings the training panel into view, with its own Pause and Stop", { skip, timeout: 180_000 }, async () => {
  const w = await watchedPage(browser!, { width: 390, height: 844 });
  const { page } = w;
  await page.goto(`${isolated!.url}?trainSteps=400&trainBatch=8&sampleEvery=100`);
  await waitReady(page);
  const inView = (sel: string) => page.$eval(sel, (e) => {
    const r = e.getBoundingClientRect();
    return r.top >= -1 && r.bottom <= innerHeight + 1;
  });
  // the first screen links to the figure drawn on arrival, which sits below the controls
  await page.waitForSelector('[data-testid="jump-figure"]', { timeout: 60_000 });
  assert.equal(await inView('[data-testid="jump-figure"]'), true, "the link is on the first screen");
  await page.click('[data-testid="jump-figure"]');
  await page.waitForFunction(() => {
    const r = document.getElementById("figure-h")!.getBoundingClientRect();
    return r.top >= -1 && r.bottom <= innerHeight + 1;
  }, null, { timeout: 5_000 });
  await waitRunDone(page, 5);
  await page.evaluate(() => scrollTo(0, 0));
  assert.equal(await inView("#train-panel-h"), false, "the training panel starts far below the controls");
  await page.click("#train");
  await page.waitForFunction(() => {
    const r = document.getElementById("train-panel-h")!.getBoundingClientRect();
    return r.top >= -1 && r.bottom <= innerHeight + 1;
  }, null, { timeout: 5_000 });
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="train-step"]')?.textContent ?? 0) >= 2, null, { timeout: 90_000 });
  assert.equal(await inView("#pause-panel"), true, "Pause beside the chart");
  await page.click("#pause-panel");
  await page.waitForFunction(() => /paused/.test(document.querySelector('[data-testid="train-stats"]')?.textContent ?? ""), null, { timeout: 10_000 });
  assert.equal(await page.textContent("#pause-panel"), "Resume");
  // on a desktop the sidebar stays in view, so the panel does not repeat its controls
  await page.setViewportSize({ width: 1280, height: 900 });
  assert.equal(await page.isVisible("#pause-panel"), false);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.click("#stop-panel");
  await page.waitForFunction(() => /Stopped at step \d+ of 400/.test(document.querySelector('[data-testid="train-message"]')?.textContent ?? ""), null, { timeout: 60_000 });
  assert.equal(await page.$("#pause-panel"), null, "gone once the run ends");
  assertClean(w);
  await page.close();
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
  // Generate during training says why it cannot run, and the message goes when the training ends
  await page.click("#generate");
  assert.match((await page.textContent('[data-testid="run-message"]')) ?? "", /Training is using the engine/);
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
  assert.doesNotMatch((await page.textContent('[data-testid="run-message"]')) ?? "", /Training is using the engine/, "the training's message to Generate is gone");
  // the loss axis spans the data, not the next power of ten
  const yMax = Number(await page.getAttribute('[aria-labelledby="train-panel-h"] .chart', "data-y-max"));
  assert.ok(yMax >= Math.max(...losses) && yMax < 1.5 * Math.max(...losses), `loss axis to ${yMax} for losses up to ${Math.max(...losses)}`);
  assert.equal(await page.isDisabled("#restore"), false, "the trained model can be undone");
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
  await page.goto(`${isolated!.url}?classes=7&w=3&steps=2`);
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
