// Reads an image folder in torchvision's ImageFolder layout (DIR/<class>/**/*.png|jpg|jpeg|webp|gif, one
// subfolder per class; a flat folder is one class) into prepared images, counting and naming every file
// it skips (unreadable, not an image, too large to decode safely, corrupt) and every empty class.
import { readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import path from "node:path";
import type { ImageDecoder } from "./image.js";
import type { PrepareOptions, PreparedImage } from "./prepare.js";
import { FOLDER_LIMITS, NOTES, assembleClasses, checkHeader, nameOrSizeReason, prepareDecoded, type ClassImages, type FolderData, type FolderLimits, type FolderSummary, type Skipped } from "./image-files.js";

export { FOLDER_LIMITS, type FolderLimits, type Skipped, type FolderSummary, type FolderData } from "./image-files.js";

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

/** Reads and prepares one file, or says why it is left out (the reasons are image-files.ts's, shared with the page). */
function readOne(dir: string, rel: string, o: Pick<PrepareOptions, "size" | "background">, decoder: ImageDecoder, limits: FolderLimits): PreparedImage | string {
  const file = path.join(dir, rel);
  const byName = nameOrSizeReason(rel, 0, limits);
  if (byName) return byName;
  let bytes: Uint8Array;
  try {
    const st = statSync(file);
    if (!st.isFile()) return "unreadable (not a regular file: a named pipe, socket or device would block or never end)";
    const early = nameOrSizeReason(rel, st.size, limits);
    if (early) return early;
    bytes = readFileSync(file);
  } catch (e) {
    return `unreadable (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
  }
  const header = checkHeader(bytes, decoder, limits);
  if (typeof header === "string") return header;
  return prepareDecoded(header, () => decoder.decode(bytes, header.format), o);
}

/**
 * Reads DIR in the ImageFolder layout: classes are the subfolders in name order (a flat folder is one
 * class); images are prepared to S×S; 1 channel when every image is grey, else 3. Throws FolderError
 * only when nothing is usable; every file left out is in the summary with its reason.
 */
export function readImageFolder(dir: string, o: Pick<PrepareOptions, "size" | "background">, decoder: ImageDecoder, limits: FolderLimits = FOLDER_LIMITS): FolderData {
  const { classes, loose } = classFolders(dir);
  const skipped: Skipped[] = loose.filter((f) => !NOTES.test(f)).map((f) => ({ file: f, reason: "outside any class folder (images go in DIR/<class>/)" }));
  const read: ClassImages[] = [];
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
    read.push({ name: c.name, images, grey });
  }
  const data = assembleClasses(dir, read, skipped, o.size);
  if (typeof data === "string") throw new FolderError(data);
  return data;
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
