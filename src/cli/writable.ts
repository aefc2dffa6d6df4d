// Fails early, with one clear line, when an output path cannot be written or an input is missing.
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { UsageError } from "./args.js";
import { OutputError } from "../io/errors.js";
import { checkWritable, makeFolders, resolveOutput } from "../io/output-path.js";

function asUsage(what: string, f: () => void): void {
  try {
    f();
  } catch (e) {
    if (e instanceof OutputError) throw new UsageError(`cannot write ${what} ${e.file}: ${e.problem}`);
    throw e;
  }
}

export function ensureWritableFile(file: string, what = "output"): void {
  asUsage(what, () => checkWritable(file));
}

export function ensureWritableDir(dir: string, what = "output folder"): void {
  asUsage(what, () => {
    makeFolders(dir, dir);
    checkWritable(path.join(dir, "probe"));
  });
}

/** `flag`'s file exists and is not a folder, e.g. ensureReadableFile(f, "--ckpt", "checkpoint"). */
export function ensureReadableFile(file: string, flag: string, noun: string): void {
  if (!existsSync(file)) throw new UsageError(`${flag}: ${noun} ${file} does not exist`);
  if (statSync(file).isDirectory()) throw new UsageError(`${flag}: ${noun} ${file} is a folder, not a file`);
}

/** Whether an output path is this process's stdout. */
export function isStdout(file: string): boolean {
  try {
    const t = resolveOutput(file);
    return t.kind === "fd" && t.fd === 1;
  } catch {
    return false;
  }
}
