// Every figure: its SVG holds every expected label, its PNG has the expected size with tiles upscaled
// nearest-neighbour, all text is ≥ 12 px, and every character flowlab draws is in the shipped font.
import { test } from "node:test";
import assert from "node:assert/strict";
import { PNG } from "pngjs";
import { pathFigure, trajectoryFigure, trajectoryFrame, sweepFigure, trainingGridFigure } from "./lab-figures.js";
import { chartSvg, CHART_STYLE } from "./charts.js";
import { evalChartSpec, type ChartRow } from "./report-charts.js";
import { SOLVER_COLOURS, GUIDANCE_COLOURS, coloursFor } from "./palette.js";
import { rasterize } from "./raster.js";
import { textsOf, plain, runs } from "./svg.js";
import { missingGlyphs, measureText } from "./typeface.js";
import { tileSide } from "./image-grid.js";

// a checkerboard of single pixels: −1 (black) and 1 (white)
const board = (n: number) => Float32Array.from({ length: n * 1024 }, (_, i) => ((i % 32) + (Math.floor(i / 32) % 32)) % 2 ? 1 : -1);
const size = (svg: string) => svg.match(/<svg[^>]* width="(\d+)" height="(\d+)"/)!.slice(1).map(Number) as [number, number];

const ts = [0, 0.25, 0.5, 0.75, 1];
const figures: [string, () => string, string[]][] = [
  ["path", () => pathFigure({ images: board(15), digits: [7, 2, 1], ts, schedule: "linear" }),
    ["Conditional path pt(x|z) = N(αt z, βt² I)", "linear schedule: αt = t, βt = 1 − t", "t = 0", "t = 0.25", "t = 0.5", "t = 0.75", "t = 1", "7", "2", "1", "digit z"]],
  ["trajectory", () => trajectoryFigure({ frames: board(4 * 3), times: [0, 0.2, 0.6, 1], classes: [3, 8, 10], numClasses: 10, w: 3, solver: "midpoint", steps: 5 }),
    ["t = 0", "t = 0.2", "t = 0.6", "t = 1", "3", "8", "∅", "class", "midpoint, 5 steps"]],
  ["trajectory frame", () => trajectoryFrame(board(6), 0.42, [0, 10], 10, 3, { w: 5, solver: "heun", steps: 4 }), ["xt at t = 0.42, w = 5", "0", "∅"]],
  ["sweep", () => sweepFigure({ images: [board(4), board(4), board(4)], ws: [1, 3, 5], classes: [0, 10], numClasses: 10, perClass: 2, solver: "midpoint", steps: 5 }),
    ["w = 1", "w = 3", "w = 5", "0", "∅", "Classifier-free guidance: samples at each guidance scale w"]],
  ["training grid", () => trainingGridFigure({ images: board(6), step: 3000, totalSteps: 12000, w: 3, classes: [4, 10], numClasses: 10, perClass: 3, solver: "midpoint", steps: 5 }),
    ["Training step 3,000 of 12,000: samples at w = 3", "4", "∅"]],
  ["training grid of a colour model with named classes", () => trainingGridFigure({ images: board(9), step: 400, totalSteps: 400, w: 3, classes: [0, 1, 2], numClasses: 2, perClass: 1, solver: "midpoint", steps: 5, channels: 3, classNames: ["faces", "food"] }),
    ["faces", "food", "∅", "class"]],
];

function fontSizes(svg: string): number[] {
  return [...svg.matchAll(/<text[^>]*font-size="([\d.]+)(?:px)?"/g)].map((m) => Number(m[1]));
}

for (const [name, make, labels] of figures) {
  test(`${name}: the SVG holds every expected label, all text ≥ 12 px, every glyph in the font, tiles ≥ 64 px on whole pixels`, () => {
    const svg = make();
    const texts = textsOf(svg);
    for (const l of labels) assert.ok(texts.includes(l), `"${l}" missing from ${JSON.stringify(texts)}`);
    assert.ok(fontSizes(svg).every((s) => s >= 12), `font sizes ${fontSizes(svg).join(", ")}`);
    assert.deepEqual(missingGlyphs(texts.join("")), []);
    // tiles on whole pixels, ≥ 64 px: sharp nearest-neighbour blocks at 1×
    const tiles = [...svg.matchAll(/<image x="([^"]+)" y="([^"]+)" width="([^"]+)" height="([^"]+)"/g)].map((m) => m.slice(1).map(Number));
    assert.ok(tiles.length > 0);
    for (const t of tiles) assert.ok(t.every(Number.isInteger) && t[2]! >= 64 && t[3]! >= 64, `tile at ${t.join(", ")}`);
  });
}

test("path: the PNG is the SVG's size × scale, tiles upscaled nearest-neighbour to ≥ 64 px", async () => {
  const svg = figures[0]![1]();
  const [w, h] = size(svg);
  const tile = svg.match(/<image x="([\d.]+)" y="([\d.]+)" width="(\d+)"/)!.slice(1).map(Number) as [number, number, number];
  assert.equal(tile[2], 64);
  assert.equal(tileSide(32), 64);
  assert.equal(tileSide(100), 100);
  for (const scale of [1, 2, 3]) {
    const r = await rasterize(svg, scale);
    assert.deepEqual([r.width, r.height], [w * scale, h * scale]);
    const png = PNG.sync.read(Buffer.from(r.png));
    assert.deepEqual([png.width, png.height], [w * scale, h * scale]);
    // each source pixel of the checkerboard is a (2·scale)² block of one value, alternating black and white
    const z = 2 * scale, x0 = Math.round(tile[0] * scale), y0 = Math.round(tile[1] * scale);
    const at = (x: number, y: number) => r.rgba[4 * (y * r.width + x)]!;
    for (let q = 0; q < 32; q += 5)
      for (let p = 0; p < 32; p += 7) {
        const want = (p + q) % 2 ? 255 : 0;
        for (const [dx, dy] of [[0, 0], [z - 1, 0], [0, z - 1], [z - 1, z - 1]] as const) assert.equal(at(x0 + p * z + dx, y0 + q * z + dy), want, `pixel (${p}, ${q}) at scale ${scale}`);
      }
  }
});

test("a figure too large to rasterize is refused with a clear error", async () => {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="20000" height="6000"></svg>`;
  await assert.rejects(rasterize(svg), /figure too large to rasterize: 20000×6000 px \(limit 100 megapixels\)/);
  await assert.rejects(rasterize(`<svg xmlns="http://www.w3.org/2000/svg" width="4000" height="3000"></svg>`, 3), /12000×9000 px/);
});

test("text renders with the shipped font: a title's ink spans its measured width", async () => {
  const label = "Fréchet ∅ αβγ";
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="300" height="40"><text x="10" y="28" font-size="20">${label}</text></svg>`;
  const r = await rasterize(svg);
  let lo = Infinity, hi = -Infinity;
  for (let y = 0; y < r.height; y++) for (let x = 0; x < r.width; x++) if (r.rgba[4 * (y * r.width + x)]! < 128) [lo, hi] = [Math.min(lo, x), Math.max(hi, x)];
  const want = measureText(label, 20);
  assert.ok(Number.isFinite(lo), "no ink: text did not render");
  assert.ok(Math.abs(hi - lo - want) < 6, `ink ${lo}..${hi} vs measured width ${want.toFixed(1)}`);
});

test("every special character flowlab draws is in the font's character map; a missing one is reported", () => {
  const special = "∅ p_t(x|z) α β γ σ ε θ μ ∇ ² √ − × · ≥ ≤ ≈ → … — é ä ö ü Fréchet Kynkäänniemi ? % # [ ] { } / ° ±";
  assert.deepEqual(missingGlyphs(plain(special)), []);
  assert.deepEqual(missingGlyphs("∅ 字 𝔉"), ["字", "𝔉"]);
  assert.deepEqual(missingGlyphs("Fréchet ∅ ₜ", "bold"), []);
});

test("label markup: _x and _{…} are subscripts", () => {
  assert.deepEqual(runs("p_t(x|z)"), [{ text: "p", sub: false }, { text: "t", sub: true }, { text: "(x|z)", sub: false }]);
  assert.deepEqual(runs("α_{t+1}²"), [{ text: "α", sub: false }, { text: "t+1", sub: true }, { text: "²", sub: false }]);
  assert.equal(plain("β_t² I"), "βt² I");
});

const row = (solver: string, nfe: number, acc: number, fd: number): ChartRow => ({ label: `${solver} NFE ${nfe}`, w: 3, solver, steps: nfe / 2, nfe, report: { n: 100, accuracy: acc, fd, diversity: 0.9 } });

test("solver chart: axis titles, every solver in the legend in its palette colour, the legend right of the plots, accuracy 0–100 %", async () => {
  const rows = ["euler", "midpoint", "heun", "rk4"].flatMap((s, i) => [row(s, 10 + i, 0.4 + 0.1 * i, 400), row(s, 100, 1, 66)]);
  const svg = await chartSvg(evalChartSpec(rows)!);
  const texts = textsOf(svg);
  for (const l of ["Euler", "midpoint", "Heun", "RK4", "solver", "accuracy (%)", "FD on judge features (log scale)", "diversity (1 = real digits)", "network evaluations (NFE, log scale)", "Fréchet distance (lower is better)", "0", "100"])
    assert.ok(texts.includes(l), `"${l}" missing from ${JSON.stringify(texts)}`);
  assert.ok(!texts.includes("120"), "the accuracy axis stops at 100");
  for (const c of Object.values(SOLVER_COLOURS)) assert.match(svg, new RegExp(`stroke="${c}"`, "i"));
  const legendX = Number(/role-legend"[^>]*><g transform="translate\(([\d.]+)/.exec(svg)![1]);
  const lastPanelX = Number(/concat_2_group"[^>]*><g transform="translate\(([\d.]+)/.exec(svg)![1]);
  assert.ok(legendX >= lastPanelX + CHART_STYLE.width, `legend at x = ${legendX}, last plot ends at ${lastPanelX + CHART_STYLE.width}`);
  assert.ok(fontSizes(svg).every((s) => s >= 12), `font sizes ${fontSizes(svg).join(", ")}`);
  assert.deepEqual(missingGlyphs(texts.join("")), []);
  const r = await rasterize(svg, 2);
  assert.deepEqual([r.width, r.height], size(svg).map((v) => v * 2));
});

test("guidance chart: w on x, the guidance method in its palette colour, no chart for a single row", async () => {
  const rows: ChartRow[] = [0.5, 1, 3].map((w, i) => ({ label: `w = ${w}`, w, solver: "heun", steps: 12, nfe: 48, report: { n: 500, accuracy: 0.5 + 0.2 * i, fd: 50 - i, diversity: 1.1 - 0.1 * i } }));
  const svg = await chartSvg(evalChartSpec(rows)!);
  const texts = textsOf(svg);
  for (const l of ["guidance scale w (log scale)", "FD on judge features", "0.5", "1", "3", "CFG", "guidance", "real digits", "heun, 12 steps; 50 digits per class and w"]) assert.ok(texts.includes(l), `"${l}" missing from ${JSON.stringify(texts)}`);
  assert.match(svg, new RegExp(`stroke="${GUIDANCE_COLOURS["cfg"]}"`, "i"));
  assert.equal(evalChartSpec(rows.slice(0, 1)), null);
});

test("palette: a name keeps its colour whatever else is plotted; unknown names get distinct extras", () => {
  assert.deepEqual(coloursFor(["heun", "euler"]), [SOLVER_COLOURS["heun"], SOLVER_COLOURS["euler"]]);
  assert.deepEqual(coloursFor(["RK4"]), [SOLVER_COLOURS["rk4"]]);
  const [a, b] = coloursFor(["mystery", "other"]);
  assert.notEqual(a, b);
  assert.ok(![...Object.values(SOLVER_COLOURS), ...Object.values(GUIDANCE_COLOURS)].includes(a!));
});
