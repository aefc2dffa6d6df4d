// Evaluation: Fréchet distance maths, and calibration of the judge-based metrics (real digits,
// Gaussian noise, shuffled labels); bad sample files.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import * as T from "../tensor/index.js";
import { setup, repoRoot } from "../testing/helpers.js";
import { frechet, meanCov, sqrtPsd } from "./linalg.js";
import { score } from "./metrics.js";
import { judgeReport } from "./judging.js";
import { loadJudge, realImages } from "./real-images.js";
import { readSamples } from "./samples.js";
import { judge, accuracy } from "../judge/judge.js";
import { loadDataset } from "../data/load.js";
import { encodeNpy } from "../io/npy.js";

before(() => setup(2));

test("Fréchet distance: 0 for identical Gaussians, (Δμ)² + (σ1 − σ2)² in 1-D, matches diagonal case", () => {
  const m = Float64Array.from([1, 2]), c = Float64Array.from([2, 0.5, 0.5, 1]);
  assert.ok(frechet(m, c, m, c, 2) < 1e-9);
  assert.ok(Math.abs(frechet(Float64Array.from([1]), Float64Array.from([4]), Float64Array.from([3]), Float64Array.from([1]), 1) - (4 + 1)) < 1e-9);
  const d1 = Float64Array.from([4, 0, 0, 9]), d2 = Float64Array.from([1, 0, 0, 1]);
  assert.ok(Math.abs(frechet(Float64Array.from([0, 0]), d1, Float64Array.from([0, 0]), d2, 2) - ((2 - 1) ** 2 + (3 - 1) ** 2)) < 1e-9);
  const s = sqrtPsd(c, 2);
  const back = [s[0]! * s[0]! + s[1]! * s[2]!, s[0]! * s[1]! + s[1]! * s[3]!, s[2]! * s[0]! + s[3]! * s[2]!, s[2]! * s[1]! + s[3]! * s[3]!];
  back.forEach((v, i) => assert.ok(Math.abs(v - c[i]!) < 1e-9));
  const { mean, cov } = meanCov(Float32Array.from([1, 2, 3, 4, 5, 6]), 3, 2);
  assert.deepEqual(Array.from(mean), [3, 4]);
  assert.deepEqual(Array.from(cov), [4, 4, 4, 4]);
});

const judgeFile = path.join(repoRoot, "models", "judge.safetensors");
test("calibration: real digits ≈ judge accuracy and FD ≈ 0; noise and shuffled labels give chance", { skip: existsSync(judgeFile) ? false : "models/judge.safetensors not trained yet" }, () => {
  const net = loadJudge(judgeFile);
  const ref = realImages(net);
  const test10k = loadDataset("mnist", "test");
  const full = accuracy(judge(net, test10k.images).predictions, test10k.labels);
  assert.ok(full >= 0.99, `judge accuracy on MNIST test ${full} < 99 %`);
  // 2000 real digits, evaluated like samples
  const n = 2000;
  const images = test10k.images.slice(0, n * 1024), labels = test10k.labels.slice(0, n);
  const real = score(judge(net, images), labels, images, ref, 10);
  assert.ok(Math.abs(real.accuracy - full) < 0.01, `real accuracy ${real.accuracy} vs ${full}`);
  assert.deepEqual(judgeReport({ net, data: "mnist", real: ref }, images, labels), real, "judgeReport is score() of the judge's reading, a row per class");
  // FD is in the judge's feature units; with 2000 vs 10000 digits in 128-d the estimator's own bias
  // is a few units, so "near 0" is judged against noise (below)
  assert.ok(Math.abs(real.diversity - 1) < 0.1, `diversity of real digits ${real.diversity}`);
  const noise = T.tidy(() => T.randn([n, 1, 32, 32], new T.Rng(1)).toFloat32Array());
  const nz = score(judge(net, noise), labels, noise, ref, 10);
  assert.ok(nz.accuracy < 0.25, `noise accuracy ${nz.accuracy}`);
  assert.ok(real.fd < 0.02 * nz.fd && real.fd < 10, `FD of real digits ${real.fd} should be near 0 next to noise's ${nz.fd}`);
  console.log(`calibration: real digits accuracy ${(real.accuracy * 100).toFixed(2)} %, FD ${real.fd.toFixed(2)}, diversity ${real.diversity.toFixed(3)}; noise accuracy ${(nz.accuracy * 100).toFixed(1)} %, FD ${nz.fd.toFixed(0)}`);
  const shuffled = Int32Array.from(labels);
  const rng = new T.Rng(2);
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
  }
  const sh = score(judge(net, images), shuffled, images, ref, 10);
  assert.ok(sh.accuracy < 0.2, `shuffled-label accuracy ${sh.accuracy}`);
  console.log(`calibration: shuffled labels accuracy ${(sh.accuracy * 100).toFixed(1)} %`);
});

test("bad sample files get errors that say what was expected", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "flowlab-eval-"));
  const f = (name: string, a: Parameters<typeof encodeNpy>[0]) => {
    const p = path.join(dir, name);
    writeFileSync(p, encodeNpy(a));
    return p;
  };
  const wrongShape = f("shape.npy", { dtype: "<f4", shape: [10, 28, 28], data: new Float32Array(7840) });
  const wrongType = f("int.npy", { dtype: "<i4", shape: [10, 32, 32], data: new Int32Array(10240) });
  const wild = f("wild.npy", { dtype: "<f4", shape: [10, 32, 32], data: new Float32Array(10240).fill(-7) });
  const good = f("good.npy", { dtype: "<f4", shape: [10, 1, 32, 32], data: new Float32Array(10240) });
  const labels = f("labels.npy", { dtype: "<i8", shape: [9], data: new BigInt64Array(9) });
  assert.throws(() => readSamples(wrongShape), /expected shape \[N, 1, 32, 32\] or \[N, 32, 32\], got \[10, 28, 28\]/);
  assert.throws(() => readSamples(wrongType), /samples must be float32/);
  assert.throws(() => readSamples(wild), /outside any known image range \(expected \[−1, 1\] or 0\.\.255\)/);
  assert.throws(() => readSamples(good, labels), /expected 10 labels \(shape \[10\]\) to match the samples, got \[9\]/);
  assert.equal(readSamples(good).labels[9], 9);
});
