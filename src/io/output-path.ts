// What an output path really is before anything is written: a regular file (or a new one), reached
// through any symlinks; an open stdio stream; a character device or FIFO; or something flowlab refuses.
import { lstatSync, readlinkSync, statSync, mkdirSync, accessSync, openSync, closeSync, unlinkSync, constants, type Stats } from "node:fs";
import path from "node:path";
import { tempStem } from "./temp-name.js";
import { OutputError } from "./errors.js";

export type OutputTarget =
  /** Write a temp file beside `file` and rename it over `file` (the symlink's final target). */
  | { kind: "file"; file: string }
  /** Write straight to this open descriptor (/dev/stdout, /dev/fd/N, /proc/self/fd/N). */
  | { kind: "fd"; fd: number }
  /** Open and write in place: a character device or a FIFO. */
  | { kind: "device"; file: string };

/** An fs error as a short cause, without the (possibly internal) path Node puts in the message. */
export function describeFsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  const known: Record<string, string> = {
    ENOSPC: "no space left on the device",
    EDQUOT: "disk quota exceeded",
    EACCES: "permission denied",
    EPERM: "operation not permitted",
    EROFS: "the file system is read-only",
    EISDIR: "it is a folder",
    ENOTDIR: "a part of its path is a file, not a folder",
    ENOENT: "no file can be created there",
    ENAMETOOLONG: "the name is too long",
    ELOOP: "too many levels of symbolic links",
    EIO: "an input/output error on the device",
  };
  return code && known[code] ? `${known[code]} (${code})` : (e as Error).message;
}

const STDIO_FD = /^\/(?:dev\/(?:std(in|out|err)|fd\/(\d+))|proc\/(?:self|\d+)\/fd\/(\d+))$/;

function stdioFd(p: string): number | null {
  const m = STDIO_FD.exec(p);
  if (!m) return null;
  if (m[1]) return { in: 0, out: 1, err: 2 }[m[1] as "in" | "out" | "err"];
  if (m[3] && !p.startsWith("/proc/self/") && Number(p.split("/")[2]) !== process.pid) return null;
  return Number(m[2] ?? m[3]);
}

function lstatOrNull(p: string): Stats | null {
  try {
    return lstatSync(p);
  } catch {
    return null;
  }
}

function statOrNull(p: string): Stats | null {
  try {
    return statSync(p);
  } catch {
    return null;
  }
}

function kindOf(s: Stats): string {
  return s.isBlockDevice() ? "a block device" : s.isSocket() ? "a socket" : s.isDirectory() ? "a folder" : "not a regular file";
}

/** Follows `file` through symlinks (up to 40) to what a write should touch. */
export function resolveOutput(file: string): OutputTarget {
  let p = path.resolve(file);
  for (let hops = 0; hops < 40; hops++) {
    const fd = stdioFd(p);
    if (fd !== null) return { kind: "fd", fd };
    const s = lstatOrNull(p);
    if (!s || s.isFile()) return { kind: "file", file: p };
    if (s.isSymbolicLink()) {
      p = path.resolve(path.dirname(p), readlinkSync(p));
      continue;
    }
    if (s.isCharacterDevice() || s.isFIFO()) return { kind: "device", file: p };
    throw new OutputError(file, `${p === path.resolve(file) ? "it" : p} is ${kindOf(s)}; flowlab writes regular files, character devices and FIFOs`);
  }
  throw new OutputError(file, "too many levels of symbolic links");
}

/**
 * Creates `dir` and its missing parents one level at a time (mkdirSync's recursive mode never returns
 * under /proc on Node 20). Errors name `file`, the user's output.
 */
export function makeFolders(dir: string, file: string): void {
  const missing: string[] = [];
  let d = path.resolve(dir);
  for (;;) {
    if (lstatOrNull(d)) {
      const s = statOrNull(d);
      if (!s) throw new OutputError(file, `${d} is a broken symbolic link`);
      if (!s.isDirectory()) throw new OutputError(file, `${d} is a file, not a folder`);
      break;
    }
    missing.unshift(d);
    const up = path.dirname(d);
    if (up === d) break;
    d = up;
  }
  for (const m of missing) {
    try {
      mkdirSync(m);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "EEXIST") continue;
      throw new OutputError(file, `cannot create folder ${m}: ${describeFsError(e)}`);
    }
  }
}

/** Checks, without writing, that `file` can be written: its folder exists or can be made, and is writable. */
export function checkWritable(file: string): OutputTarget {
  const target = resolveOutput(file);
  if (target.kind === "fd") return target;
  if (target.kind === "device") {
    try {
      accessSync(target.file, constants.W_OK);
    } catch (e) {
      throw new OutputError(file, describeFsError(e));
    }
    return target;
  }
  const dir = path.dirname(target.file);
  makeFolders(dir, file);
  // a real probe: access() says yes under /proc and to root on read-only mounts
  const probe = path.join(dir, `.${tempStem(path.basename(target.file))}.${process.pid}.probe.tmp`);
  try {
    closeSync(openSync(probe, "wx"));
    unlinkSync(probe);
  } catch (e) {
    throw new OutputError(file, `folder ${dir} is not writable: ${describeFsError(e)}`);
  }
  return target;
}
