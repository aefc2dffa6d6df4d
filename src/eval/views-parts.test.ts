// The views' parts on constructed data: KID is ≈ 0 within its error for one distribution and far
// outside it for a shifted one; precision/recall/coverage on identical, distant and collapsed sets;
// the background level of black, grainy and specked images; diversity's jackknife error.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../tensor/random.js";
import { setup } from "../testing/helpers.js";
import { kid, kidRealSide } from "./kid.js";
import { fidelityVariety, fvRealSide } from "./fidelity-variety.js";
import { backgroundPerImage } from "./background.js";
import { diversity } from "./diversity.js";
import { textureFeatures, TEXTURE_FEATURES, TEXTURE_NET } from "./texture-features.js";

before(() => setup(1));

function gaussian(n: number, d: number, shift: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n * d }, (_, i) => rng.normal() + (i % d === 0 ? shift : 0));
}

test("KID: same distribution within 3 standard errors of 0; a shift of 1 in one of 8 dimensions far outside", () => {
  const d = 8, ref = kidRealSide(gaussian(600, d, 0, 1), d);
  const cases: [number, boolean][] = [
    [0, false],
    [1, true],
  ];
  for (const [shift, differs] of cases) {
    const k = kid(gaussian(300, d, shift, 2 + shift), ref);
    assert.equal(k.value > 3 * k.se, differs, `shift ${shift}: KID ${k.value} ± ${k.se}`);
    assert.ok(k.se > 0);
  }
});

test("precision, recall, density and coverage on identical, distant and collapsed sets", () => {
  const d = 4, real = gaussian(200, d, 0, 1), ref = fvRealSide(real, d);
  const same = fidelityVariety(real, ref);
  assert.equal(same.precision.value, 1);
  assert.equal(same.recall.value, 1);
  assert.equal(same.coverage.value, 1);
  const far = fidelityVariety(gaussian(200, d, 50, 2), ref);
  assert.equal(far.precision.value, 0);
  assert.equal(far.coverage.value, 0);
  const one = real.subarray(0, d);
  const collapsed = Float32Array.from({ length: 200 * d }, (_, i) => one[i % d]!);
  const c = fidelityVariety(collapsed, ref);
  assert.ok(c.recall.value < 0.1 && c.coverage.value < 0.1, `collapsed: recall ${c.recall.value}, coverage ${c.coverage.value}`);
  assert.throws(() => fidelityVariety(real.subarray(0, 5 * d), ref), /more than k = 5 samples, got 5/);
});

function digit(): Float32Array {
  const img = new Float32Array(1024).fill(-1);
  for (let y = 8; y < 24; y++) for (let x = 14; x < 18; x++) img[y * 32 + x] = 1; // a thick "1"
  return img;
}

test("background level: 0 for black around a stroke, up with grain and with a lone speck", () => {
  const clean = digit();
  const grain = clean.map((v, i) => (v === -1 && i % 3 === 0 ? -0.9 : v));
  const speck = Float32Array.from(clean);
  speck[2 * 32 + 2] = 1;
  const blank = new Float32Array(1024).fill(0.5);
  const { level, lit } = backgroundPerImage(Float32Array.from([...clean, ...grain, ...speck, ...blank]));
  assert.equal(level[0], 0);
  assert.equal(lit[0], 0);
  assert.ok(level[1]! > 0.02 && lit[1]! > 0.3, `grain: ${level[1]}, ${lit[1]}`);
  assert.ok(level[2]! > 0.02, `speck: ${level[2]}`);
  assert.equal(level[3], 1, "no background at all scores as far from black as it gets");
});

test("diversity: 1 for the real set itself, with a jackknife error; repeated images score 0", () => {
  const rng = new Rng(4);
  const n = 40, images = Float32Array.from({ length: n * 1024 }, () => rng.normal());
  const labels = Int32Array.from({ length: n }, (_, i) => i % 2);
  const real = Float64Array.from([0, 1], (k) => {
    let s = 0, c = 0;
    for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) {
      if (labels[a] !== k || labels[b] !== k) continue;
      let q = 0;
      for (let i = 0; i < 1024; i++) q += (images[a * 1024 + i]! - images[b * 1024 + i]!) ** 2;
      s += Math.sqrt(q);
      c++;
    }
    return s / c;
  });
  const self = diversity(images, labels, real);
  assert.ok(Math.abs(self.value - 1) < 1e-9 && self.se > 0 && self.se < 0.05, `${self.value} ± ${self.se}`);
  const same = diversity(images.map((_, i) => images[i % 1024]!), labels, real);
  assert.equal(same.value, 0);
});

test("texture features: deterministic, finite, and every first-layer log magnitude raised by faint grain", () => {
  const clean = digit();
  const rng = new Rng(9);
  const grainy = clean.map((v) => Math.max(-1, Math.min(1, v + 0.02 * rng.normal())));
  const f = textureFeatures(Float32Array.from([...clean, ...grainy]));
  assert.equal(f.length, 2 * TEXTURE_FEATURES);
  assert.ok(f.every(Number.isFinite));
  assert.deepEqual(Array.from(textureFeatures(clean)), Array.from(f.subarray(0, TEXTURE_FEATURES)));
  const C = TEXTURE_NET.channels[0]!; // layer 1: C log energies, then C mean log magnitudes
  for (let c = C; c < 2 * C; c++) assert.ok(f[TEXTURE_FEATURES + c]! - f[c]! > 0.1, `feature ${c} under σ = 0.02 grain: ${f[c]} → ${f[TEXTURE_FEATURES + c]}`);
});
