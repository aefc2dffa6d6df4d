// Atomic file writes (temp file in the same folder, fsync, rename): a crash never leaves a torn file.
// Symlinks are written through to their target (still atomically); stdio, character devices and FIFOs
// are written in place; anything else is refused. Errors name the user's path and the cause.
import { openSync, writeSync, fsyncSync, closeSync, renameSync, unlinkSync, readdirSync } from "node:fs";
import path from "node:path";
import { tempStem } from "./temp-name.js";
import { OutputError } from "./errors.js";
import { resolveOutput, makeFolders, describeFsError } from "./output-path.js";

function writeAll(fd: number, bytes: Uint8Array): void {
  let off = 0;
  while (off < bytes.length) {
    try {
      off += writeSync(fd, bytes, off, bytes.length - off);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "EAGAIN") continue; // a non-blocking pipe is full: retry
      throw e;
    }
  }
}

/** The temp file a write of `file` uses: `.<name>.<pid>.<ms>.tmp` beside it (see tempStem for long names). */
export function tempFileFor(file: string): string {
  return path.join(path.dirname(file), `.${tempStem(path.basename(file))}.${process.pid}.${Date.now()}.tmp`);
}

/** Removes temp files left beside `file` by writes that were killed; returns their names. */
export function removeStaleTemps(file: string): string[] {
  const dir = path.dirname(path.resolve(file));
  const prefix = `.${tempStem(path.basename(file))}.`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const stale = names.filter((n) => n.startsWith(prefix) && /\.\d+\.\d+\.tmp$/.test(n));
  for (const n of stale) unlinkSync(path.join(dir, n));
  return stale;
}

/** Opens `target` for writing; an error names the user's `file` and the cause. */
function openForWrite(target: string, file: string): number {
  try {
    return openSync(target, "w");
  } catch (e) {
    throw new OutputError(file, describeFsError(e));
  }
}

function writeInPlace(file: string, target: string, bytes: Uint8Array): void {
  const fd = openForWrite(target, file);
  try {
    writeAll(fd, bytes);
  } catch (e) {
    throw new OutputError(file, describeFsError(e));
  } finally {
    closeSync(fd);
  }
}

/** Writes a file atomically: a temp file beside it, fsync, rename. */
export function writeFileAtomic(file: string, data: Uint8Array | string): void {
  const bytes = typeof data === "string" ? Buffer.from(data) : data;
  const target = resolveOutput(file);
  if (target.kind === "fd") {
    try {
      writeAll(target.fd, bytes);
    } catch (e) {
      throw new OutputError(file, describeFsError(e));
    }
    return;
  }
  if (target.kind === "device") return writeInPlace(file, target.file, bytes);
  makeFolders(path.dirname(target.file), file);
  const tmp = tempFileFor(target.file);
  const fd = openForWrite(tmp, file);
  try {
    writeAll(fd, bytes);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, target.file);
  } catch (e) {
    try {
      closeSync(fd);
    } catch {
      /* already closed */
    }
    try {
      unlinkSync(tmp);
    } catch {
      /* already gone */
    }
    const kept = (e as NodeJS.ErrnoException).code === "ENOSPC" ? "; the previous file, if any, is unchanged" : "";
    throw new OutputError(file, describeFsError(e) + kept);
  }
}
