// The page's browser-test driver: Debian's chromium via playwright-core, a watch on every page for console
// errors, failed requests and requests leaving localhost, and reading a 32×32 tile back from a canvas.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import path from "node:path";
import type { Browser, Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";
export const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"];

/**
 * Builds the page into `root`/dist-web as `npm run build:web` does: the static assets, then (with
 * `typecheck`) the strict TypeScript and Svelte check, then the bundle.
 */
export function buildSite(root: string, opts: { typecheck: boolean }): string {
  const npx = process.platform === "win32" ? "npx.cmd" : "npx";
  execFileSync(process.execPath, [path.join(root, "dist/cli/web-assets.js")], { cwd: root, stdio: "pipe" });
  if (opts.typecheck) execFileSync(npx, ["svelte-check", "--tsconfig", "./web/tsconfig.json", "--fail-on-warnings"], { cwd: root, stdio: "pipe" });
  execFileSync(npx, ["vite", "build", "--logLevel", "warn"], { cwd: root, stdio: "pipe" });
  return path.join(root, "dist-web");
}

export async function launch(): Promise<Browser> {
  const { chromium } = await import("playwright-core");
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** Chromium with WebGPU compute on SwiftShader (CPU), for the webgpu backend's tests. */
export async function launchWebGpu(): Promise<Browser> {
  const { chromium } = await import("playwright-core");
  const args = CHROMIUM_ARGS.filter((a) => a !== "--disable-gpu");
  return chromium.launch({ executablePath: CHROMIUM, args: [...args, "--enable-unsafe-webgpu", "--enable-unsafe-swiftshader", "--use-webgpu-adapter=swiftshader"] });
}

/**
 * dist/ is served as compiled, with no bundler: points the one bare import the engine's graph makes
 * (@noble/hashes, the checkpoints' SHA-256) at node_modules, for the page and its workers alike.
 */
export async function servedDist(page: Page): Promise<void> {
  await page.context().route(/\/dist\/.*\.js$/, async (r) => {
    const res = await r.fetch();
    const body = (await res.text()).replace(/from "@noble\/hashes\//g, 'from "/node_modules/@noble/hashes/');
    await r.fulfill({ response: res, body });
  });
}

export interface Watched {
  page: Page;
  /** Console errors, page errors, HTTP errors and remote requests seen so far; must stay empty. */
  problems: string[];
  /** Every request that left localhost. */
  remote: string[];
}

/** A new page (default 1280×900) that records console errors, HTTP errors and any request leaving localhost. */
export async function watchedPage(browser: Browser, viewport = { width: 1280, height: 900 }, allowHttpErrors = false): Promise<Watched> {
  const page = await browser.newPage({ viewport, acceptDownloads: true });
  const problems: string[] = [], remote: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${String(e)}`));
  page.on("request", (r) => {
    const u = r.url();
    if (u.startsWith("data:") || u.startsWith("blob:")) return;
    if (!["127.0.0.1", "localhost"].includes(new URL(u).hostname)) remote.push(u);
  });
  page.on("response", (r) => {
    if (!allowHttpErrors && r.status() >= 400) problems.push(`HTTP ${r.status()} for ${r.url()}`);
  });
  return { page, problems, remote };
}

export function assertClean(w: Watched): void {
  assert.deepEqual(w.problems, [], "console errors or failed requests");
  assert.deepEqual(w.remote, [], "requests outside localhost");
}

export async function waitReady(page: Page, timeout = 90_000): Promise<string> {
  await page.waitForFunction(() => /^\s*Ready:/.test(document.querySelector('[data-testid="status"]')?.textContent ?? ""), null, { timeout });
  return (await page.textContent('[data-testid="status"]')) ?? "";
}

/** The grey levels (0–255) of a 32×32 tile canvas. */
export async function readTile(page: Page, selector: string): Promise<number[]> {
  return page.$eval(selector, (c) => {
    const ctx = (c as HTMLCanvasElement).getContext("2d")!;
    const d = ctx.getImageData(0, 0, 32, 32).data;
    return Array.from({ length: 1024 }, (_, i) => d[i * 4]!);
  });
}

/** Grey levels of a [−1, 1] image, as the page paints them. */
export function toLevels(img: ArrayLike<number>, offset = 0): number[] {
  return Array.from({ length: 1024 }, (_, i) => Math.round((Math.min(1, Math.max(-1, img[offset + i]!)) + 1) * 127.5));
}

export function maxLevelDiff(a: number[], b: number[]): number {
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
}

/** Sets a text field and lets the page react. */
export async function setField(page: Page, selector: string, value: string): Promise<void> {
  await page.fill(selector, value);
}

/** Checks exactly the given classes (0–9, 10 = ∅) in the sidebar. */
export async function chooseClasses(page: Page, classes: number[]): Promise<void> {
  for (let d = 0; d <= 10; d++) await page.setChecked(`#digit-${d}`, classes.includes(d));
}

/** Waits until every column of the run has its judged metrics. */
export async function waitRunDone(page: Page, columns: number, timeout = 180_000): Promise<void> {
  await page.waitForFunction((n) => {
    const rows = Array.from(document.querySelectorAll('[data-testid="metrics"] tbody tr'));
    return rows.length === n && rows.every((r) => r.querySelector("td")?.textContent?.trim() !== "…");
  }, columns, { timeout });
}

/** Serious or critical accessibility violations found by axe-core (injected from node_modules). */
export async function axeViolations(page: Page, axeSource: string): Promise<string[]> {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
    const r = await axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map((n) => JSON.stringify(n.target)) }));
  });
  return result.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.targets.join(", ")}`);
}
