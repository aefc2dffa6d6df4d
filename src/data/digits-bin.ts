// digits.bin, the page's real digits: N label bytes, then N 32×32 images as bytes (0..255 for [−1, 1]).
// One encoder (flowlab's web-assets script) and one decoder (the page and its worker).

/** Real digits as the library uses them: images [N, 1, 32, 32] in [−1, 1] and their labels. */
export interface DigitsBin {
  images: Float32Array;
  labels: Uint8Array;
  count: number;
}

const PIXELS = 32 * 32;

/** The first `count` digits of `images` ([N, 1, 32, 32] in [−1, 1]) and `labels` as digits.bin bytes. */
export function encodeDigitsBin(images: Float32Array, labels: ArrayLike<number>, count: number): Uint8Array {
  if (!(Number.isInteger(count) && count >= 0 && count <= labels.length && count * PIXELS <= images.length)) throw new RangeError(`digits.bin: cannot take ${count} digits of ${labels.length}`);
  const bytes = new Uint8Array(count + count * PIXELS);
  for (let i = 0; i < count; i++) {
    bytes[i] = labels[i]!;
    for (let p = 0; p < PIXELS; p++) bytes[count + i * PIXELS + p] = Math.round((images[i * PIXELS + p]! + 1) * 127.5);
  }
  return bytes;
}

/** digits.bin's bytes back to images in [−1, 1] and labels; `what` names the file in the error. */
export function decodeDigitsBin(bytes: Uint8Array, what = "digits.bin"): DigitsBin {
  if (bytes.length % (PIXELS + 1) !== 0) throw new RangeError(`${what}: ${bytes.length} bytes is not a whole number of digits (${PIXELS + 1} bytes each)`);
  const count = bytes.length / (PIXELS + 1);
  const images = new Float32Array(count * PIXELS);
  for (let i = 0; i < images.length; i++) images[i] = bytes[count + i]! / 127.5 - 1;
  return { images, labels: bytes.slice(0, count), count };
}
