// safetensors reader and writer (F32, I32, I64, U8), with strict validation: a malformed file is
// rejected with a message naming what is wrong and is never partially trusted. The writer stores a
// SHA-256 of the tensor data in the metadata; the reader verifies it when present (bit rot is refused).
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import { printable } from "./errors.js";

/** The safetensors dtypes flowlab reads and writes. */
export type StDType = "F32" | "I32" | "I64" | "U8";
/** A safetensors tensor's data. */
export type StArray = Float32Array | Int32Array | BigInt64Array | Uint8Array;

/** One tensor of a safetensors file. */
export interface StTensor {
  dtype: StDType;
  shape: number[];
  data: StArray;
}

/** A parsed safetensors file: tensors by key and the metadata. */
export interface StFile {
  tensors: Map<string, StTensor>;
  metadata: Record<string, string>;
}

/** The metadata key of the SHA-256 (hex) of the tensor data: every byte after the header. */
export const CHECKSUM_KEY = "data_sha256";

/** How to read a safetensors file. */
export interface ParseOptions {
  /** Verify the SHA-256 of the tensor data against the metadata's, when the file has one (default true). */
  verify?: boolean;
}

const BYTES: Record<StDType, number> = { F32: 4, I32: 4, I64: 8, U8: 1 };
const MAX_HEADER = 100 * 1024 * 1024;

/** A safetensors file is corrupt, truncated or unsupported; the message names it. */
export class SafetensorsError extends Error {
  override name = "SafetensorsError";
}

function fail(source: string, msg: string): never {
  throw new SafetensorsError(`${source}: not a valid safetensors file: ${printable(msg, 300)}`);
}

/** Parses and validates a safetensors file. `source` names it in errors. */
export function parseSafetensors(bytes: Uint8Array, source = "safetensors", opts: ParseOptions = {}): StFile {
  if (bytes.length < 8) fail(source, `only ${bytes.length} bytes; the 8-byte header length is missing (truncated?)`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n64 = dv.getBigUint64(0, true);
  if (n64 > BigInt(MAX_HEADER)) fail(source, `header length ${n64} exceeds ${MAX_HEADER} bytes`);
  const n = Number(n64);
  if (n < 2) fail(source, `header length ${n} is too small`);
  if (8 + n > bytes.length) fail(source, `header says ${n} bytes but the file has only ${bytes.length - 8} after the length (truncated?)`);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch (e) {
    fail(source, `header is not valid UTF-8 JSON (${(e as Error).message})`);
  }
  if (header === null || typeof header !== "object" || Array.isArray(header)) fail(source, "header must be a JSON object");
  const dataStart = 8 + n;
  const dataLen = bytes.length - dataStart;
  const tensors = new Map<string, StTensor>();
  let metadata: Record<string, string> = {};
  const ranges: [number, number, string][] = [];
  for (const [key, value] of Object.entries(header as Record<string, unknown>)) {
    if (key === "__metadata__") {
      if (value === null || typeof value !== "object" || Array.isArray(value)) fail(source, "__metadata__ must be an object of strings");
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) if (typeof v !== "string") fail(source, `__metadata__.${k} is not a string`);
      metadata = value as Record<string, string>;
      continue;
    }
    if (value === null || typeof value !== "object") fail(source, `entry "${key}" is not an object`);
    const { dtype, shape, data_offsets } = value as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof dtype !== "string" || !(dtype in BYTES)) fail(source, `entry "${key}" has unsupported dtype ${JSON.stringify(dtype)} (supported: F32, I32, I64, U8)`);
    if (!Array.isArray(shape) || shape.some((d) => !Number.isSafeInteger(d) || d < 0)) fail(source, `entry "${key}" has an invalid shape ${JSON.stringify(shape)}`);
    if (!Array.isArray(data_offsets) || data_offsets.length !== 2 || data_offsets.some((d) => !Number.isSafeInteger(d) || d < 0)) {
      fail(source, `entry "${key}" has invalid data_offsets ${JSON.stringify(data_offsets)}`);
    }
    const [b, e] = data_offsets as [number, number];
    const dt = dtype as StDType;
    const count = (shape as number[]).reduce((a, d) => a * d, 1);
    if (e < b) fail(source, `entry "${key}" ends (${e}) before it begins (${b})`);
    if (e - b !== count * BYTES[dt]) fail(source, `entry "${key}": shape [${shape.join(", ")}] × ${dt} needs ${count * BYTES[dt]} bytes but its range holds ${e - b}`);
    if (e > dataLen) fail(source, `entry "${key}" ends at byte ${e} past the end of the data (${dataLen} bytes; truncated?)`);
    ranges.push([b, e, key]);
    const abs = dataStart + b;
    const copy = new Uint8Array(e - b); // a fresh, aligned copy (Buffer.slice would alias)
    copy.set(bytes.subarray(abs, abs + (e - b)));
    const buf = copy.buffer;
    const data: StArray =
      dt === "F32" ? new Float32Array(buf) : dt === "I32" ? new Int32Array(buf) : dt === "I64" ? new BigInt64Array(buf) : new Uint8Array(buf);
    tensors.set(key, { dtype: dt, shape: shape as number[], data });
  }
  ranges.sort((x, y) => x[0] - y[0]);
  let end = 0;
  for (const [b, e, key] of ranges) {
    if (b < end) fail(source, `entry "${key}" overlaps the previous tensor`);
    if (b > end) fail(source, `gap of ${b - end} bytes before entry "${key}"`);
    end = e;
  }
  if (end !== dataLen) fail(source, `${dataLen - end} trailing bytes after the last tensor`);
  const stored = metadata[CHECKSUM_KEY];
  if (stored !== undefined && opts.verify !== false && bytesToHex(sha256(bytes.subarray(dataStart))) !== stored) {
    fail(source, "its tensor data does not match the SHA-256 stored in its metadata (bit rot, or an edit after it was written); --no-verify reads it anyway");
  }
  return { tensors, metadata };
}

/** Serialises tensors (in the given order) with optional string metadata, adding the SHA-256 of the tensor data. */
export function serializeSafetensors(tensors: Iterable<[string, StTensor]>, metadata?: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length) header["__metadata__"] = metadata;
  const parts: Uint8Array[] = [];
  let off = 0;
  for (const [name, t] of tensors) {
    const count = t.shape.reduce((a, d) => a * d, 1);
    if (count !== t.data.length) throw new SafetensorsError(`cannot write "${name}": shape [${t.shape.join(", ")}] needs ${count} values, has ${t.data.length}`);
    const raw = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [off, off + raw.length] };
    parts.push(raw);
    off += raw.length;
  }
  const hash = sha256.create();
  for (const part of parts) hash.update(part);
  header["__metadata__"] = { ...(header["__metadata__"] as Record<string, string> | undefined), [CHECKSUM_KEY]: bytesToHex(hash.digest()) };
  let json = JSON.stringify(header);
  const pad = (8 - (new TextEncoder().encode(json).length % 8)) % 8;
  json += " ".repeat(pad);
  const hj = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + hj.length + off);
  new DataView(out.buffer).setBigUint64(0, BigInt(hj.length), true);
  out.set(hj, 8);
  let p = 8 + hj.length;
  for (const part of parts) {
    out.set(part, p);
    p += part.length;
  }
  return out;
}

/** Reads a tensor's values as f32 (I64/I32/U8 converted). */
export function toF32(t: StTensor): Float32Array {
  if (t.data instanceof Float32Array) return t.data;
  const out = new Float32Array(t.data.length);
  for (let i = 0; i < out.length; i++) out[i] = Number(t.data[i]!);
  return out;
}

/** Reads a tensor's values as i32 (checked range). */
export function toI32(t: StTensor, source = "tensor"): Int32Array {
  if (t.data instanceof Int32Array) return t.data;
  const out = new Int32Array(t.data.length);
  for (let i = 0; i < out.length; i++) {
    const v = Number(t.data[i]!);
    if (!Number.isInteger(v) || v < -(2 ** 31) || v >= 2 ** 31) throw new SafetensorsError(`${source}: value ${v} is not a 32-bit integer`);
    out[i] = v;
  }
  return out;
}
