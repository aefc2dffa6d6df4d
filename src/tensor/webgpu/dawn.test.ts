// WebGPU in Node through the optional `webgpu` package (Dawn): the one-line reasons when it is missing or
// broken, and, where it is installed and finds a Vulkan adapter, conformance cases and a U-Net on it.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { findDawnGpu, NO_DAWN } from "./dawn.js";
import { initNodeEngine } from "../node.js";
import { engineInfo, shutdownEngine } from "../engine.js";
import { WebGpuUnavailableError } from "../errors.js";
import { runConformance } from "./suite.js";
import { generateParity } from "../../page/webgpu-check.js";

const dir = mkdtempSync(path.join(tmpdir(), "flowlab-dawn-"));
after(() => {
  shutdownEngine();
  rmSync(dir, { recursive: true, force: true });
});

/** Why Dawn cannot run the backend here (the package or an adapter is missing), or null when it can. */
async function dawnMissing(): Promise<string | null> {
  const found = await findDawnGpu();
  if ("unavailable" in found) return found.unavailable;
  return (await found.gpu.requestAdapter()) ? null : "the `webgpu` package (Dawn) gave no adapter";
}

test("without the webgpu package: backend webgpu fails and auto falls back to wasm, each with one line naming the fix", async (t) => {
  if ("gpu" in (await findDawnGpu())) return t.skip("the webgpu package is installed here; the Dawn tests below cover it");
  assert.deepEqual(await findDawnGpu(), { unavailable: NO_DAWN });
  await assert.rejects(initNodeEngine({ threads: 1, backend: "webgpu" }), (e: unknown) => {
    assert.ok(e instanceof WebGpuUnavailableError);
    assert.equal(e.reason, NO_DAWN);
    assert.doesNotMatch(e.message, /\n/);
    return true;
  });
  await initNodeEngine({ threads: 1, backend: "auto" });
  assert.equal(engineInfo().backend, "wasm");
  assert.equal(engineInfo().backendNote, `wasm: ${NO_DAWN}`);
  shutdownEngine();
});

test("a webgpu module that is there but broken gives one line saying what went wrong", async () => {
  const cases: [string, string, string][] = [
    ["throws.mjs", 'throw new Error("dawn.node: cannot open shared object file\\nsecond line");', "the `webgpu` package (Dawn) did not load: dawn.node: cannot open shared object file"],
    ["no-create.mjs", "export const globals = {};", "the `webgpu` package (Dawn) has no create(): expected its 0.x API"],
    ["imports-missing.mjs", 'import "flowlab-no-such-package";', "the `webgpu` package (Dawn) did not load: Cannot find package 'flowlab-no-such-package'"],
  ];
  for (const [file, source, want] of cases) {
    writeFileSync(path.join(dir, file), source);
    const found = await findDawnGpu(pathToFileURL(path.join(dir, file)).href);
    assert.ok("unavailable" in found, file);
    assert.ok(found.unavailable.startsWith(want), `${file}: ${found.unavailable}`);
    assert.doesNotMatch(found.unavailable, /\n/, file);
  }
});

test("on Dawn: matmul and conv2d cases = ref, and generateAsync of a small U-Net (12 passes) = wasm within 1e-4", async (t) => {
  const why = await dawnMissing();
  if (why) return t.skip(`Dawn: ${why}`);
  await initNodeEngine({ threads: 1, backend: "webgpu" });
  assert.equal(engineInfo().backend, "webgpu");
  const checks = await runConformance(/^(matmul|conv2d B=)/);
  assert.ok(checks.length >= 40, `only ${checks.length} checks ran`);
  const bad = checks.filter((c) => !(c.diff <= c.tol)).map((c) => `${c.name}: differs by ${c.diff.toExponential(2)} (tol ${c.tol.toExponential(1)})`);
  assert.deepEqual(bad, [], `${bad.length} of ${checks.length} checks failed`);
  const r = await generateParity();
  const worst = Math.max(r.images, ...r.steps);
  t.diagnostic(`${checks.length} checks; U-Net images differ by ${r.images.toExponential(2)}, steps by at most ${Math.max(...r.steps).toExponential(2)}`);
  assert.deepEqual(r.nfe, [12, 12]);
  assert.ok(r.scale > 0.5, "the samples are empty");
  assert.ok(worst <= 1e-4, `differs by ${worst.toExponential(2)}`);
  shutdownEngine();
});
