// digits.bin, the real test digits the page ships (for the path panel and the judge's real images): a
// label byte per digit, then each digit's 32×32 grey levels (u8). Written by web-assets, read by the page.

/** Digits of digits.bin: images [count, 1024] in [−1, 1] and their labels. */
export interface DigitsFile {
  images: Float32Array;
  labels: Uint8Array;
  count: number;
}

const PX = 1024;

/** Images [count, 1024] in [−1, 1] and their labels → digits.bin bytes (grey levels rounded). */
export function encodeDigitsFile(images: Float32Array, labels: ArrayLike<number>, count: number): Uint8Array {
  const bytes = new Uint8Array(count * (1 + PX));
  for (let i = 0; i < count; i++) {
    bytes[i] = labels[i]!;
    for (let p = 0; p < PX; p++) bytes[count + i * PX + p] = Math.round((images[i * PX + p]! + 1) * 127.5);
  }
  return bytes;
}

/** digits.bin bytes → digits; an empty file or one that is not whole digits gets an error naming `file`. */
export function decodeDigitsFile(bytes: Uint8Array, file = "digits.bin"): DigitsFile {
  if (bytes.length === 0 || bytes.length % (1 + PX) !== 0) throw new Error(`${file}: ${bytes.length} bytes is not a whole number of digits (${1 + PX} bytes each)`);
  const count = bytes.length / (1 + PX);
  const images = new Float32Array(count * PX);
  for (let i = 0; i < images.length; i++) images[i] = bytes[count + i]! / 127.5 - 1;
  return { images, labels: bytes.subarray(0, count), count };
}
