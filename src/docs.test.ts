// The API reference builds from the doc comments, and every exported function and type has one
// (typedoc.json: notDocumented validation, warnings are errors).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { repoRoot } from "./testing/helpers.js";

test("TypeDoc builds the API reference with no undocumented export", { timeout: 120_000 }, () => {
  const r = spawnSync(process.execPath, [path.join(repoRoot, "node_modules", "typedoc", "bin", "typedoc"), "--emit", "none"], { cwd: repoRoot, encoding: "utf8" });
  const out = `${r.stdout}${r.stderr}`.replace(/\x1b\[[0-9;]*m/g, "");
  assert.equal(r.status, 0, out.split("\n").filter((l) => /warning|error/.test(l)).slice(0, 20).join("\n"));
});
