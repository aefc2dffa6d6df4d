// The source tree's shape, src/ and the page (web/): no import circles (value or type imports), and
// dependencies point one way: tensor ← nn, flow, solvers ← data, train, sample, toy ← eval, judge ←
// studies ← cli, page (the page's Node-side support), and the page itself (web/).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, existsSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "./testing/helpers.js";

const src = path.join(repoRoot, "src");
/** Each folder's layer; a module may import from its own layer or a lower one. */
const LAYER: Record<string, number> = { tensor: 0, io: 0, nn: 1, flow: 1, solvers: 1, viz: 1, data: 2, train: 2, sample: 2, toy: 2, eval: 3, judge: 3, studies: 4, cli: 5, page: 5, bench: 5, testing: 6 };
/** The page (the repository's web/ folder, Svelte and TypeScript) sits on the top floor with cli/. */
const pageDir = path.join(repoRoot, "web");
const PAGE_LAYER = 5;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === "node_modules" || e.name === "public" ? [] : sources(p);
    return (p.endsWith(".ts") && !p.endsWith(".d.ts")) || p.endsWith(".svelte") ? [p] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+"(\.[^"]+)"/g)]
    .map((m) => path.join(path.dirname(file), m[1]!.replace(/\.js$/, ".ts")))
    .filter((p) => existsSync(p));
}

const files = [...sources(src), ...(existsSync(pageDir) ? sources(pageDir) : [])];
const graph = new Map(files.map((f) => [f, imports(f)]));
const rel = (f: string) => path.relative(src, f);

test("no import circles in src/", () => {
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const cycles: string[] = [];
  const visit = (f: string) => {
    state.set(f, 1);
    stack.push(f);
    for (const d of graph.get(f) ?? []) {
      if (state.get(d) === 1) cycles.push([...stack.slice(stack.indexOf(d)), d].map(rel).join(" → "));
      else if (!state.has(d)) visit(d);
    }
    stack.pop();
    state.set(f, 2);
  };
  for (const f of files) if (!state.has(f)) visit(f);
  assert.deepEqual(cycles, []);
});

test("the layer test sees the page's files", () => {
  assert.ok(files.some((f) => f.startsWith(pageDir + path.sep) && f.endsWith(".svelte")), "no .svelte file found under web/");
});

test("dependencies point one way between layers (tests excepted)", () => {
  const layerOf = (f: string) => (f.startsWith(pageDir + path.sep) ? PAGE_LAYER : LAYER[rel(f).split(path.sep)[0]!] ?? (rel(f).includes(path.sep) ? -1 : 7));
  const wrong: string[] = [];
  for (const [f, deps] of graph) {
    if (/\.(test|suite)\.ts$/.test(f)) continue;
    assert.notEqual(layerOf(f), -1, `${rel(f)}: its folder has no layer in this test`);
    for (const d of deps) if (layerOf(d) > layerOf(f)) wrong.push(`${rel(f)} imports ${rel(d)}`);
  }
  assert.deepEqual(wrong, []);
});

// Rooms that do one job stay small: the page's App is layout and wiring (its state lives in stores),
// and eval's command only parses flags and prints (its studies live in src/studies/).
const SIZE_LIMITS: readonly [string, number][] = [
  ["web/App.svelte", 200],
  ["src/cli/eval.ts", 150],
];
for (const [file, max] of SIZE_LIMITS) {
  test(`${file} stays at most ${max} lines`, () => {
    const lines = readFileSync(path.join(repoRoot, file), "utf8").split("\n").length - 1;
    assert.ok(lines <= max, `${file} has ${lines} lines; move state or logic out (at most ${max})`);
  });
}
