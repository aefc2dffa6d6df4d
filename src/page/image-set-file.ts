// image-set.bin, a prepared training set the page ships (the emoji example): "FLIS", a u32 length and a
// JSON header (name, class names, side, channels, notice), then each image's levels (u8, [N, C, S, S])
// and a label byte per image. Written by web-assets, read by the page.

/** A prepared image set: images [N, C, S, S] in [−1, 1], labels, class names and its licence notice. */
export interface ImageSetFile {
  name: string;
  classNames: string[];
  size: number;
  channels: number;
  notice: string;
  images: Float32Array;
  labels: Int32Array;
}

const MAGIC = "FLIS";

/** The set → image-set.bin bytes (levels rounded to 8 bits). */
export function encodeImageSetFile(s: ImageSetFile): Uint8Array {
  const n = s.labels.length, P = s.channels * s.size * s.size;
  if (s.images.length !== n * P) throw new RangeError(`encodeImageSetFile: ${s.images.length} values for ${n} images of ${P}`);
  const head = new TextEncoder().encode(JSON.stringify({ name: s.name, classNames: s.classNames, size: s.size, channels: s.channels, count: n, notice: s.notice }));
  const out = new Uint8Array(8 + head.length + n * P + n);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(4, head.length, true);
  out.set(head, 8);
  const o = 8 + head.length;
  for (let i = 0; i < n * P; i++) out[o + i] = Math.round((Math.min(1, Math.max(-1, s.images[i]!)) + 1) * 127.5);
  for (let i = 0; i < n; i++) out[o + n * P + i] = s.labels[i]!;
  return out;
}

/** image-set.bin bytes → the set; anything else gets an error naming `file` and what is wrong. */
export function decodeImageSetFile(bytes: Uint8Array, file = "image-set.bin"): ImageSetFile {
  const bad = (why: string) => new Error(`${file}: ${why}`);
  if (bytes.length < 8 || new TextDecoder().decode(bytes.subarray(0, 4)) !== MAGIC) throw bad(`not an image set (expected "${MAGIC}" first)`);
  const len = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true);
  if (8 + len > bytes.length) throw bad(`its header says ${len} bytes but the file ends first`);
  let h: { name: string; classNames: string[]; size: number; channels: number; count: number; notice: string };
  try {
    h = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + len))) as typeof h;
  } catch {
    throw bad("its header is not JSON");
  }
  const P = h.channels * h.size * h.size, n = h.count;
  if (!(Number.isInteger(P) && P > 0 && Number.isInteger(n) && n > 0) || !Array.isArray(h.classNames)) throw bad("its header has no images, side or classes");
  const o = 8 + len;
  if (bytes.length !== o + n * P + n) throw bad(`${bytes.length} bytes, expected ${o + n * P + n} for ${n} images of [${h.channels}, ${h.size}, ${h.size}]`);
  const images = new Float32Array(n * P);
  for (let i = 0; i < n * P; i++) images[i] = bytes[o + i]! / 127.5 - 1;
  const labels = Int32Array.from(bytes.subarray(o + n * P));
  for (const [i, l] of labels.entries()) if (l >= h.classNames.length) throw bad(`label ${l} of image ${i} is not one of the ${h.classNames.length} classes`);
  return { name: h.name, classNames: h.classNames, size: h.size, channels: h.channels, notice: h.notice, images, labels };
}
