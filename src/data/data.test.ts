// IDX parsing, PIL-exact resize against the golden first 8 MNIST digits, and bad-file errors.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync, readFileSync, existsSync } from "node:fs";
import { gzipSync } from "node:zlib";
import os from "node:os";
import path from "node:path";
import * as T from "../tensor/index.js";
import { setup, golden } from "../testing/helpers.js";
import { parseIdxImages, parseIdxLabels } from "./idx.js";
import { resizeBilinearU8 } from "./resize.js";
import { loadDataset, mnistDir } from "./load.js";
import { distinctIndices } from "./dataset.js";

before(() => setup(2));

test("MNIST train loads: 60000 digits, 32×32 in [−1, 1], matching the lab's transforms exactly", () => {
  const ds = loadDataset("mnist", "train");
  assert.equal(ds.count, 60000);
  const g = golden("mnist32_first8.safetensors").tensors;
  const raw = g.get("raw28_u8")!.data as Uint8Array;
  const resized = g.get("resized32_u8")!.data as Uint8Array;
  for (let n = 0; n < 8; n++) {
    const out = resizeBilinearU8(raw.subarray(n * 784, (n + 1) * 784), 28, 28, 32, 32);
    assert.deepEqual(Array.from(out), Array.from(resized.subarray(n * 1024, (n + 1) * 1024)), `image ${n} resize`);
  }
  const images = g.get("images")!.data as Float32Array;
  assert.deepEqual(Array.from(ds.images.subarray(0, 8 * 1024)), Array.from(images), "normalised images bit for bit");
  assert.deepEqual(Array.from(ds.labels.subarray(0, 8)), [5, 0, 4, 1, 9, 2, 1, 3]);
  assert.equal(loadDataset("mnist", "test").count, 10000);
});

test("batch sampler: seeded, distinct indices, right shapes", () => {
  const ds = loadDataset("mnist", "train");
  const a = distinctIndices(60000, 250, new T.Rng(1)), b = distinctIndices(60000, 250, new T.Rng(1));
  assert.deepEqual(a, b);
  assert.equal(new Set(a).size, 250);
  T.tidy(() => {
    const { z, y } = ds.sample(16, new T.Rng(3));
    assert.deepEqual(z.shape, [16, 1, 32, 32]);
    assert.deepEqual(y.shape, [16]);
    assert.equal(y.dtype, "i32");
  });
});

test("gzipped IDX files and idx:DIR load the same as raw files", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "flowlab-idx-"));
  const src = mnistDir();
  for (const f of ["t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]) writeFileSync(path.join(dir, f + ".gz"), gzipSync(readFileSync(path.join(src, f))));
  const ds = loadDataset(`idx:${dir}`, "test");
  assert.deepEqual(ds.images.subarray(0, 5000), loadDataset("mnist", "test").images.subarray(0, 5000));
});

const good = readFileSync(path.join(mnistDir(), "t10k-labels-idx1-ubyte"));
const goodImg = readFileSync(path.join(mnistDir(), "t10k-images-idx3-ubyte")).subarray(0, 16 + 784 * 3);
const hdr = Buffer.from(goodImg);
hdr.writeUInt32BE(3, 4); // three images
const bad: [string, () => unknown, RegExp][] = [
  ["truncated labels", () => parseIdxLabels(good.subarray(0, 500), "labels.idx"), /labels\.idx: header says 10000 labels .* but the file has 500 bytes \(truncated\)/],
  ["labels file as images", () => parseIdxImages(good, "x.idx"), /x\.idx: magic number 2049, expected 2051 .*looks like a labels file/],
  ["garbage", () => parseIdxImages(new Uint8Array([1, 2, 3]), "g.idx"), /g\.idx: only 3 bytes/],
  ["truncated images", () => parseIdxImages(hdr.subarray(0, 100), "i.idx"), /i\.idx: header says 3 images of 28×28 .* \(truncated\)/],
  ["corrupt gzip", () => parseIdxImages(new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0]), "c.gz"), /c\.gz: corrupt gzip/],
  ["missing folder", () => loadDataset("idx:/nonexistent/flowlab", "train"), /images for the train split not found in \/nonexistent\/flowlab/],
  ["unknown spec", () => loadDataset("cifar", "train"), /unknown data "cifar"/],
];
for (const [name, f, re] of bad) test(`bad data: ${name}`, () => assert.throws(f, re));

test("a valid 3-image IDX file parses", () => {
  assert.equal(parseIdxImages(hdr, "i.idx").count, 3);
});

const FASHION = "/usr/share/datasets/fashion-mnist";
test("Fashion-MNIST from Debian's dataset-fashion-mnist loads through idx:DIR", { skip: existsSync(FASHION) ? false : `${FASHION} absent (apt-get install dataset-fashion-mnist; .ci/run installs it)` }, () => {
  const train = loadDataset(`idx:${FASHION}`, "train");
  const test10k = loadDataset(`idx:${FASHION}`, "test");
  assert.equal(train.count, 60000);
  assert.equal(test10k.count, 10000);
  assert.ok(train.images.every((v) => v >= -1 && v <= 1));
  assert.deepEqual(new Set(train.labels).size, 10);
});
