// Reads an image folder in torchvision's ImageFolder layout (DIR/<class>/**/*.png|jpg|jpeg|webp|gif, one
// subfolder per class; a flat folder is one class) into prepared images, counting and naming every file
// it skips (unreadable, not an image, too large to decode safely, corrupt) and every empty class.
import { readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import path from "node:path";
import { IMAGE_EXTENSIONS, type ImageDecoder } from "./image.js";
import { prepareImage, type PrepareOptions } from "./prepare.js";
import { MissingPackageError } from "../io/optional-packages.js";
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

/** The folder cannot be used at all; the message names it and says why. */
export class FolderError extends Error {
  override name = "FolderError";
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Every file under dir (recursive, sorted, symlinks followed once: a link back up is named, not looped), as paths relative to root. */
function filesUnder(root: string, rel: string, skipped: Skipped[], seen = new Set<string>()): string[] {
  let entries;
  try {
    const real = realpathSync(path.join(root, rel));
    if (seen.has(real)) {
      skipped.push({ file: rel, reason: "a link to a folder already read (a loop)" });
      return [];
    }
    seen.add(real);
    entries = readdirSync(path.join(root, rel), { withFileTypes: true }).sort((a, b) => byName(a.name, b.name));
  } catch (e) {
    skipped.push({ file: rel, reason: `unreadable folder (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` });
    return [];
  }
  return entries.flatMap((e) => {
    const p = path.join(rel, e.name);
    const isDir = e.isDirectory() || (e.isSymbolicLink() && statSync(path.join(root, p), { throwIfNoEntry: false })?.isDirectory());
    return isDir ? filesUnder(root, p, skipped, seen) : [p];
  });
}

/** The classes: one per subfolder (named by it), or the folder itself when it holds only files. */
function classFolders(dir: string): { classes: { name: string; rel: string }[]; loose: string[] } {
  let entries;
  try {
    if (!statSync(dir).isDirectory()) throw new FolderError(`${dir} is not a folder: --data folder:DIR needs a folder of class subfolders or of images`);
    entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => byName(a.name, b.name));
  } catch (e) {
    if (e instanceof FolderError) throw e;
    throw new FolderError(`${dir}: cannot read the folder (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const isDir = (e: (typeof entries)[number]) => e.isDirectory() || (e.isSymbolicLink() && statSync(path.join(dir, e.name), { throwIfNoEntry: false })?.isDirectory() === true);
  const subs = entries.filter((e) => isDir(e) && !e.name.startsWith("."));
  if (!subs.length) return { classes: [{ name: path.basename(path.resolve(dir)), rel: "" }], loose: [] };
  return { classes: subs.map((e) => ({ name: e.name, rel: e.name })), loose: entries.filter((e) => !isDir(e)).map((e) => e.name) };
}

/** "812 bytes" or "3.2 MiB". */
function bytesText(n: number): string {
  return n < 2 ** 20 ? `${n} bytes` : `${Number((n / 2 ** 20).toFixed(1))} MiB`;
}

/** Notes beside the class folders (a data set's README, LICENSE or NOTICE): expected there, not counted as skipped. */
const NOTES = /^(README|LICENSE|LICENCE|NOTICE|ATTRIBUTION)(\.(txt|md))?$/i;

/** Reads and prepares one file, or says why it is left out. */
function readOne(dir: string, rel: string, o: Pick<PrepareOptions, "size" | "background">, decoder: ImageDecoder, limits: FolderLimits): ReturnType<typeof prepareImage> | string {
  const ext = path.extname(rel).toLowerCase();
  if (!Object.hasOwn(IMAGE_EXTENSIONS, ext)) return `not an image (extension "${ext || "none"}"; expected .png, .jpg, .jpeg, .webp or .gif)`;
  const file = path.join(dir, rel);
  let bytes: Uint8Array;
  try {
    const size = statSync(file).size;
    if (size > limits.maxBytes) return `too large: ${bytesText(size)}, more than the ${bytesText(limits.maxBytes)} limit`;
    bytes = readFileSync(file);
  } catch (e) {
    return `unreadable (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
  }
  let header;
  try {
    header = decoder.header(bytes);
  } catch (e) {
    if (e instanceof MissingPackageError) throw e;
    return (e as Error).message;
  }
  const pixels = header.width * header.height;
  if (pixels > limits.maxPixels) return `declares ${header.width}×${header.height} pixels, more than the ${(limits.maxPixels / 1e6).toFixed(0)}-megapixel limit (not decoded: a decompression bomb?)`;
  try {
    const img = decoder.decode(bytes, header.format);
    if (img.width !== header.width || img.height !== header.height) return `corrupt: header declares ${header.width}×${header.height} but it decodes to ${img.width}×${img.height}`;
    return prepareImage(img, o);
  } catch (e) {
    if (e instanceof MissingPackageError) throw e;
    return `corrupt ${header.format.toUpperCase()} (${(e as Error).message.replace(/\s*\n[\s\S]*/, "")})`;
  }
}

/**
 * Reads DIR in the ImageFolder layout: classes are the subfolders in name order (a flat folder is one
 * class); images are prepared to S×S; 1 channel when every image is grey, else 3. Throws FolderError
 * only when nothing is usable; every file left out is in the summary with its reason.
 */
export function readImageFolder(dir: string, o: Pick<PrepareOptions, "size" | "background">, decoder: ImageDecoder, limits: FolderLimits = FOLDER_LIMITS): FolderData {
  const { classes, loose } = classFolders(dir);
  const skipped: Skipped[] = loose.filter((f) => !NOTES.test(f)).map((f) => ({ file: f, reason: "outside any class folder (images go in DIR/<class>/)" }));
  const kept: { name: string; images: Float32Array[]; grey: boolean[] }[] = [];
  const emptyClasses: string[] = [];
  for (const c of classes) {
    const images: Float32Array[] = [], grey: boolean[] = [];
    for (const rel of filesUnder(dir, c.rel, skipped)) {
      const r = readOne(dir, rel, o, decoder, limits);
      if (typeof r === "string") skipped.push({ file: rel, reason: r });
      else {
        images.push(r.pixels);
        grey.push(r.grey);
      }
    }
    if (images.length) kept.push({ name: c.name, images, grey });
    else emptyClasses.push(c.name);
  }
  const N = kept.reduce((a, c) => a + c.images.length, 0);
  if (!N) {
    const why = skipped.length ? `; ${skipped.length} file(s) left out, first ${skipped[0]!.file}: ${skipped[0]!.reason}` : "";
    throw new FolderError(`${dir} holds no usable image (expected DIR/<class>/*.png|jpg|jpeg|webp|gif)${why}`);
  }
  const greyCount = kept.reduce((a, c) => a + c.grey.filter(Boolean).length, 0);
  const C = greyCount === N ? 1 : 3;
  const S = o.size, P = S * S;
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

/** The summary a run starts with: classes and counts, the mode, and every file left out with its reason. */
export function summaryLines(s: FolderSummary, maxListed = 20): string[] {
  const total = s.counts.reduce((a, b) => a + b, 0);
  const lines = [`${s.dir}: ${total} image(s) in ${s.classNames.length} class(es), ${s.channels === 3 ? "colour (RGB)" : "grey"}`];
  lines.push(`  ${s.classNames.map((c, i) => `${c} ${s.counts[i]}`).join(", ")}`);
  if (s.greyInColour) lines.push(`  ${s.greyInColour} grey image(s) among colour ones: kept as RGB with R = G = B`);
  if (s.emptyClasses.length) lines.push(`  left out ${s.emptyClasses.length} empty class(es): ${s.emptyClasses.join(", ")}`);
  if (s.skipped.length) {
    const reasons = new Map<string, number>();
    for (const k of s.skipped) {
      const kind = k.reason.replace(/\s*\(.*$/, "").replace(/:.*$/, "");
      reasons.set(kind, (reasons.get(kind) ?? 0) + 1);
    }
    lines.push(`  skipped ${s.skipped.length} file(s): ${[...reasons].map(([r, c]) => `${c} ${r}`).join("; ")}`);
    for (const k of s.skipped.slice(0, maxListed)) lines.push(`    ${k.file}: ${k.reason}`);
    if (s.skipped.length > maxListed) lines.push(`    … and ${s.skipped.length - maxListed} more`);
  }
  return lines;
}
