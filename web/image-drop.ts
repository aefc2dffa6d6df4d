// A folder (or .zip) of images dropped on the page or chosen with a picker → prepared training data, with
// the browser's own decoders (createImageBitmap) plugged into the library's steps (src/data/image-files.ts),
// so every file is kept or skipped for the same reason as in `flowlab train --data folder:DIR`.
import { unzipSync } from "fflate";
import { imageSize } from "image-size";
import { FOLDER_LIMITS, assembleClasses, checkHeader, groupByClass, headerWith, nameOrSizeReason, prepareDecoded, stripCommonRoot, type ClassImages, type FolderData, type Skipped } from "../src/data/image-files.js";
import type { ImageDecoder, ImageFormat, RgbaImage } from "../src/data/image.js";
import { PREPARE_DEFAULTS } from "../src/data/prepare.js";

/** One file of the set: its path inside the folder and a way to read it. */
interface SetFile {
  path: string;
  size: number;
  read: () => Promise<Uint8Array>;
}

/** Headers by image-size (as in Node); decoding is asynchronous in a browser, so it is done beforehand (decodeInBrowser). */
const headers: Pick<ImageDecoder, "header"> = { header: (bytes) => headerWith(imageSize, bytes) };

/** The browser's decoder: PNG, JPEG, GIF (first frame), WebP → 8-bit RGBA, unpremultiplied. */
async function decodeInBrowser(bytes: Uint8Array, format: ImageFormat): Promise<RgbaImage> {
  const blob = new Blob([bytes as Uint8Array<ArrayBuffer>], { type: `image/${format}` });
  const bitmap = await createImageBitmap(blob, { premultiplyAlpha: "none", colorSpaceConversion: "none" });
  try {
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext("2d");
    if (!ctx) throw new Error("no 2-D canvas in this browser");
    ctx.drawImage(bitmap, 0, 0);
    const d = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
    return { width: d.width, height: d.height, data: d.data };
  } finally {
    bitmap.close();
  }
}

/** Reads and prepares one file, or says why it is left out (the same reasons as Node's folder reader). */
async function prepareFile(f: SetFile): Promise<{ pixels: Float32Array; grey: boolean } | string> {
  const early = nameOrSizeReason(f.path, f.size, FOLDER_LIMITS);
  if (early) return early;
  let bytes: Uint8Array;
  try {
    bytes = await f.read();
  } catch (e) {
    return `unreadable (${(e as Error).message})`;
  }
  const header = checkHeader(bytes, headers, FOLDER_LIMITS);
  if (typeof header === "string") return header;
  let decoded: RgbaImage | Error;
  try {
    decoded = await decodeInBrowser(bytes, header.format);
  } catch (e) {
    decoded = e instanceof Error ? e : new Error(String(e));
  }
  return prepareDecoded(
    header,
    () => {
      if (decoded instanceof Error) throw new Error(`the browser could not decode it: ${decoded.message}`);
      return decoded;
    },
    PREPARE_DEFAULTS,
  );
}

/**
 * The set's files → classes (first folder = class; a flat set is one class named after the set), prepared
 * 32×32. `emptyFolders` (a dropped folder's folders that hold no file) are named as empty classes, as Node does.
 */
async function prepareSet(name: string, files: SetFile[], skippedEarly: Skipped[], onProgress: (done: number, total: number) => void, emptyFolders: readonly string[] = []): Promise<FolderData | string> {
  const stripped = stripCommonRoot([...files.map((f) => f.path), ...emptyFolders.map((d) => `${d}/`)]);
  const named = files.map((f, i) => ({ ...f, path: stripped.paths[i]! }));
  const setName = stripped.root ?? name;
  const grouped = groupByClass(named, setName);
  const skipped = grouped.skipped;
  skipped.unshift(...skippedEarly);
  const empty = stripped.paths.slice(files.length).map((d) => d.slice(0, -1)).filter((d) => d && !d.includes("/") && !d.startsWith("."));
  const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const classes = [...grouped.classes, ...empty.filter((d) => !grouped.classes.some((c) => c.name === d)).map((d) => ({ name: d, files: [] as SetFile[] }))].sort(byName);
  const total = classes.reduce((a, c) => a + c.files.length, 0);
  let done = 0;
  const read: ClassImages[] = [];
  for (const c of classes) {
    const images: Float32Array[] = [], grey: boolean[] = [];
    for (const f of c.files) {
      const r = await prepareFile(f);
      if (typeof r === "string") skipped.push({ file: f.path, reason: r });
      else {
        images.push(r.pixels);
        grey.push(r.grey);
      }
      onProgress(++done, total);
    }
    read.push({ name: c.name, images, grey });
  }
  return assembleClasses(setName, read, skipped, PREPARE_DEFAULTS.size);
}

/** Files from a picker: a folder picker (webkitdirectory) gives each file's path inside the folder. */
function fromFileList(list: ArrayLike<File>): SetFile[] {
  return Array.from(list, (f) => ({ path: f.webkitRelativePath || f.name, size: f.size, read: async () => new Uint8Array(await f.arrayBuffer()) }));
}

/** A zip's entries (folders inside it become classes); entries over the byte limit are never inflated. */
async function fromZip(file: File): Promise<{ files: SetFile[]; skipped: Skipped[] }> {
  const skipped: Skipped[] = [];
  const entries = unzipSync(new Uint8Array(await file.arrayBuffer()), {
    filter: (e) => {
      if (e.name.endsWith("/") || e.name.startsWith("__MACOSX/")) return false;
      if (e.originalSize > FOLDER_LIMITS.maxBytes) {
        skipped.push({ file: e.name, reason: nameOrSizeReason(e.name, e.originalSize, FOLDER_LIMITS) ?? "too large" });
        return false;
      }
      return true;
    },
  });
  return { files: Object.entries(entries).map(([path, bytes]) => ({ path, size: bytes.length, read: () => Promise.resolve(bytes) })), skipped };
}

/** What a dropped folder holds: its files, and its folders with no file anywhere inside. */
interface Walked {
  files: SetFile[];
  emptyFolders: string[];
}

/** Walks a dropped folder (the File System entries API: the only way a drop exposes a folder's contents). */
async function fromEntry(entry: FileSystemEntry): Promise<Walked> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    return { files: [{ path: entry.fullPath, size: file.size, read: async () => new Uint8Array(await file.arrayBuffer()) }], emptyFolders: [] };
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  const children: FileSystemEntry[] = [];
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (!batch.length) break;
    children.push(...batch);
  }
  return walkedAll(await Promise.all(children.map(fromEntry)), entry.fullPath);
}

/** Several walks as one; `folder` is empty when none of them found a file. */
function walkedAll(parts: readonly Walked[], folder?: string): Walked {
  const files = parts.flatMap((p) => p.files);
  if (!files.length && folder !== undefined) return { files, emptyFolders: [folder] };
  return { files, emptyFolders: parts.flatMap((p) => p.emptyFolders) };
}

/** What the user gave: files from a picker, a drop's entries, or one .zip. */
export type ImageSource = { kind: "files"; files: ArrayLike<File> } | { kind: "entries"; entries: FileSystemEntry[] } | { kind: "zip"; file: File };

/** True when a drop is a set of images (a folder, several files, images or a .zip) rather than one checkpoint. */
export function isImageDrop(dt: DataTransfer): boolean {
  const items = Array.from(dt.items ?? []);
  if (items.some((i) => i.webkitGetAsEntry?.()?.isDirectory)) return true;
  const files = Array.from(dt.files);
  return files.length > 1 || files.some((f) => /\.(zip|png|jpe?g|webp|gif)$/i.test(f.name));
}

/** A drop → an ImageSource (entries keep folders; a lone .zip is unzipped). */
export function dropSource(dt: DataTransfer): ImageSource {
  const files = Array.from(dt.files);
  if (files.length === 1 && /\.zip$/i.test(files[0]!.name)) return { kind: "zip", file: files[0]! };
  const entries = Array.from(dt.items ?? []).flatMap((i) => {
    const e = i.webkitGetAsEntry?.();
    return e ? [e] : [];
  });
  return entries.length ? { kind: "entries", entries } : { kind: "files", files };
}

/** Reads and prepares a set of images in this tab; a string says why nothing is usable. */
export async function readImageSource(source: ImageSource, onProgress: (done: number, total: number) => void): Promise<FolderData | string> {
  if (source.kind === "zip") {
    let z;
    try {
      z = await fromZip(source.file);
    } catch (e) {
      return `${source.file.name} is not a readable zip (${(e as Error).message})`;
    }
    return prepareSet(source.file.name.replace(/\.zip$/i, ""), z.files, z.skipped, onProgress);
  }
  if (source.kind === "entries") {
    const { files, emptyFolders } = walkedAll(await Promise.all(source.entries.map(fromEntry)));
    return prepareSet("images", files, [], onProgress, emptyFolders);
  }
  return prepareSet("images", fromFileList(source.files), [], onProgress);
}
