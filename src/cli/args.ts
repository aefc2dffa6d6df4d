// Flag parsing helpers (node:util parseArgs underneath) that turn bad values into one clear line.
import { parseArgs, type ParseArgsConfig } from "node:util";
import { existsSync, readFileSync } from "node:fs";
import { isOdeSolverName, unknownSolverMessage, type OdeSolverName } from "../solvers/steppers.js";

export class UsageError extends Error {
  override name = "UsageError";
}

type Options = NonNullable<ParseArgsConfig["options"]>;

/** Parsed flag values by name; undefined means the flag was not given. */
export type Flags = Record<string, string | boolean | undefined>;

export function parse(cmd: string, argv: string[], options: Options): Flags {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: { ...options, verbose: { type: "boolean" }, help: { type: "boolean", short: "h" } }, strict: true, allowPositionals: true });
    if (positionals.length) throw new UsageError(`${cmd}: unexpected argument "${positionals[0]}"`);
    return values as Flags;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const msg = (e as Error).message.replace(/\. To specify a positional argument.*$/s, "").replace(/\s*\n\s*/g, " ");
    throw new UsageError(`${cmd}: ${msg} (see flowlab ${cmd} --help)`);
  }
}

export function num(flag: string, v: string | boolean | undefined, opts: { int?: boolean; min?: number; max?: number } = {}): number | undefined {
  if (v === undefined) return undefined;
  const s = String(v).trim();
  const n = Number(s);
  if (s === "" || !Number.isFinite(n)) throw new UsageError(`--${flag} must be a number, got "${v}"`);
  if (opts.int && !Number.isInteger(n)) throw new UsageError(`--${flag} must be an integer, got "${v}"`);
  if (opts.min !== undefined && n < opts.min) throw new UsageError(`--${flag} must be ≥ ${opts.min}, got ${n}`);
  if (opts.max !== undefined && n > opts.max) throw new UsageError(`--${flag} must be ≤ ${opts.max}, got ${n}`);
  return n;
}

export function numList(flag: string, v: string | boolean | undefined, opts: { int?: boolean; min?: number; max?: number } = {}): number[] | undefined {
  if (v === undefined) return undefined;
  const parts = String(v).split(",").map((p) => p.trim());
  if (!parts.length || parts.some((p) => p === "")) throw new UsageError(`--${flag} must be a comma-separated list of numbers, got "${v}"`);
  return parts.map((p) => {
    const n = num(flag, p, opts);
    return n!;
  });
}

export function str(v: string | boolean | undefined): string | undefined {
  return v === undefined ? undefined : String(v);
}

/** Whether argv asks for `--study NAME` (either spelling), before the flags are parsed. */
export function asksForStudy(argv: readonly string[], name: string): boolean {
  return argv.some((a, i) => a === `--study=${name}` || (a === "--study" && argv[i + 1] === name));
}

/** The JSON a flag names (e.g. --from), or one line saying it is missing or not JSON. */
export function readJsonFlag(flag: string, file: string): unknown {
  if (!existsSync(file)) throw new UsageError(`--${flag} ${file} does not exist`);
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new UsageError(`--${flag} ${file} is not JSON: ${(e as Error).message}`);
  }
}

/** --from redraws saved rows: any of `sampling` (flags that only matter when sampling) given beside it is refused in one line. */
export function refuseBesideFrom(v: Flags, sampling: readonly string[]): void {
  const clash = sampling.filter((k) => v[k] !== undefined);
  if (clash.length) throw new UsageError(`--from redraws saved rows without sampling; drop --${clash.join(", --")}`);
}

/** --solver's value, or `fallback` when not given; a name not in the solver table is one line. */
export function solverFlag(v: string | boolean | undefined, fallback: OdeSolverName): OdeSolverName {
  const solver = str(v) ?? fallback;
  if (!isOdeSolverName(solver)) throw new UsageError(unknownSolverMessage("--solver", solver));
  return solver;
}
