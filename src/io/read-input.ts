// Reading a user's input file whole, safely: only a regular file (a symlink is followed) is read, its
// size is checked against a cap and against what its header declares before the rest is read, and
// reading stops at the size stat gave, so /dev/zero, FIFOs and growing files never hang or exhaust memory.
import { openSync, fstatSync, readSync, closeSync, constants, type Stats } from "node:fs";
import { InputError } from "./errors.js";
import { describeFsError } from "./output-path.js";

/** How to read one kind of input file. */
export interface ReadInputOptions {
  /** What the file should be, for messages ("checkpoint", "samples", "IDX images"): "checkpoint FILE does not exist". */
  what: string;
  /** The role that gave the file (e.g. "samples"); the CLI shows it as the flag. */
  input?: string;
  /** The largest file accepted, in bytes. */
  maxBytes?: number;
  /**
   * The size the file's header declares, from its first `headBytes` bytes, or null when the header
   * does not say (then only the cap applies). Called before the rest is read.
   */
  declaredSize?: { headBytes: number; size: (head: Uint8Array) => number | null };
}

/** The default cap on an input file: 2 GiB, beyond anything flowlab writes or reads. */
export const MAX_INPUT_BYTES = 2 ** 31;

function kind(s: Stats): string {
  if (s.isFIFO()) return "a FIFO (named pipe)";
  if (s.isCharacterDevice()) return "a character device";
  if (s.isBlockDevice()) return "a block device";
  if (s.isSocket()) return "a socket";
  return "not a regular file";
}

function readRange(fd: number, buf: Uint8Array, from: number): number {
  let off = from;
  while (off < buf.length) {
    const n = readSync(fd, buf, off, buf.length - off, off);
    if (n === 0) break; // the file shrank: the parser sees a truncated file
    off += n;
  }
  return off;
}

/** The bytes of a regular input file, or an InputError naming the file and what was expected. */
export function readInputFile(file: string, opts: ReadInputOptions): Uint8Array {
  const fail = (problem: string): never => {
    // with a role the CLI names the flag ("--samples FILE: problem"), else the kind ("checkpoint FILE problem")
    throw opts.input !== undefined ? new InputError(file, problem, opts.input) : new InputError(file, problem, undefined, opts.what);
  };
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO never waits for a writer; fstat below refuses it
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return fail("does not exist");
    if (code === "EISDIR") return fail("is a folder, not a file");
    if (code === "ENOTDIR") return fail("does not exist (a part of the path is not a folder)");
    return fail(`cannot be read: ${describeFsError(e)}`);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) fail("is a folder, not a file");
    if (!st.isFile()) fail(`is ${kind(st)}, not a regular file`);
    const max = opts.maxBytes ?? MAX_INPUT_BYTES;
    if (st.size > max) fail(`is ${st.size} bytes, more than the ${max} flowlab reads`);
    const bytes = new Uint8Array(st.size);
    const d = opts.declaredSize;
    if (d && st.size >= d.headBytes) {
      readRange(fd, bytes.subarray(0, d.headBytes), 0);
      const want = d.size(bytes.subarray(0, d.headBytes));
      if (want !== null && want !== st.size) {
        fail(`its header declares ${want} bytes but the file has ${st.size}${want > st.size ? " (truncated?)" : " (trailing bytes)"}`);
      }
    }
    const got = readRange(fd, bytes, d && st.size >= d.headBytes ? d.headBytes : 0);
    return got === bytes.length ? bytes : bytes.subarray(0, got);
  } catch (e) {
    if (e instanceof InputError) throw e;
    return fail(`cannot be read: ${describeFsError(e)}`);
  } finally {
    closeSync(fd);
  }
}
