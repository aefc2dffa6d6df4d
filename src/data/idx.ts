// IDX file reader for Node (the MNIST format, see idx-format.ts): raw or .gz, through node:zlib. A
// truncated or corrupt file gets an error naming the file and what is wrong.
import { gunzipSync } from "node:zlib";
import { parseIdxImages as parseImages, parseIdxLabels as parseLabels, type IdxImages } from "./idx-format.js";

export { IdxError, type IdxImages } from "./idx-format.js";

/** IDX image bytes (raw or gzip) → images; validated, errors name the file. */
export function parseIdxImages(raw: Uint8Array, file = "images.idx"): IdxImages {
  return parseImages(raw, file, gunzipSync);
}

/** IDX label bytes (raw or gzip) → labels; validated, errors name the file. */
export function parseIdxLabels(raw: Uint8Array, file = "labels.idx"): Uint8Array {
  return parseLabels(raw, file, gunzipSync);
}
