// Reading samples made elsewhere (.npy float32 images, optional integer labels) for judging:
// the value range is detected (or given) and mapped to [−1, 1]; every defect names the file.
import { decodeNpy, NpyError, type NpyArray } from "../io/npy.js";
import { InputError } from "../io/errors.js";
import { readInputFile } from "../io/read-input.js";

/** The value ranges samples may come in; "auto" picks one from the values. */
export type SampleRange = "-1..1" | "0..1" | "0..255";
export const SAMPLE_RANGES: readonly SampleRange[] = ["-1..1", "0..1", "0..255"];

export interface SampleSet {
  images: Float32Array; // [N, 1, 32, 32] in [−1, 1]
  labels: Int32Array; // [N]
  /** The range the values were read as. */
  range: SampleRange;
}

/** The largest .npy file read: 1 GiB (100 000 samples of 32×32 float32 are 410 MB). */
const MAX_NPY_BYTES = 2 ** 30;

function readNpy(file: string, input: string): NpyArray {
  const bytes = readInputFile(file, { what: ".npy file", input, maxBytes: MAX_NPY_BYTES });
  try {
    return decodeNpy(bytes, file);
  } catch (e) {
    if (e instanceof NpyError) throw new InputError(file, e.message.replace(`${file}: `, ""), input);
    throw e;
  }
}

/** The range of finite values; throws on NaN/Inf. */
function span(data: Float32Array, file: string): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (const v of data) {
    if (!Number.isFinite(v)) throw new InputError(file, "samples contain non-finite values (NaN or Infinity)", "samples");
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/**
 * auto: any negative value means [−1, 1]; else max ≤ 1 means [0, 1]; else 0..255, except a max in
 * (1, 2), which fits neither ([0, 1] data a little over 1, or black 0..255 images): "ambiguous".
 */
export function detectRange(lo: number, hi: number): SampleRange | "ambiguous" | null {
  if (lo < 0) return lo >= -1.5 && hi <= 1.5 ? "-1..1" : null;
  if (hi <= 1) return "0..1";
  if (hi < 2) return "ambiguous";
  return hi <= 255 ? "0..255" : null;
}

const BOUNDS: Record<SampleRange, [number, number, number, number]> = {
  // accepted lo, hi; then scale and shift to [−1, 1]
  "-1..1": [-1.5, 1.5, 1, 0],
  "0..1": [-0.01, 1.01, 2, -1],
  "0..255": [-0.5, 255.5, 1 / 127.5, -1],
};

function toUnitRange(data: Float32Array, file: string, range: SampleRange | "auto"): SampleRange {
  const [lo, hi] = data.length ? span(data, file) : [0, 0];
  const r = range === "auto" ? detectRange(lo, hi) : range;
  const show = `[${lo.toFixed(3)}, ${hi.toFixed(3)}]`;
  if (!r) throw new InputError(file, `values span ${show}, outside any known image range (expected [−1, 1] or 0..255)`, "samples");
  // read as 0..255, [0, 1] data a little over 1 would score as black images: the guess must not decide
  if (r === "ambiguous") throw new InputError(file, `values span ${show}: [0, 1] with values a little over 1, or nearly black 0..255 images? Pass --range 0..1 or --range 0..255`, "samples");
  const [a, b, scale, shift] = BOUNDS[r];
  if (lo < a || hi > b) throw new InputError(file, `values span ${show}, outside the range ${r} they were declared in`, "samples");
  for (let i = 0; i < data.length; i++) data[i] = Math.max(-1, Math.min(1, data[i]! * scale + shift));
  return r;
}

function readLabels(file: string, n: number): Int32Array {
  const l = readNpy(file, "labels");
  if (l.dtype === "<f4") throw new InputError(file, "labels must be integers (int64, int32 or uint8), got float32", "labels");
  if (l.shape.length !== 1 || l.shape[0] !== n) throw new InputError(file, `expected ${n} labels (shape [${n}]) to match the samples, got [${l.shape.join(", ")}]`, "labels");
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = l.data[i]!; // bigint for int64: compared before any narrowing, so 2^40 + 5 never wraps to 5
    if (v < 0 || v > 9) throw new InputError(file, `label ${v} at index ${i} is outside 0..9`, "labels");
    out[i] = Number(v);
  }
  return out;
}

/** Reads samples from .npy and maps them to [−1, 1]; rejects empty sets and unknown ranges, shapes and dtypes. */
export function readSamples(file: string, labelsFile?: string, range: SampleRange | "auto" = "auto"): SampleSet {
  const a = readNpy(file, "samples");
  if (a.dtype !== "<f4") throw new InputError(file, `samples must be float32 ('<f4'), got ${a.dtype}`, "samples");
  const [n, ...rest] = a.shape;
  const ok = (rest.length === 3 && rest[0] === 1 && rest[1] === 32 && rest[2] === 32) || (rest.length === 2 && rest[0] === 32 && rest[1] === 32);
  if (!ok || n === undefined) throw new InputError(file, `expected shape [N, 1, 32, 32] or [N, 32, 32], got [${a.shape.join(", ")}]`, "samples");
  if (n === 0) throw new InputError(file, `holds no samples (shape [${a.shape.join(", ")}])`, "samples");
  const images = Float32Array.from(a.data as Float32Array);
  const used = toUnitRange(images, file, range);
  let labels: Int32Array;
  if (labelsFile !== undefined) labels = readLabels(labelsFile, n);
  else if (n % 10) throw new InputError(file, `${n} samples cannot be class-major over 10 classes; pass --labels`, "samples");
  else labels = Int32Array.from({ length: n }, (_, i) => Math.floor(i / (n / 10)));
  return { images, labels, range: used };
}
