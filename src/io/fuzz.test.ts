// Property-based tests of the file parsers (safetensors, .npy): for any corruption of a valid file the
// parser either returns a self-consistent result or throws its own error naming the file in one line.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { parseSafetensors, serializeSafetensors, SafetensorsError, type StTensor } from "./safetensors.js";
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
