// IDX file reader for Node (the MNIST format, see idx-format.ts): raw or .gz, through node:zlib. A
// truncated or corrupt file gets an error naming the file and what is wrong.
import { gunzipSync } from "node:zlib";
import { parseIdxImages as parseImages, parseIdxLabels as parseLabels, type IdxImages } from "./idx-format.js";

export { IdxError, idxDeclaredSize, type IdxImages } from "./idx-format.js";

/** The largest unpacked IDX file: 1 GiB (MNIST's training images are 47 MB), so a gzip bomb stops early. */
const MAX_UNPACKED = 2 ** 30;
const gunzip = (bytes: Uint8Array): Uint8Array => gunzipSync(bytes, { maxOutputLength: MAX_UNPACKED });

/** IDX image bytes (raw or gzip) → images; validated, errors name the file. */
export function parseIdxImages(raw: Uint8Array, file = "images.idx"): IdxImages {
  return parseImages(raw, file, gunzip);
}

/** IDX label bytes (raw or gzip) → labels; validated, errors name the file. */
export function parseIdxLabels(raw: Uint8Array, file = "labels.idx"): Uint8Array {
  return parseLabels(raw, file, gunzip);
}
