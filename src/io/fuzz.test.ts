// Property-based tests of the file parsers (safetensors, .npy): for any corruption of a valid file the
// parser either returns a self-consistent result or throws its own error naming the file in one line.
// Also: a flipped bit in the tensor data is caught by the stored SHA-256, and long file names write.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseSafetensors, serializeSafetensors, SafetensorsError, CHECKSUM_KEY, type StTensor } from "./safetensors.js";
import { writeFileAtomic, tempFileFor, removeStaleTemps } from "./atomic.js";
import { encodeNpy, decodeNpy, NpyError } from "./npy.js";
import { mutation, applyMutations, jsonJunk } from "../testing/mutate.js";
import { check } from "../testing/fuzz.js";

const SOURCE = "fuzzed.bin";
const count = (shape: readonly number[]) => shape.reduce((a, d) => a * d, 1);

function expectOwnError(e: unknown, type: new (...a: never[]) => Error): void {
  assert.ok(e instanceof type, `expected a ${type.name}, got ${(e as Error).name}: ${(e as Error).message}`);
  assert.ok(e.message.startsWith(`${SOURCE}: `), `message does not name the file: ${e.message}`);
  assert.ok(!e.message.includes("\n"), `message spans lines: ${e.message}`);
}

const tensors: [string, StTensor][] = [
  ["a.weight", { dtype: "F32", shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) }],
  ["a.bias", { dtype: "F32", shape: [2], data: Float32Array.from([0.5, -0.5]) }],
  ["n", { dtype: "I64", shape: [], data: BigInt64Array.from([7n]) }],
  ["ids", { dtype: "I32", shape: [3], data: Int32Array.from([1, 2, 3]) }],
  ["px", { dtype: "U8", shape: [4], data: Uint8Array.from([0, 1, 254, 255]) }],
];
const valid = serializeSafetensors(tensors, { note: "x" });

function safetensorsProperty(bytes: Uint8Array): void {
  try {
    const f = parseSafetensors(bytes, SOURCE);
    for (const [k, t] of f.tensors) assert.equal(t.data.length, count(t.shape), `${k}: shape and data disagree`);
    for (const v of Object.values(f.metadata)) assert.equal(typeof v, "string");
  } catch (e) {
    expectOwnError(e, SafetensorsError);
  }
}

test("safetensors: byte-level corruption never escapes as anything but a SafetensorsError naming the file", () =>
  check("safetensors bytes", fc.property(fc.array(mutation(160), { minLength: 1, maxLength: 4 }), (ms) => safetensorsProperty(applyMutations(valid, ms))), 400));

test("safetensors: header-structure corruption (fields replaced, removed, added) is rejected or consistent", () => {
  const n = Number(new DataView(valid.buffer).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(valid.subarray(8, 8 + n))) as Record<string, Record<string, unknown>>;
  const data = valid.subarray(8 + n);
  const keys = Object.keys(header);
  const edit = fc.record({ key: fc.constantFrom(...keys, "__metadata__", "new"), field: fc.constantFrom("dtype", "shape", "data_offsets", "note", "*"), value: jsonJunk, drop: fc.boolean() });
  return check("safetensors header", fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), (edits) => {
    const h = structuredClone(header) as Record<string, unknown>;
    for (const { key, field, value, drop } of edits) {
      if (field === "*") {
        if (drop) delete h[key];
        else h[key] = value;
      } else {
        const entry = (h[key] && typeof h[key] === "object" ? h[key] : (h[key] = {})) as Record<string, unknown>;
        if (drop) delete entry[field];
        else entry[field] = value;
      }
    }
    const json = new TextEncoder().encode(JSON.stringify(h));
    const out = new Uint8Array(8 + json.length + data.length);
    new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
    out.set(json, 8);
    out.set(data, 8 + json.length);
    safetensorsProperty(out);
  }), 400);
});

const npy = encodeNpy({ dtype: "<f4", shape: [2, 1, 2, 2], data: Float32Array.from({ length: 8 }, (_, i) => i / 8) });

function npyProperty(bytes: Uint8Array): void {
  try {
    const a = decodeNpy(bytes, SOURCE);
    assert.equal(a.data.length, count(a.shape));
    assert.ok(["<f4", "<i8", "<i4", "|u1"].includes(a.dtype));
  } catch (e) {
    expectOwnError(e, NpyError);
  }
}

test(".npy: byte-level corruption never escapes as anything but an NpyError naming the file", () =>
  check("npy bytes", fc.property(fc.array(mutation(128), { minLength: 1, maxLength: 4 }), (ms) => npyProperty(applyMutations(npy, ms))), 400));

test(".npy: header text corruption (descr, order, shape) is rejected or consistent", () => {
  const text = new TextDecoder("latin1").decode(npy.subarray(10, 10 + new DataView(npy.buffer).getUint16(8, true)));
  const field = fc.oneof(
    fc.constantFrom("'<f4'", "'<f8'", "'>f4'", "'<i8'", "'|u1'", "'<i4'", "''", "'O'", "True", "False", "()", "(8,)", "(2, 2, 2)", "(-1, 8)", "(1e3,)", "(0,)", "(2, 1, 2, 2, )", "(99999999999, 99999999999)"),
    fc.string({ maxLength: 12 }),
  );
  const parts = /^(\{'descr': )('<f4')(, 'fortran_order': )(False)(, 'shape': )(\([^)]*\))(.*)$/s.exec(text)!;
  return check("npy header", fc.property(field, field, field, fc.boolean(), (d, f, s, v2) => {
    const header = `${parts[1]}${d}${parts[3]}${f}${parts[5]}${s}${parts[7]}`;
    const hb = new TextEncoder().encode(header);
    const body = npy.subarray(10 + parts.slice(1).join("").length);
    const pre = v2 ? 12 : 10;
    const out = new Uint8Array(pre + hb.length + body.length);
    out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, v2 ? 2 : 1, 0]);
    if (v2) new DataView(out.buffer).setUint32(8, hb.length, true);
    else new DataView(out.buffer).setUint16(8, hb.length, true);
    out.set(hb, pre);
    out.set(body, pre + hb.length);
    npyProperty(out);
  }), 300);
});

/** Where the tensor data of a safetensors file starts. */
const dataStart = (b: Uint8Array) => 8 + Number(new DataView(b.buffer, b.byteOffset).getBigUint64(0, true));

test("safetensors checksum (issue 27 item 9): any bit flip in the tensor data of a file flowlab wrote is refused; verify: false reads it; a file without one (PyTorch's) is read", () => {
  const start = dataStart(valid);
  assert.match(parseSafetensors(valid, SOURCE).metadata[CHECKSUM_KEY] ?? "", /^[0-9a-f]{64}$/);
  check("bit rot", fc.property(fc.integer({ min: start, max: valid.length - 1 }), fc.integer({ min: 0, max: 7 }), (at, bit) => {
    const rotten = valid.slice();
    rotten[at] = rotten[at]! ^ (1 << bit);
    assert.throws(() => parseSafetensors(rotten, SOURCE), (e: Error) => e instanceof SafetensorsError && e.message === `${SOURCE}: not a valid safetensors file: its tensor data does not match the SHA-256 stored in its metadata (bit rot, or an edit after it was written); --no-verify reads it anyway`);
    assert.equal(parseSafetensors(rotten, SOURCE, { verify: false }).tensors.size, tensors.length);
  }), 200);
  // a bare file as PyTorch writes it: no metadata, so nothing to verify
  const n = Number(new DataView(valid.buffer).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(valid.subarray(8, 8 + n))) as Record<string, unknown>;
  delete header["__metadata__"];
  const json = new TextEncoder().encode(JSON.stringify(header));
  const bare = new Uint8Array(8 + json.length + valid.length - start);
  new DataView(bare.buffer).setBigUint64(0, BigInt(json.length), true);
  bare.set(json, 8);
  bare.set(valid.subarray(start), 8 + json.length);
  bare[bare.length - 1] = bare[bare.length - 1]! ^ 1;
  assert.equal(parseSafetensors(bare, SOURCE).tensors.size, tensors.length);
});

test("long file names (issue 27 item 5): any name up to 255 bytes is written atomically, its temp name fits, and a killed write's temp is found", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "flowlab-names-"));
  const char = fc.constantFrom("a", "Z", "0", "-", "é", "数", "🙂", " ");
  const name = fc.array(char, { minLength: 1, maxLength: 255 }).map((cs) => {
    let s = "";
    for (const c of cs) if (Buffer.byteLength(s + c) <= 255) s += c;
    return s.trim() === "" || s === "." || s === ".." ? "x" + s.slice(1) : s;
  });
  check("long names", fc.property(name, (n) => {
    const file = path.join(dir, n);
    writeFileAtomic(file, "ok");
    assert.equal(readFileSync(file, "utf8"), "ok");
    const tmp = tempFileFor(file);
    assert.ok(Buffer.byteLength(path.basename(tmp)) <= 255, `temp name of ${Buffer.byteLength(n)} bytes is ${Buffer.byteLength(path.basename(tmp))}`);
    writeFileSync(tmp, "killed");
    assert.deepEqual(removeStaleTemps(file), [path.basename(tmp)]);
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith(".tmp")), []);
  }), 200);
  // names of 228..255 bytes: the range that failed with ENAMETOOLONG before
  for (let len = 228; len <= 255; len++) writeFileAtomic(path.join(dir, "n".repeat(len)), "ok");
});
