// .npy (NumPy format 1.0) for float32 and int64/int32 arrays: writer and strict reader.
import { printable } from "./errors.js";

/** A NumPy array: dtype descr, shape and data. */
export interface NpyArray {
  dtype: "<f4" | "<i8" | "<i4" | "|u1";
  shape: number[];
  data: Float32Array | BigInt64Array | Int32Array | Uint8Array;
}

/** A .npy file is corrupt or unsupported; the message names it. */
export class NpyError extends Error {
  override name = "NpyError";
}

/** An array as NumPy .npy bytes (version 1.0). */
export function encodeNpy(a: NpyArray): Uint8Array {
  const shape = a.shape.length === 1 ? `(${a.shape[0]},)` : `(${a.shape.join(", ")})`;
  let header = `{'descr': '${a.dtype}', 'fortran_order': False, 'shape': ${shape}, }`;
  const total = 10 + header.length + 1;
  header += " ".repeat((64 - (total % 64)) % 64) + "\n";
  const hb = new TextEncoder().encode(header);
  const out = new Uint8Array(10 + hb.length + a.data.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  new DataView(out.buffer).setUint16(8, hb.length, true);
  out.set(hb, 10);
  out.set(new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength), 10 + hb.length);
  return out;
}

/** .npy bytes → an array; errors name `source`. */
export function decodeNpy(bytes: Uint8Array, source = "array.npy"): NpyArray {
  const fail = (m: string): never => {
    throw new NpyError(`${source}: ${printable(m, 300)}`);
  };
  if (bytes.length < 10 || bytes[0] !== 0x93 || String.fromCharCode(...bytes.subarray(1, 6)) !== "NUMPY") fail("not a .npy file (bad magic)");
  const major = bytes[6]!;
  if (major < 1 || major > 3) fail(`format version ${major}.${bytes[7]} is not supported (expected 1.0, 2.0 or 3.0)`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const hstart = major === 1 ? 10 : 12;
  if (bytes.length < hstart) fail("truncated header");
  const hlen = major === 1 ? dv.getUint16(8, true) : dv.getUint32(8, true);
  if (hstart + hlen > bytes.length) fail("truncated header");
  const header = new TextDecoder().decode(bytes.subarray(hstart, hstart + hlen));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeStr = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeStr === undefined) fail(`unreadable header ${JSON.stringify(header.trim())}`);
  if (fortran === "True") fail("Fortran-ordered arrays are not supported");
  const shape = shapeStr!.split(",").map((s) => s.trim()).filter((s) => s !== "").map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) fail(`bad shape (${shapeStr})`);
  const count = shape.reduce((a, d) => a * d, 1);
  const sizes: Record<string, number> = { "<f4": 4, "<i8": 8, "<i4": 4, "|u1": 1 };
  const size = sizes[descr!];
  if (!size) fail(`dtype ${descr} is not supported (expected float32 '<f4', or int64/int32/uint8 for labels)`);
  const start = hstart + hlen;
  if (bytes.length - start !== count * size!) fail(`shape (${shape.join(", ")}) of ${descr} needs ${count * size!} bytes, the file has ${bytes.length - start}`);
  const raw = new Uint8Array(bytes.subarray(start)); // a copy: Buffer.slice would alias a pooled buffer
  const data = descr === "<f4" ? new Float32Array(raw.buffer) : descr === "<i8" ? new BigInt64Array(raw.buffer) : descr === "<i4" ? new Int32Array(raw.buffer) : new Uint8Array(raw.buffer);
  return { dtype: descr as NpyArray["dtype"], shape, data };
}
