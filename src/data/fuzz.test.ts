// Property-based tests of the IDX reader: any corruption of a valid images or labels file (raw or
// gzipped) either parses to a consistent set of square images, or throws an IdxError naming the file.
import { test } from "node:test";
import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { parseIdxImages, parseIdxLabels, IdxError } from "./idx.js";
import { mutation, applyMutations } from "../testing/mutate.js";
import { check } from "../testing/fuzz.js";

const SOURCE = "fuzzed-idx";

function idx(magic: number, dims: number[], body: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + body.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, magic, false);
  dims.forEach((d, i) => dv.setUint32(4 + 4 * i, d, false));
  out.set(body, 4 + 4 * dims.length);
  return out;
}

const images = idx(2051, [3, 4, 4], Uint8Array.from({ length: 48 }, (_, i) => i * 5));
const labels = idx(2049, [3], Uint8Array.from([1, 7, 9]));

function own(e: unknown): void {
  assert.ok(e instanceof IdxError, `expected an IdxError, got ${(e as Error).name}: ${(e as Error).message}`);
  assert.ok(e.message.startsWith(`${SOURCE}: `) && !e.message.includes("\n"), e.message);
}

test("IDX images: corruption (raw or gzipped) parses to square images or throws an IdxError naming the file", () =>
  check("idx images", fc.property(fc.array(mutation(24), { minLength: 1, maxLength: 3 }), fc.boolean(), (ms, gz) => {
    const b = applyMutations(images, ms);
    try {
      const r = parseIdxImages(gz ? gzipSync(b) : b, SOURCE);
      assert.ok(r.count > 0 && r.rows === r.cols && r.rows > 0);
      assert.equal(r.pixels.length, r.count * r.rows * r.cols);
    } catch (e) {
      own(e);
    }
  }), 300));

test("IDX labels: corruption parses to a consistent label list or throws an IdxError naming the file", () =>
  check("idx labels", fc.property(fc.array(mutation(12), { minLength: 1, maxLength: 3 }), (ms) => {
    try {
      parseIdxLabels(applyMutations(labels, ms), SOURCE);
    } catch (e) {
      own(e);
    }
  }), 300));

test("IDX: 56×14 images (the byte count of 28×28) and an empty set are refused, naming the file", () => {
  const px = new Uint8Array(2 * 784);
  assert.throws(() => parseIdxImages(idx(2051, [2, 56, 14], px), "odd.idx"), /^IdxError: odd\.idx: images are 56×14 \(rows × columns\); flowlab needs square images such as MNIST's 28×28$/);
  assert.throws(() => parseIdxImages(idx(2051, [0, 28, 28], new Uint8Array(0)), "empty.idx"), /^IdxError: empty\.idx: holds no images/);
  assert.equal(parseIdxImages(idx(2051, [2, 28, 28], px), "ok.idx").count, 2);
});
