// The IDX format (MNIST's): magic 2051 for images [N, rows, cols] u8, 2049 for labels [N] u8. No Node
// API, so the page's worker parses its training digits with it; idx.ts adds Node's gunzip for .gz files.

/** An IDX file is corrupt or truncated; the message names it. */
export class IdxError extends Error {
  override name = "IdxError";
}

/** Images from an IDX file: count, rows, columns and u8 pixels. */
export interface IdxImages {
  count: number;
  rows: number;
  cols: number;
  pixels: Uint8Array; // [count * rows * cols]
}

const isGzip = (bytes: Uint8Array) => bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;

/**
 * The size in bytes a raw IDX file's first `4 + 4 × dims` bytes declare, for checking a file before it
 * is read whole; null when they do not say (gzip, or not this kind of IDX file: the parser then explains).
 */
export function idxDeclaredSize(head: Uint8Array, magic: 2049 | 2051): number | null {
  const dims = magic === 2051 ? 3 : 1;
  if (isGzip(head) || head.length < 4 + 4 * dims) return null;
  const dv = new DataView(head.buffer, head.byteOffset, head.byteLength);
  if (dv.getUint32(0, false) !== magic) return null;
  let n = 1;
  for (let i = 0; i < dims; i++) n *= dv.getUint32(4 + 4 * i, false);
  return 4 + 4 * dims + n;
}

/** Decompresses gzip bytes (Node's zlib.gunzipSync in idx.ts); absent where gzip is not needed. */
export type Gunzip = (bytes: Uint8Array) => Uint8Array;

function maybeGunzip(bytes: Uint8Array, file: string, gunzip: Gunzip | undefined): Uint8Array {
  if (isGzip(bytes)) {
    if (!gunzip) throw new IdxError(`${file}: gzip-compressed; this reader takes raw IDX bytes (gunzip the file first)`);
    try {
      return gunzip(bytes);
    } catch (e) {
      throw new IdxError(`${file}: corrupt gzip data (${(e as Error).message})`);
    }
  }
  return bytes;
}

function header(bytes: Uint8Array, file: string, magic: number, dims: number): number[] {
  const need = 4 + 4 * dims;
  if (bytes.length < need) throw new IdxError(`${file}: only ${bytes.length} bytes, too short for an IDX header (${need} bytes; truncated?)`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const m = dv.getUint32(0, false);
  if (m !== magic) {
    const kind = magic === 2051 ? "images" : "labels";
    throw new IdxError(`${file}: magic number ${m}, expected ${magic} for an IDX ${kind} file${m === 2049 || m === 2051 ? ` (this looks like a ${m === 2051 ? "images" : "labels"} file)` : ""}`);
  }
  return Array.from({ length: dims }, (_, i) => dv.getUint32(4 + 4 * i, false));
}

/** IDX image bytes (gzip too, given `gunzip`) → images; validated, errors name the file. */
export function parseIdxImages(raw: Uint8Array, file = "images.idx", gunzip?: Gunzip): IdxImages {
  const bytes = maybeGunzip(raw, file, gunzip);
  const [count, rows, cols] = header(bytes, file, 2051, 3) as [number, number, number];
  if (rows === 0 || cols === 0) throw new IdxError(`${file}: image size ${rows}×${cols} is empty`);
  if (rows !== cols) throw new IdxError(`${file}: images are ${rows}×${cols} (rows × columns); flowlab needs square images such as MNIST's 28×28`);
  if (count === 0) throw new IdxError(`${file}: holds no images (the header's count is 0)`);
  const want = 16 + count * rows * cols;
  if (bytes.length !== want) {
    throw new IdxError(`${file}: header says ${count} images of ${rows}×${cols} (${want} bytes) but the file has ${bytes.length} bytes${bytes.length < want ? " (truncated)" : ""}`);
  }
  return { count, rows, cols, pixels: bytes.subarray(16) };
}

/** IDX label bytes (gzip too, given `gunzip`) → labels; validated, errors name the file. */
export function parseIdxLabels(raw: Uint8Array, file = "labels.idx", gunzip?: Gunzip): Uint8Array {
  const bytes = maybeGunzip(raw, file, gunzip);
  const [count] = header(bytes, file, 2049, 1) as [number];
  if (bytes.length !== 8 + count) {
    throw new IdxError(`${file}: header says ${count} labels (${8 + count} bytes) but the file has ${bytes.length} bytes${bytes.length < 8 + count ? " (truncated)" : ""}`);
  }
  return bytes.subarray(8);
}
