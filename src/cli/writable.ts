// Fails early, with one clear line, when an output path cannot be written.
import { accessSync, constants, existsSync, mkdirSync, statSync } from "node:fs";
import path from "node:path";
import { UsageError } from "./args.js";

export function ensureWritableFile(file: string, what = "output"): void {
  const dir = path.dirname(path.resolve(file));
  if (existsSync(file) && statSync(file).isDirectory()) throw new UsageError(`${what} ${file} is a folder`);
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch {
    throw new UsageError(`cannot write ${what} ${file}: folder ${dir} is not writable`);
  }
}

export function ensureWritableDir(dir: string, what = "output folder"): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch {
    throw new UsageError(`cannot write ${what} ${dir}`);
  }
}
