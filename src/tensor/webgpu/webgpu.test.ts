// The webgpu backend in headless Chromium (WebGPU on SwiftShader, a CPU implementation: correct, slow):
// the conformance suite against ref/, on a localhost page serving this checkout's dist/ and build/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import type { Server } from "node:http";
import { CHROMIUM, launchWebGpu, servedDist } from "../../page/browser-driver.js";
import { serveStatic } from "../../page/serve.js";
import { repoRoot } from "../../testing/helpers.js";
import type { Check } from "./suite.js";
import type { EngineInfo } from "../engine.js";

let browser: Browser | null = null;
let server: Server | null = null;
let page: Page | null = null;
let skip: string | false = false;

before(async () => {
  if (!existsSync(CHROMIUM)) {
    skip = `${CHROMIUM} not found (apt-get install chromium)`;
    return;
  }
  const s = await serveStatic(repoRoot, { isolate: false });
  server = s.server;
  browser = await launchWebGpu();
  page = await browser.newPage();
  await servedDist(page);
  page.setDefaultTimeout(600_000);
  await page.goto(new URL("package.json", s.url).href);
  const hasGpu = await page.evaluate(async () => {
    const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
    return gpu ? (await gpu.requestAdapter()) !== null : false;
  });
  if (!hasGpu) skip = "this Chromium gives no WebGPU adapter";
});

after(async () => {
  await browser?.close();
  server?.close();
});

async function inPage<R>(fn: string, ...args: unknown[]): Promise<R> {
  return page!.evaluate(async ([url, f, a]) => {
    const m = (await import(url)) as Record<string, (...x: unknown[]) => Promise<unknown>>;
    return m[f]!(...a);
  }, ["/dist/page/webgpu-check.js", fn, args] as [string, string, unknown[]]) as Promise<R>;
}

test("the engine starts on webgpu in Chromium", async (t) => {
  if (skip) return t.skip(`webgpu: ${skip}`);
  const info = await inPage<EngineInfo>("start", "webgpu");
  assert.equal(info.backend, "webgpu");
});

test("residency: GPU-newer tensors refuse sync reads until await read(); host writes are uploaded again", async (t) => {
  if (skip) return t.skip(`webgpu: ${skip}`);
  const lines = await inPage<string[]>("residency");
  const newer = /throws: tensor #\d+ \[3\] is newer on the GPU \(webgpu backend\): await tensor\.read\(\) before reading it here/;
  assert.equal(lines[0], "input on the host after a kernel read it: value [1,2,3]");
  assert.match(lines[1]!, new RegExp(`^output before read\\(\\): ${newer.source}$`));
  assert.equal(lines[2], "read(): [2,4,6]");
  assert.equal(lines[3], "output after read(): value [2,4,6]");
  assert.equal(lines[4], "after a host write the next kernel sees it: [20,4,6]");
  assert.equal(lines[5], "a read-back tensor on wasm: value [4,8,12]");
  assert.match(lines[6]!, new RegExp(`^a GPU-newer tensor on wasm: ${newer.source}$`));
});

test("conformance: every op on webgpu = ref (outputs, gradients, Adam, running statistics, finite differences)", async (t) => {
  if (skip) return t.skip(`webgpu: ${skip}`);
  // FLOWLAB_WEBGPU_ONLY=REGEX runs the cases whose names match (while working on one kernel)
  const only = process.env["FLOWLAB_WEBGPU_ONLY"];
  const checks = await inPage<Check[]>("conformance", only);
  if (only === undefined) assert.ok(checks.length > 300, `only ${checks.length} checks ran`);
  else assert.ok(checks.length > 0, `no case matches FLOWLAB_WEBGPU_ONLY=${only}`);
  const bad = checks.filter((c) => !(c.diff <= c.tol)).map((c) => `${c.name}: differs by ${c.diff.toExponential(2)} (tol ${c.tol.toExponential(1)})`);
  assert.deepEqual(bad, [], `${bad.length} of ${checks.length} checks failed`);
});

test("the lab U-Net's CFG loss and all its gradients at batch 8: webgpu = wasm within 1e-4 (loss) and 1e-3 (each gradient, relative to its largest entry)", async (t) => {
  if (skip) return t.skip(`webgpu: ${skip}`);
  const r = await inPage<{ loss: [number, number]; worstGrad: number; worstParam: string; params: number }>("trainStepParity", 8);
  t.diagnostic(`loss ${r.loss[0]} (webgpu) vs ${r.loss[1]} (wasm); worst gradient ${r.worstGrad.toExponential(2)} at ${r.worstParam} of ${r.params}`);
  assert.ok(r.params > 50, `only ${r.params} parameters`);
  assert.ok(Math.abs(r.loss[0] - r.loss[1]) <= 1e-4 * Math.abs(r.loss[1]), `loss ${r.loss[0]} vs ${r.loss[1]}`);
  assert.ok(r.worstGrad <= 1e-3, `gradient of ${r.worstParam} differs by ${r.worstGrad.toExponential(2)} (relative)`);
});

test("one Euler step of the shipped model's CFG field at w = 3: webgpu = wasm within 1e-5 (relative)", async (t) => {
  if (skip) return t.skip(`webgpu: ${skip}`);
  const r = await inPage<{ diff: number; scale: number }>("samplingStepParity");
  t.diagnostic(`differs by ${r.diff.toExponential(2)} (values up to ${r.scale.toFixed(2)})`);
  assert.ok(r.scale > 1, "the step produced no values");
  assert.ok(r.diff <= 1e-5, `differs by ${r.diff.toExponential(2)}`);
});

test("generateAsync on webgpu = generate on wasm within 1e-4 (relative): 3 midpoint CFG steps of a small U-Net, the images and every step's x and drift", async (t) => {
  if (skip) return t.skip(`webgpu: ${skip}`);
  const r = await inPage<{ images: number; steps: number[]; nfe: [number, number]; scale: number }>("generateParity");
  const worst = Math.max(r.images, ...r.steps);
  t.diagnostic(`images differ by ${r.images.toExponential(2)}, the steps' x and drift by at most ${Math.max(...r.steps).toExponential(2)} (values up to ${r.scale.toFixed(2)})`);
  assert.equal(r.steps.length, 6, "onStep saw 3 steps (x and drift each)");
  assert.deepEqual(r.nfe, [12, 12]);
  assert.ok(r.scale > 0.5, "the samples are empty");
  assert.ok(worst <= 1e-4, `differs by ${worst.toExponential(2)}`);
});

test("a training step's dispatches go to the GPU in a few submits (one encoder, submitted at read-backs and uploads), not one each", async (t) => {
  if (skip) return t.skip(`webgpu: ${skip}`);
  const r = await inPage<{ dispatches: number; submits: number; loss: number }>("submitsPerStep");
  t.diagnostic(`${r.dispatches} dispatches in ${r.submits} submits; loss ${r.loss}`);
  assert.ok(r.dispatches > 300, `only ${r.dispatches} dispatches`);
  assert.ok(Number.isFinite(r.loss));
  assert.ok(r.submits * 20 <= r.dispatches, `${r.submits} submits for ${r.dispatches} dispatches`);
});

// SwiftShader takes 20–50 s a training step of this small U-Net on this machine, hence 6 steps
test("6 training steps (U-Net [16, 32], batch 8, EMA on): the loss curves on webgpu (trainStepAsync) and wasm agree within 1e-4 (relative) at every step", async (t) => {
  if (skip) return t.skip(`webgpu: ${skip}`);
  const r = await inPage<{ webgpu: number[]; wasm: number[] }>("lossCurves", 6);
  const worst = Math.max(...r.wasm.map((l, i) => Math.abs(r.webgpu[i]! - l) / l));
  t.diagnostic(`webgpu ${r.webgpu.map((l) => l.toFixed(4)).join(" ")}`);
  t.diagnostic(`wasm   ${r.wasm.map((l) => l.toFixed(4)).join(" ")}; worst relative difference ${worst.toExponential(2)}`);
  assert.equal(r.webgpu.length, 6);
  assert.ok(new Set(r.wasm).size === 6, "the loss did not change from step to step");
  assert.ok(worst <= 1e-4, `the curves differ by ${worst.toExponential(2)}`);
});

test('backend "auto" keeps wasm on a software adapter, else times a convolution on both and keeps the faster; one line says why', async (t) => {
  if (skip) return t.skip(`webgpu: ${skip}`);
  const info = await inPage<EngineInfo>("start", "auto");
  t.diagnostic(info.backendNote);
  // here the adapter is SwiftShader's, which auto does not time; on a GPU it times both
  assert.match(info.backendNote, /^(webgpu: faster|wasm: webgpu is slower here): a 3×3 convolution took [\d.]+ ms on webgpu, [\d.]+ ms on wasm$|^wasm: the WebGPU adapter is a software fallback \(swiftshader\), so it was not timed$/);
  assert.equal(info.backend, info.backendNote.split(":")[0]);
});
