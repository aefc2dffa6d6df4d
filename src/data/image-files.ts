// The file-by-file steps of reading an image folder, with no file system: why a file is left out (name,
// size, header, pixel limit, corrupt data), preparing what is kept, and assembling classes into arrays.
// Node's readImageFolder and the page's dropped folders (web/image-drop.ts) both use these, so a file
// is kept or skipped for the same reason in both.
import { IMAGE_EXTENSIONS, type ImageDecoder, type ImageFormat, type ImageHeader, type RgbaImage } from "./image.js";
import { prepareImage, type PrepareOptions, type PreparedImage } from "./prepare.js";
import type { FolderSummary, Skipped } from "./folder-summary.js";

export type { FolderSummary, Skipped } from "./folder-summary.js";

/** Limits checked before decoding: the file's bytes and the pixels its header declares. */
export interface FolderLimits {
  maxBytes: number;
  maxPixels: number;
}

/** 64 MiB per file and 40 megapixels declared (a 10 000 × 4 000 photo; a decompression bomb declares far more). */
export const FOLDER_LIMITS: Readonly<FolderLimits> = Object.freeze({ maxBytes: 64 * 2 ** 20, maxPixels: 40e6 });

/** A folder's prepared images. */
export interface FolderData {
  images: Float32Array; // [N, C, S, S] in [−1, 1]
  labels: Int32Array; // [N]
  summary: FolderSummary;
}

/** A missing optional decoder package (io/optional-packages.ts's MissingPackageError, known by name so this file stays free of Node) is the user's to fix, not a skipped file. */
const missingPackage = (e: unknown) => e instanceof Error && e.name === "MissingPackageError";

/** "812 bytes" or "3.2 MiB". */
export function bytesText(n: number): string {
  return n < 2 ** 20 ? `${n} bytes` : `${Number((n / 2 ** 20).toFixed(1))} MiB`;
}

/** Notes beside the class folders (a data set's README, LICENSE or NOTICE): expected there, not counted as skipped. */
export const NOTES = /^(README|LICENSE|LICENCE|NOTICE|ATTRIBUTION)(\.(txt|md))?$/i;

/** The extension of a path ("" when none), lower case. */
function extension(rel: string): string {
  const base = rel.slice(rel.lastIndexOf("/") + 1);
  const dot = base.lastIndexOf(".");
  return dot > 0 ? base.slice(dot).toLowerCase() : "";
}

/** Why a file is left out by its name or size alone, or null when it is worth reading. */
export function nameOrSizeReason(rel: string, size: number, limits: FolderLimits): string | null {
  const ext = extension(rel);
  if (!Object.hasOwn(IMAGE_EXTENSIONS, ext)) return `not an image (extension "${ext || "none"}"; expected .png, .jpg, .jpeg, .webp or .gif)`;
  if (size > limits.maxBytes) return `too large: ${bytesText(size)}, more than the ${bytesText(limits.maxBytes)} limit`;
  return null;
}

/** The header, or why the file is left out (not an image, or more pixels than the limit: never decoded). */
export function checkHeader(bytes: Uint8Array, decoder: Pick<ImageDecoder, "header">, limits: FolderLimits): ImageHeader | string {
  let header;
  try {
    header = decoder.header(bytes);
  } catch (e) {
    if (missingPackage(e)) throw e;
    return (e as Error).message;
  }
  if (header.width * header.height > limits.maxPixels) return `declares ${header.width}×${header.height} pixels, more than the ${(limits.maxPixels / 1e6).toFixed(0)}-megapixel limit (not decoded: a decompression bomb?)`;
  return header;
}

/** Decodes (decode throws on corrupt data) and prepares one image, or says why it is left out. */
export function prepareDecoded(header: ImageHeader, decode: () => RgbaImage, o: Pick<PrepareOptions, "size" | "background">): PreparedImage | string {
  try {
    const img = decode();
    if (img.width !== header.width || img.height !== header.height) return `corrupt: header declares ${header.width}×${header.height} but it decodes to ${img.width}×${img.height}`;
    return prepareImage(img, o);
  } catch (e) {
    if (missingPackage(e)) throw e;
    return `corrupt ${header.format.toUpperCase()} (${(e as Error).message.replace(/\s*\n[\s\S]*/, "")})`;
  }
}

/** One class folder's prepared images (grey[i]: image i has R = G = B). */
export interface ClassImages {
  name: string;
  images: Float32Array[];
  grey: boolean[];
}

/**
 * Classes (in order) → [N, C, S, S] images, labels and the summary; classes with no image are named as
 * empty. 1 channel when every image is grey, else 3. Returns a message instead when nothing is usable.
 */
export function assembleClasses(dir: string, classes: readonly ClassImages[], skipped: Skipped[], size: number): FolderData | string {
  const kept = classes.filter((c) => c.images.length);
  const emptyClasses = classes.filter((c) => !c.images.length).map((c) => c.name);
  const N = kept.reduce((a, c) => a + c.images.length, 0);
  if (!N) {
    const why = skipped.length ? `; ${skipped.length} file(s) left out, first ${skipped[0]!.file}: ${skipped[0]!.reason}` : "";
    return `${dir} holds no usable image (expected DIR/<class>/*.png|jpg|jpeg|webp|gif)${why}`;
  }
  const greyCount = kept.reduce((a, c) => a + c.grey.filter(Boolean).length, 0);
  const C = greyCount === N ? 1 : 3;
  const P = size * size;
  const images = new Float32Array(N * C * P); // [N, C, S, S]
  const labels = new Int32Array(N);
  let n = 0;
  kept.forEach((c, k) => {
    for (const img of c.images) {
      images.set(C === 3 ? img : img.subarray(0, P), n * C * P);
      labels[n++] = k;
    }
  });
  const summary: FolderSummary = {
    dir,
    classNames: kept.map((c) => c.name),
    counts: kept.map((c) => c.images.length),
    channels: C,
    greyInColour: C === 3 ? greyCount : 0,
    emptyClasses,
    skipped,
  };
  return { images, labels, summary };
}

/** A file by its path relative to the dropped folder ("class/…/name.png", or "name.png" in a flat set). */
export interface NamedFile {
  path: string;
  size: number;
}

/**
 * Groups paths as ImageFolder does: the first folder of each path is its class (in name order); when no
 * file is in a folder the set is one class named `flatName`. Files beside class folders are skipped
 * (notes such as README or LICENSE silently), as are hidden files and folders.
 */
export function groupByClass<F extends NamedFile>(files: readonly F[], flatName: string): { classes: { name: string; files: F[] }[]; skipped: Skipped[] } {
  const visible = files.filter((f) => !f.path.split("/").some((p) => p.startsWith(".")));
  const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const sorted = [...visible].sort((a, b) => byName(a.path, b.path));
  if (!sorted.some((f) => f.path.includes("/"))) return { classes: [{ name: flatName, files: sorted }], skipped: [] };
  const map = new Map<string, F[]>();
  const skipped: Skipped[] = [];
  for (const f of sorted) {
    const i = f.path.indexOf("/");
    if (i < 0) {
      if (!NOTES.test(f.path)) skipped.push({ file: f.path, reason: "outside any class folder (images go in DIR/<class>/)" });
      continue;
    }
    const c = f.path.slice(0, i);
    map.set(c, [...(map.get(c) ?? []), f]);
  }
  return { classes: [...map.keys()].sort(byName).map((name) => ({ name, files: map.get(name)! })), skipped };
}

/** What image-size's imageSize returns (the header reader Node and the page share). */
export interface SizeInfo {
  type?: string | undefined;
  width: number;
  height: number;
}

const SIZE_FORMATS: Readonly<Record<string, ImageFormat>> = { png: "png", jpg: "jpeg", gif: "gif", webp: "webp" };

/** An ImageDecoder's `header` from image-size's reader: the format and size, or an Error saying why not. */
export function headerWith(read: (bytes: Uint8Array) => SizeInfo, bytes: Uint8Array): ImageHeader {
  let info;
  try {
    info = read(bytes);
  } catch (e) {
    throw new Error(`not a readable image (${(e as Error).message.replace(/\.$/, "")})`);
  }
  const format = info.type ? SIZE_FORMATS[info.type] : undefined;
  if (!format) throw new Error(`${info.type ?? "unknown"} images are not supported (PNG, JPEG, GIF or WebP)`);
  if (!(info.width > 0 && info.height > 0)) throw new Error(`its header declares an empty image (${info.width}×${info.height})`);
  return { format, width: info.width, height: info.height };
}

/**
 * Paths of a dropped or zipped folder, relative to it: when every path starts with the same folder
 * (the folder itself: "emoji/smileys/a.png"), that folder is removed and names the set.
 */
export function stripCommonRoot(paths: readonly string[]): { root: string | null; paths: string[] } {
  const clean = paths.map((p) => p.replace(/^\/+/, ""));
  const first = clean[0]?.split("/")[0];
  if (first === undefined || !clean.every((p) => p.startsWith(`${first}/`))) return { root: null, paths: clean };
  return { root: first, paths: clean.map((p) => p.slice(first.length + 1)) };
}
