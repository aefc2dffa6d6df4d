// eval's pages: every figure of the run table, the per-class table and the guidance verdict carries
// ± its 95 % half-width; rows saved before intervals keep accuracy's (from the count) and say so; the
// note under a page names the real images its judge compares with.
import { test } from "node:test";
import assert from "node:assert/strict";
import { evalTables, judgeNote, markdown, perClassMarkdown, realImagesText } from "./eval-markdown.js";
import { verdictMarkdown } from "./guidance.js";
import { normalEstimate, proportion } from "../eval/estimate.js";
import type { Report, ReportIntervals } from "../eval/metrics.js";
import type { EvalRow } from "./eval-rows.js";

const iv = (k: number, n: number, conf: number, fd: number, fdSe: number, div: number): ReportIntervals => ({ accuracy: proportion(k, n), confidence: normalEstimate(conf, 0.002), fd: normalEstimate(fd, fdSe), diversity: normalEstimate(div, 0.01) });
function report(k: number, n: number, fd: number, fdSe: number, withIntervals = true): Report {
  const i = iv(k, n, 0.95, fd, fdSe, 0.9);
  const cls = { label: 0, n, accuracy: k / n, confidence: 0.95, fd: fd * 2, diversity: 0.9, ...(withIntervals ? { intervals: iv(k, n, 0.95, fd * 2, fdSe * 3, 0.9) } : {}) };
  return { n, accuracy: k / n, confidence: 0.95, fd, diversity: 0.9, perClass: [cls], ...(withIntervals ? { intervals: i } : {}) };
}
const row = (label: string, w: number, r: Report, guidance?: string): EvalRow => ({ label, w, solver: "midpoint", steps: 5, nfe: 20, seconds: 3, ...(guidance ? { guidance } : {}), report: r });

const CASES: { what: string; rows: EvalRow[]; table: RegExp; perClass: RegExp; old: boolean }[] = [
  { what: "measured intervals", rows: [row("w = 3", 3, report(498, 500, 23.3, 2.5))], table: /\| 99\.6 ± 0\.\d % \| 0\.950 ± 0\.004 \| 23\.30 ± 4\.90 \| 0\.90 ± 0\.02 \| 0: 100 ± 1 % \|/, perClass: /\| w = 3 acc \/ FD \| 100 ± 1 % \/ 46\.6 ± 14\.7 \|/, old: false },
  { what: "rows saved before intervals", rows: [row("w = 3", 3, report(490, 500, 48.6, 2, false))], table: /\| 98\.0 ± 1\.3 % \| 0\.950 \| 48\.60 \| 0\.90 \| 0: 98 ± 1 % \|/, perClass: /\| 98 ± 1 % \/ 97\.2 \|/, old: true },
];
for (const c of CASES)
  test(`eval tables: ${c.what}`, () => {
    assert.match(markdown(c.rows), c.table);
    assert.match(perClassMarkdown(c.rows), c.perClass);
    assert.equal(/Rows saved before intervals/.test(evalTables(c.rows)), c.old);
  });

test("a model with class names heads the per-class columns and the worst class with them; without, the digits' numbers", () => {
  const two = (): Report => {
    const r = report(450, 500, 30, 2);
    return { ...r, perClass: [{ ...r.perClass[0]!, label: 0, accuracy: 0.95 }, { ...r.perClass[0]!, label: 1, accuracy: 0.6 }] };
  };
  const named: EvalRow = { ...row("w = 3", 3, two()), classNames: ["animals", "food"] };
  assert.match(perClassMarkdown([named]), /^\| run \| animals \| food \|$/m);
  assert.match(markdown([named]), /\| food: \d+ ± \d+ % \|$/m);
  assert.match(perClassMarkdown([row("w = 3", 3, two())]), /^\| run \| 0 \| 1 \|$/m);
  assert.match(markdown([row("w = 3", 3, two())]), /\| 1: \d+ ± \d+ % \|$/m);
});

test("the guidance verdict gives each method's FD with its interval and says which are within noise of the best", () => {
  const rows = [row("cfg w = 2", 2, report(499, 500, 23.2, 2), "cfg"), row("rescale w = 2", 2, report(500, 500, 22.3, 2), "rescale:0.7"), row("interval w = 3", 3, report(499, 500, 40, 2), "interval:0.16:0.78"), row("auto w = 2", 2, report(480, 500, 8, 1), "auto:m")];
  const md = verdictMarkdown(rows);
  assert.match(md, /\*\*rescale:0\.7\*\* reaches .* lowest FD \(22\.30 ± 3\.92, at w = 2\)\. cfg is within noise of it/);
  assert.match(md, /\| cfg \| 2 \| 99\.8 ± 0\.\d % \| 23\.20 ± 3\.92 \| within noise \|/);
  assert.match(md, /\| interval:0\.16:0\.78 \| 3 \| .* \| 40\.00 ± 3\.92 \| worse \|/);
  assert.match(md, /\| auto:m \| — \| never ≥ 99\.5 % \|/);
});

test("the note under a page names the real images its judge compares with", () => {
  assert.equal(realImagesText(10000, "mnist", "test split"), "the 10 000 test images of `mnist`");
  const folder = realImagesText(382, "folder:emoji", "held out 20 % per class (seed 0)");
  assert.equal(folder, "the 382 images held out (held out 20 % per class (seed 0)) of `folder:emoji`");
  assert.match(judgeNote(folder), /FD: Fréchet distance between judge features of the samples and of the 382 images held out/);
  assert.doesNotMatch(judgeNote(folder), /MNIST/);
  assert.match(judgeNote(), /the judge's real images/);
});
