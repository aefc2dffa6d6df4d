// The IDX format without Node's gunzip (what the page's worker uses): the same result as the Node
// reader on raw bytes, and a gzip file gets a one-line error naming it instead of garbage.
import { test } from "node:test";
import assert from "node:assert/strict";
import { gunzipSync, gzipSync } from "node:zlib";
import { IdxError, parseIdxImages, parseIdxLabels } from "./idx-format.js";
import * as node from "./idx.js";

// three 2×2 images and their labels, by hand
const images = Uint8Array.from([0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 2, ...Array.from({ length: 12 }, (_, i) => i * 20)]);
const labels = Uint8Array.from([0, 0, 8, 1, 0, 0, 0, 3, 7, 0, 9]);

test("raw IDX bytes parse to what the Node reader gives", () => {
  const a = parseIdxImages(images, "i.idx"), b = node.parseIdxImages(images, "i.idx");
  assert.deepEqual({ ...a, pixels: [...a.pixels] }, { ...b, pixels: [...b.pixels] });
  assert.deepEqual({ count: a.count, rows: a.rows, cols: a.cols }, { count: 3, rows: 2, cols: 2 });
  assert.deepEqual([...parseIdxLabels(labels, "l.idx")], [7, 0, 9]);
});

for (const [what, parse] of [
  ["images", () => parseIdxImages(gzipSync(images), "train-images.idx")],
  ["labels", () => parseIdxLabels(gzipSync(labels), "train-labels.idx")],
] as const) {
  test(`gzip ${what} without a gunzip: an IdxError naming the file`, () => {
    assert.throws(parse, (e: unknown) => e instanceof IdxError && /^train-\w+\.idx: gzip-compressed; .*gunzip the file first/.test(e.message));
  });
}

test("gzip with a gunzip parses as the raw bytes", () => {
  assert.deepEqual([...parseIdxLabels(gzipSync(labels), "l.idx", gunzipSync)], [7, 0, 9]);
});
