// score()'s intervals: every figure, overall and per class, carries a 95 % interval around its value:
// Wilson for accuracy, the mean's standard error for confidence, a bootstrap for FD, a jackknife for
// diversity; the values are the classic ones, and more samples give narrower intervals.
import { test } from "node:test";
import assert from "node:assert/strict";
import { score, type RealImages } from "./metrics.js";
import { frechet, meanCov } from "./linalg.js";
import { proportion } from "./estimate.js";
import { meanPairwiseL2 } from "./diversity.js";
import { Rng } from "../tensor/random.js";
import type { Judged } from "../judge/judge.js";

const D = 3, P = 16, K = 2;

/** n images per class: features around the class's centre (+ shift), pixels noise of `spread`, every `wrongEvery`-th misread. */
function set(n: number, seed: number, shift = 0, spread = 1, wrongEvery = 0): { labels: Int32Array; features: Float32Array; images: Float32Array; judged: Judged } {
  const rng = new Rng(seed);
  const labels = Int32Array.from({ length: n * K }, (_, i) => Math.floor(i / n));
  const features = Float32Array.from({ length: n * K * D }, (_, i) => labels[Math.floor(i / D)]! * 2 + shift + rng.normal());
  const images = Float32Array.from({ length: n * K * P }, () => spread * rng.normal());
  const predictions = labels.map((l, i) => (wrongEvery && i % wrongEvery === 0 ? 1 - l : l));
  const probs = Float32Array.from(labels, (_, i) => 0.6 + 0.4 * ((i * 7) % 10) / 10);
  const judged: Judged = { predictions, confidence: probs, probOf: (i, k) => (predictions[i] === k ? probs[i]! : 1 - probs[i]!), features };
  return { labels, features, images, judged };
}

const realSet = set(300, 1);
const real: RealImages = { features: realSet.features, labels: realSet.labels, images: realSet.images };

const CASES: { what: string; n: number; shift: number; spread: number; wrongEvery: number }[] = [
  { what: "close to real, a tenth misread", n: 40, shift: 0.2, spread: 1, wrongEvery: 10 },
  { what: "far from real, less varied", n: 40, shift: 3, spread: 0.5, wrongEvery: 4 },
  { what: "few samples", n: 8, shift: 1, spread: 1, wrongEvery: 3 },
];

for (const c of CASES)
  test(`score(): every figure inside its interval, the classic values kept — ${c.what}`, () => {
    const s = set(c.n, 7, c.shift, c.spread, c.wrongEvery);
    const r = score(s.judged, s.labels, s.images, real, K);
    const reports = [r, ...r.perClass];
    for (const rep of reports) {
      const iv = rep.intervals!;
      assert.ok(iv, "intervals measured");
      for (const key of ["accuracy", "confidence", "fd", "diversity"] as const) {
        const e = iv[key];
        assert.equal(e.value, rep[key], `${key} is the reported figure`);
        assert.ok(Number.isFinite(e.se) && e.se > 0 && e.lo <= e.value && e.value <= e.hi, `${key}: ${JSON.stringify(e)}`);
      }
    }
    const wrong = s.labels.filter((_, i) => s.judged.predictions[i] !== s.labels[i]).length;
    assert.deepEqual(r.intervals!.accuracy, proportion(s.labels.length - wrong, s.labels.length));
    // the classic figures: FD of all features, diversity per class ÷ real's
    const a = meanCov(s.features, s.labels.length, D), b = meanCov(real.features, real.labels.length, D);
    assert.ok(Math.abs(r.fd - frechet(a.mean, a.cov, b.mean, b.cov, D)) < 1e-9 * Math.max(1, r.fd), `FD ${r.fd}`);
    const idx = Array.from({ length: c.n }, (_, i) => i), ridx = Array.from({ length: 300 }, (_, i) => i);
    assert.ok(Math.abs(r.perClass[0]!.diversity - meanPairwiseL2(s.images, idx, 200, P) / meanPairwiseL2(real.images, ridx, 200, P)) < 1e-12);
  });

test("score(): more samples, narrower intervals on every figure", () => {
  const few = score(set(10, 3, 1, 1, 3).judged, set(10, 3, 1, 1, 3).labels, set(10, 3, 1, 1, 3).images, real, K).intervals!;
  const many = set(160, 3, 1, 1, 3);
  const lots = score(many.judged, many.labels, many.images, real, K).intervals!;
  for (const key of ["accuracy", "confidence", "fd", "diversity"] as const) assert.ok(lots[key].hi - lots[key].lo < few[key].hi - few[key].lo, `${key}: ${JSON.stringify(lots[key])} vs ${JSON.stringify(few[key])}`);
});

test("score(): no bootstrap resamples, no FD interval (and the other intervals stay)", () => {
  const s = set(20, 5);
  const r = score(s.judged, s.labels, s.images, real, K, { bootstrap: 0, classBootstrap: 0 });
  assert.ok(Number.isFinite(r.fd) && Number.isNaN(r.intervals!.fd.se) && Number.isNaN(r.perClass[0]!.intervals!.fd.se));
  assert.ok(r.intervals!.diversity.se > 0);
});
