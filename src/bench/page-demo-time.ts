// The page's demo run, timed in headless Chromium: builds and serves the site cross-origin isolated, presses
// Train with the page's defaults (the demo preset) and prints the wall time from the click to "Finished".
// Run it on an idle machine (npm run web:demo-time): the figure the README and the training panel quote.
import { fileURLToPath } from "node:url";
import { serveStatic } from "../page/serve.js";
import { CHROMIUM, buildSite, launch, waitReady } from "../page/browser-driver.js";
import { PRESETS } from "../train/presets.js";
import { existsSync } from "node:fs";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const demo = PRESETS.demo;

if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: apt-get install chromium`);
const { server, url } = await serveStatic(buildSite(ROOT, { typecheck: false }), { isolate: true });
const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(url);
  const status = await waitReady(page);
  // the arrival figure runs first; Train stops it, so wait for the engine to be idle for a fair start
  await page.waitForTimeout(2000);
  const t0 = Date.now();
  await page.click("#train");
  await page.waitForFunction(
    (total) => new RegExp(`Finished at step ${total} of ${total}`).test(document.querySelector('[data-testid="train-message"]')?.textContent ?? ""),
    demo.steps,
    { timeout: 30 * 60_000, polling: 250 },
  );
  const seconds = (Date.now() - t0) / 1000;
  const stats = ((await page.textContent('[data-testid="train-stats"]')) ?? "").replace(/\s+/g, " ").trim();
  const samples = demo.steps * demo.batch;
  console.log(`demo preset in the page: ${demo.steps} steps × batch ${demo.batch} = ${samples} samples in ${seconds.toFixed(1)} s from Train to Finished (${(samples / seconds).toFixed(0)} samples/s overall)`);
  console.log(`the page's own line: ${stats}`);
  console.log(`engine: ${status.replace(/\s+/g, " ").trim()}`);
} finally {
  await browser.close();
  server.close();
}
