// The build keeps `npx flowlab` working: tsc rewrites dist/cli/main.js without its run bit, so
// build:ts sets it again (npm test builds first, so this checks the tree the tests run on).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { statSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "../testing/helpers.js";

const posix = process.platform !== "win32";

test("after the build, dist/cli/main.js is executable and npx flowlab --help runs", { skip: posix ? false : "no run bit on Windows" }, () => {
  const mode = statSync(path.join(repoRoot, "dist", "cli", "main.js")).mode;
  assert.equal(mode & 0o111, 0o111, `dist/cli/main.js mode is ${(mode & 0o777).toString(8)}, not executable`);
  const help = execFileSync("npx", ["--no-install", "flowlab", "--help"], { cwd: repoRoot, encoding: "utf8", stdio: "pipe" });
  assert.match(help, /usage: flowlab <command>/);
});
