// The browser figures: the lab U-Net's training step (batch 64, 2 threads) in headless Chromium, on the
// same kernels, served cross-origin isolated from this checkout; and the _webgpu figures (WebGPU on
// SwiftShader here: they show that it runs, not how fast). Skipped with one line when Chromium is absent.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { serveStatic } from "../page/serve.js";
import { CHROMIUM, launch, launchWebGpu, servedDist } from "../page/browser-driver.js";
import type { BenchResult } from "./harness.js";
import type { BrowserBenchReply, BrowserBenchRequest } from "./browser-worker.js";
import type { WebGpuBenchReply } from "./browser-webgpu.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const ISOLATED = { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" };

export async function browserTrainBench(runs: number): Promise<BenchResult | null> {
  if (!existsSync(CHROMIUM)) {
    console.error(`bench: ${CHROMIUM} not found; skipping the browser figure (apt-get install chromium)`);
    return null;
  }
  const { server, url } = await serveStatic(ROOT, { isolate: true });
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await servedDist(page); // dist/ as compiled, its one bare import pointed at node_modules
    await page.route("**/bench.html", (r) => r.fulfill({ status: 200, headers: { ...ISOLATED, "Content-Type": "text/html" }, body: "<!doctype html><title>flowlab bench</title>" }));
    await page.goto(new URL("dist/bench/bench.html", url).href);
    const request: BrowserBenchRequest = { batch: 64, runs, threads: 2 };
    const reply = await page.evaluate((req) => new Promise<BrowserBenchReply | { error: string }>((resolve) => {
      const w = new Worker("./browser-worker.js", { type: "module" });
      w.onmessage = (e) => resolve(e.data as BrowserBenchReply | { error: string });
      w.onerror = (e) => resolve({ error: e.message });
      w.postMessage(req);
    }), request);
    if ("error" in reply) throw new Error(`browser bench: ${reply.error}`);
    if (reply.threads !== 2) throw new Error(`browser bench: the page ran ${reply.threads} thread(s), not 2 (is it cross-origin isolated?)`);
    return { name: "unet_train_b64_t2_browser_samples_per_s", value: reply.samplesPerSecond, unit: "samples/s" };
  } finally {
    await browser.close();
    server.close();
  }
}

/**
 * The _webgpu figures: the lab U-Net's training step and a CFG Euler sampling step on the webgpu backend
 * in headless Chromium (the batch in the name: 64 and 100 on a GPU, 2 on a software adapter).
 * Null, with one line, where Chromium is absent or gives no WebGPU adapter.
 */
export async function browserWebGpuBench(runs: number): Promise<BenchResult[] | null> {
  if (!existsSync(CHROMIUM)) {
    console.error(`bench: ${CHROMIUM} not found; skipping the _webgpu figures (apt-get install chromium)`);
    return null;
  }
  const { server, url } = await serveStatic(ROOT, { isolate: false });
  const browser = await launchWebGpu();
  try {
    const page = await browser.newPage();
    await servedDist(page);
    page.setDefaultTimeout(0);
    await page.goto(new URL("package.json", url).href);
    const reply = await page.evaluate(async ([m, n]) => {
      const mod = (await import(m)) as { webgpuBench(runs: number): Promise<WebGpuBenchReply> };
      return mod.webgpuBench(n);
    }, ["/dist/bench/browser-webgpu.js", runs] as [string, number]);
    if ("unavailable" in reply) {
      console.error(`bench: skipping the _webgpu figures: ${reply.unavailable}`);
      return null;
    }
    const note = reply.software ? `WebGPU on ${reply.software} (a CPU implementation): shows that it runs, not how fast` : undefined;
    return [
      { name: `unet_train_b${reply.trainBatch}_webgpu_samples_per_s`, value: reply.trainSamplesPerSecond, unit: "samples/s", ...(note ? { note } : {}) },
      { name: `sample_step_b${reply.sampleBatch}_webgpu_images_per_s`, value: reply.sampleStepsPerSecond, unit: "images/s", ...(note ? { note } : {}) },
    ];
  } finally {
    await browser.close();
    server.close();
  }
}
