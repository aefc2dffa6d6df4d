// A run folder's lock, like git's index.lock: `run.lock`, created atomically (O_EXCL) and holding the
// owner's pid, host, start time and command. A second trainer is refused with one line naming the
// owner; a lock whose process is gone (on this host) is taken over; the lock goes on every exit.
import { openSync, writeSync, closeSync, renameSync, linkSync, unlinkSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { InputError } from "./errors.js";
import { readInputFile } from "./read-input.js";

/** The lock's file name inside a run folder. */
export const LOCK_NAME = "run.lock";

/** What a lock file holds. */
export interface LockOwner {
  pid: number;
  host: string;
  /** ISO time the owner took the lock. */
  started: string;
  command: string;
}

/** A lock file that cannot be parsed this long after it was made is a crash's leftover, not a write in progress. */
const TORN_GRACE_MS = 5000;

const held = new Set<string>();

function ownerOf(file: string): LockOwner | null {
  try {
    const o = JSON.parse(new TextDecoder().decode(readInputFile(file, { what: "lock", maxBytes: 1 << 16 }))) as Partial<LockOwner>;
    if (typeof o.pid !== "number" || typeof o.host !== "string") return null;
    return { pid: o.pid, host: o.host, started: String(o.started), command: String(o.command) };
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM"; // exists, owned by another user
  }
}

/** Why the lock at `file` is stale (its process is gone), or null when it may still be held. */
function staleReason(file: string, owner: LockOwner | null): string | null {
  if (!owner) {
    let age = 0;
    try {
      age = Date.now() - statSync(file).mtimeMs;
    } catch {
      return "it is gone";
    }
    return age > TORN_GRACE_MS ? "it is empty or unreadable (left by a crash)" : null;
  }
  if (owner.host !== os.hostname()) return null; // another machine's pid cannot be checked
  if (owner.pid === process.pid) return null;
  return alive(owner.pid) ? null : `its process ${owner.pid} (${owner.command}, started ${owner.started}) is no longer running`;
}

function create(file: string, owner: LockOwner): boolean {
  let fd: number;
  try {
    fd = openSync(file, "wx");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw new InputError(path.dirname(file), `cannot create its lock ${LOCK_NAME}: ${(e as Error).message}`, "out");
  }
  try {
    writeSync(fd, JSON.stringify(owner) + "\n");
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Moves a stale lock aside and removes it. If another process replaced it in the meantime (it took the
 * lock over first), its lock is put back (link: never overwriting) and false is returned.
 */
function removeStale(file: string, seen: LockOwner | null): boolean {
  const aside = `${file}.stale.${process.pid}`;
  try {
    renameSync(file, aside);
  } catch {
    return true; // already gone: try to create it
  }
  const moved = ownerOf(aside);
  if (seen && moved && (moved.pid !== seen.pid || moved.started !== seen.started)) {
    try {
      linkSync(aside, file);
    } catch {
      /* a third process holds it now */
    }
    unlinkSync(aside);
    return false;
  }
  unlinkSync(aside);
  return true;
}

function release(file: string): void {
  if (!held.delete(file)) return;
  if (ownerOf(file)?.pid === process.pid) {
    try {
      unlinkSync(file);
    } catch {
      /* the folder is gone */
    }
  }
}

/** Releases every lock this process holds (at exit, after SIGINT/SIGTERM, or when opening a run fails). */
export function releaseRunLocks(): void {
  for (const f of [...held]) release(f);
}

let hooked = false;
function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.on("exit", releaseRunLocks);
  for (const [sig, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
    // only when nothing else handles the signal (the training loop checkpoints first, then exits)
    process.on(sig, () => {
      if (process.listenerCount(sig) > 1) return;
      releaseRunLocks();
      process.exit(code);
    });
  }
}

/**
 * Takes `dir`'s lock for `command`, or throws an InputError naming the process that holds it. A stale
 * lock (its process gone) is taken over and `note` says so in one line.
 */
export function lockRunFolder(dir: string, command: string, note: (s: string) => void): void {
  const file = path.join(dir, LOCK_NAME);
  if (held.has(file)) return;
  const me: LockOwner = { pid: process.pid, host: os.hostname(), started: new Date().toISOString(), command };
  for (let attempt = 0; attempt < 3; attempt++) {
    if (create(file, me)) {
      held.add(file);
      hookExit();
      return;
    }
    const owner = ownerOf(file);
    const stale = staleReason(file, owner);
    if (!stale) {
      const who = owner ? `${owner.command} (pid ${owner.pid} on ${owner.host}, started ${owner.started})` : "another process (its lock is being written)";
      throw new InputError(dir, `is in use by ${who}; wait for it to end, or if it is gone remove ${file}`, "out");
    }
    if (removeStale(file, owner)) note(`${file}: took over a stale lock: ${stale}`);
  }
  throw new InputError(dir, `its lock ${file} keeps changing hands; try again`, "out");
}
