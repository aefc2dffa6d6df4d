// Flag parsing helpers (node:util parseArgs underneath) that turn bad values into one clear line.
import { parseArgs, type ParseArgsConfig } from "node:util";
import { existsSync } from "node:fs";
import { readInputFile } from "../io/read-input.js";
import { isOdeSolverName, unknownSolverMessage, type OdeSolverName } from "../solvers/steppers.js";

export class UsageError extends Error {
  override name = "UsageError";
}

type Options = NonNullable<ParseArgsConfig["options"]>;

/** Parsed flag values by name; undefined means the flag was not given. */
export type Flags = Record<string, string | boolean | undefined>;

/**
 * `--flag -1` as `--flag=-1`: a value flag followed by a negative number or range (`--w -1`, `--range -1..1`)
 * takes it as its value, as the help shows, instead of parseArgs calling it ambiguous.
 */
function joinNegativeValues(argv: readonly string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!, next = argv[i + 1];
    if (a === "--") return [...out, ...argv.slice(i)];
    const name = a.startsWith("--") && !a.includes("=") ? a.slice(2) : undefined;
    if (name !== undefined && options[name]?.type === "string" && next !== undefined && /^-[\d.]/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

export function parse(cmd: string, argv: string[], options: Options): Flags {
  try {
    const { values, positionals } = parseArgs({ args: joinNegativeValues(argv, options), options: { ...options, verbose: { type: "boolean" }, "no-verify": { type: "boolean" }, help: { type: "boolean", short: "h" } }, strict: true, allowPositionals: true });
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

/** The largest seed: the generator (xoshiro128** through splitmix32) takes 32 bits, so larger seeds would alias smaller ones. */
export const MAX_SEED = 2 ** 32 - 1;

/** --seed: an integer in 0..2^32 − 1 (every one gives a different stream; none aliases another). */
export function seedFlag(v: string | boolean | undefined): number | undefined {
  return num("seed", v, { int: true, min: 0, max: MAX_SEED });
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

/** A path flag (e.g. --out): a non-empty string; `--out ''` would otherwise mean the current folder. */
export function pathFlag(flag: string, v: string | boolean | undefined): string | undefined {
  if (v === undefined) return undefined;
  const s = String(v);
  if (s.trim() === "") throw new UsageError(`--${flag} must name a file or folder, got an empty string`);
  return s;
}

/** Whether argv asks for `--study NAME` (either spelling), before the flags are parsed. */
export function asksForStudy(argv: readonly string[], name: string): boolean {
  return argv.some((a, i) => a === `--study=${name}` || (a === "--study" && argv[i + 1] === name));
}

/** The JSON a flag names (e.g. --from), or one line saying it is missing or not JSON. */
export function readJsonFlag(flag: string, file: string): unknown {
  if (!existsSync(file)) throw new UsageError(`--${flag} ${file} does not exist`);
  const bytes = readInputFile(file, { what: "JSON file", input: flag, maxBytes: 2 ** 28 });
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
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
