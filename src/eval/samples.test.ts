// Reading external samples for eval: int64 labels never wrap, [0, 1] images are read as [0, 1], an empty
// file is refused; and a property: any samples/labels file gives images in [−1, 1] with labels 0..9, or an
// InputError naming the file and its role.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { readSamples, detectRange } from "./samples.js";
import { encodeNpy, type NpyArray } from "../io/npy.js";
import { InputError } from "../io/errors.js";
import { check } from "../testing/fuzz.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "flowlab-samples-"));
const put = (name: string, a: NpyArray) => {
  const f = path.join(dir, name);
  writeFileSync(f, encodeNpy(a));
  return f;
};
const images = (n: number, f: (i: number) => number) => put(`s${n}-${Math.random()}.npy`, { dtype: "<f4", shape: [n, 1, 32, 32], data: Float32Array.from({ length: n * 1024 }, (_, i) => f(i)) });

test("int64 labels are checked before narrowing: 2^40 + 5 and 2^32 − 1 are refused, not read as 5 and −1", () => {
  const s = images(2, () => 0.5);
  for (const bad of [2n ** 40n + 5n, 2n ** 32n - 1n, -1n]) {
    const l = put(`l${bad}.npy`, { dtype: "<i8", shape: [2], data: BigInt64Array.from([3n, bad]) });
    assert.throws(() => readSamples(s, l), (e: unknown) => e instanceof InputError && e.input === "labels" && e.message.includes(`label ${bad} at index 1 is outside 0..9`));
  }
  const ok = put("lok.npy", { dtype: "<i8", shape: [2], data: BigInt64Array.from([3n, 9n]) });
  assert.deepEqual([...readSamples(s, ok).labels], [3, 9]);
});

test("float32 samples in [0, 1] are read as [0, 1] (said so), [−1, 1] and 0..255 as before, and --range overrides", () => {
  const unit = images(10, (i) => (i % 4) / 3);
  const r = readSamples(unit);
  assert.equal(r.range, "0..1");
  assert.deepEqual([...r.images.subarray(0, 4)].map((v) => +v.toFixed(4)), [-1, -0.3333, 0.3333, 1]);
  assert.equal(readSamples(images(10, (i) => (i % 3) - 1)).range, "-1..1");
  assert.equal(readSamples(images(10, (i) => i % 256)).range, "0..255");
  assert.equal(readSamples(unit, undefined, "-1..1").images[0], 0);
  assert.throws(() => readSamples(images(10, () => 200), undefined, "0..1"), /values span \[200\.000, 200\.000\], outside the range 0\.\.1 they were declared in/);
  assert.equal(detectRange(-0.2, 0.9), "-1..1");
  assert.equal(detectRange(0, 0.9), "0..1");
  assert.equal(detectRange(0, 3), "0..255");
  assert.equal(detectRange(-3, 1), null);
});

test("an empty [0, 1, 32, 32] file is refused instead of scoring NaN %", () => {
  const f = put("empty.npy", { dtype: "<f4", shape: [0, 1, 32, 32], data: new Float32Array(0) });
  assert.throws(() => readSamples(f), (e: unknown) => e instanceof InputError && e.input === "samples" && /holds no samples \(shape \[0, 1, 32, 32\]\)/.test(e.message));
});

test("property: any samples and labels file gives [−1, 1] images with labels 0..9, or an InputError naming it", () => {
  const value = fc.oneof(fc.float({ noDefaultInfinity: false, noNaN: false }), fc.float({ min: -1, max: 1, noNaN: true }), fc.float({ min: 0, max: 255, noNaN: true }));
  const dtypes = fc.constantFrom<NpyArray["dtype"]>("<f4", "<i8", "<i4", "|u1");
  const shape = fc.constantFrom<number[]>([10, 1, 32, 32], [10, 32, 32], [0, 32, 32], [3, 1, 32, 32], [10, 28, 28], [10]);
  const labelArr = fc.record({ dtype: dtypes, n: fc.constantFrom(10, 9, 3), v: fc.oneof(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.bigInt({ min: 0n, max: 11n })) });
  let n = 0;
  return check("readSamples", fc.property(shape, dtypes, value, value, fc.option(labelArr), (sh, dt, a, b, lab) => {
    const count = sh.reduce((x, d) => x * d, 1);
    const data = dt === "<f4" ? Float32Array.from({ length: count }, (_, i) => (i % 2 ? a : b)) : dt === "<i8" ? new BigInt64Array(count) : dt === "<i4" ? new Int32Array(count) : new Uint8Array(count);
    const s = put(`p${n++}.npy`, { dtype: dt, shape: sh, data });
    let l: string | undefined;
    if (lab) {
      const ld = lab.dtype === "<f4" ? new Float32Array(lab.n).fill(1) : lab.dtype === "<i8" ? new BigInt64Array(lab.n).fill(BigInt.asIntN(64, lab.v)) : lab.dtype === "<i4" ? new Int32Array(lab.n).fill(Number(BigInt.asIntN(32, lab.v))) : new Uint8Array(lab.n).fill(Number(BigInt.asUintN(8, lab.v)));
      l = put(`q${n++}.npy`, { dtype: lab.dtype, shape: [lab.n], data: ld });
    }
    try {
      const r = readSamples(s, l);
      assert.ok(r.images.length > 0 && r.images.every((v) => v >= -1 && v <= 1), "images outside [−1, 1]");
      assert.equal(r.labels.length * 1024, r.images.length);
      assert.ok(r.labels.every((v) => v >= 0 && v <= 9), "labels outside 0..9");
    } catch (e) {
      assert.ok(e instanceof InputError, `expected an InputError, got ${(e as Error).name}: ${(e as Error).message}`);
      assert.ok((e.file === s && e.input === "samples") || (e.file === l && e.input === "labels"), e.message);
      assert.ok(!e.message.includes("\n"));
    }
  }), 150);
});
