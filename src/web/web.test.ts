// The page in a real browser (Debian's chromium via playwright-core): generate a 7 at w = 3, judge
// the canvas with flowlab's judge, and check there are no console errors and no remote requests.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, cpSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import { execFileSync } from "node:child_process";
import path from "node:path";
import type { Server } from "node:http";
import { setup, repoRoot } from "../testing/helpers.js";
import { serveStatic } from "./serve.js";
import { loadJudge } from "../eval/reference.js";
import { judge } from "../judge/judge.js";
import { tileOrigin } from "../viz/grid.js";

const CHROMIUM = "/usr/bin/chromium";
const skip = !existsSync(CHROMIUM) ? `${CHROMIUM} absent (apt-get install chromium; .ci/run installs it)` : !existsSync(path.join(repoRoot, "models/mnist-cfg.safetensors")) ? "no shipped model" : false;

let server: Server | null = null;
let url = "";
before(async () => {
  if (skip) return;
  await setup(2);
  const npx = process.platform === "win32" ? "npx.cmd" : "npx";
  execFileSync(process.execPath, [path.join(repoRoot, "dist/cli/web-assets.js")], { cwd: repoRoot, stdio: "pipe" });
  // the same steps as npm run build:web: the page's own strict typecheck, then the bundle
  execFileSync(npx, ["tsc", "-p", "web"], { cwd: repoRoot, stdio: "pipe" });
  execFileSync(npx, ["vite", "build", "--logLevel", "warn"], { cwd: repoRoot, stdio: "pipe" });
  ({ server, url } = await serveStatic(path.join(repoRoot, "dist-web")));
});
after(() => server?.close());

test("the page generates a 7 at w = 3 that the judge reads as 7, offline and without console errors", { skip, timeout: 240_000 }, async () => {
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"] });
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    const remote: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("request", (r) => {
      const h = new URL(r.url()).hostname;
      if (!["127.0.0.1", "localhost"].includes(h) && !r.url().startsWith("data:") && !r.url().startsWith("blob:")) remote.push(r.url());
    });
    await page.goto(url);
    await page.waitForSelector("#generate:not([disabled])", { timeout: 60_000 });
    assert.equal(await page.evaluate(() => self.crossOriginIsolated), true, "the page is cross-origin isolated");
    // Chromium ships relaxed SIMD, so the page's engine loads the FMA build
    assert.match((await page.textContent("#status")) ?? "", /Ready: .*relaxed-SIMD \(FMA\) kernels/);
    for (let d = 0; d <= 10; d++) await page.setChecked(`#digit-${d}`, d === 7);
    await page.fill("#per-class", "1");
    await page.click('button[data-w="3"]');
    await page.click("#generate");
    await page.waitForSelector('#grid[data-done="1"]', { timeout: 180_000 });
    mkdirSync(path.join(repoRoot, "test-artifacts"), { recursive: true });
    await page.screenshot({ path: path.join(repoRoot, "test-artifacts", "web.png"), fullPage: true });
    // read the first tile (zoom 2) back from the canvas, 32×32
    const spec = [{ title: "", images: new Float32Array(1024), rows: 1, cols: 1, rowLabels: ["7"] }];
    const [x0, y0] = tileOrigin(spec, 0, 0, 32, 2);
    const px = await page.evaluate(([x, y]) => {
      const c = document.getElementById("grid") as HTMLCanvasElement;
      return Array.from(c.getContext("2d")!.getImageData(x!, y!, 64, 64).data);
    }, [x0, y0]);
    const img = new Float32Array(1024);
    for (let r = 0; r < 32; r++) for (let q = 0; q < 32; q++) img[r * 32 + q] = px[(r * 2 * 64 + q * 2) * 4]! / 127.5 - 1;
    const lit = img.filter((v) => v > 0).length;
    assert.ok(lit > 30 && lit < 600, `the tile should hold a digit, not a blank or a blob (${lit} bright pixels)`);
    const verdict = judge(loadJudge(path.join(repoRoot, "models/judge.safetensors")), img);
    assert.equal(verdict.predictions[0], 7, `judge read ${verdict.predictions[0]} (confidence ${verdict.confidence[0]?.toFixed(2)})`);
    assert.deepEqual(errors, [], "console errors");
    assert.deepEqual(remote, [], "requests outside localhost");
  } finally {
    await browser.close();
  }
});

for (const [what, corrupt] of [["missing", null], ["corrupt", new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9])]] as const) {
  test(`a ${what} model file shows a clear message in the page`, { skip, timeout: 120_000 }, async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "flowlab-web-"));
    cpSync(path.join(repoRoot, "dist-web"), dir, { recursive: true });
    const model = path.join(dir, "mnist-cfg.safetensors");
    if (corrupt) writeFileSync(model, corrupt);
    else rmSync(model);
    const s = await serveStatic(dir);
    const { chromium } = await import("playwright-core");
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
    try {
      const page = await browser.newPage();
      await page.goto(s.url);
      await page.waitForSelector("#error:not([hidden])", { timeout: 60_000 });
      const text = await page.textContent("#error");
      assert.match(text ?? "", corrupt ? /mnist-cfg\.safetensors.*not a readable checkpoint/ : /could not load the model .*HTTP 404/);
      assert.equal(await page.isDisabled("#generate"), true);
    } finally {
      await browser.close();
      s.server.close();
    }
  });
}

test("a browser without WebAssembly SIMD gets a clear message", { skip, timeout: 120_000 }, async () => {
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
  try {
    const page = await browser.newPage();
    await page.addInitScript(() => {
      WebAssembly.validate = () => false;
    });
    await page.goto(url);
    await page.waitForSelector("#error:not([hidden])", { timeout: 30_000 });
    assert.match((await page.textContent("#error")) ?? "", /does not support WebAssembly SIMD/);
  } finally {
    await browser.close();
  }
});
