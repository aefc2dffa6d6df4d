// Typed errors for bad input and failed output that library code throws (never the CLI's UsageError):
// each names the user's file and what was expected; the CLI prints it as one line and exits 2.

/**
 * A user-supplied file or value is unusable. `input` names the role (e.g. "samples"), which the CLI shows
 * as its flag; `what` (e.g. "checkpoint") makes the message "checkpoint FILE problem" instead of "FILE: problem".
 */
export class InputError extends Error {
  override name = "InputError";
  constructor(
    readonly file: string,
    readonly problem: string,
    readonly input?: string,
    what?: string,
  ) {
    super(what ? `${what} ${file} ${problem}` : `${file}: ${problem}`);
  }
}

/** Writing an output file failed; names the user's path (never a temp file) and the cause. */
export class OutputError extends Error {
  override name = "OutputError";
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`cannot write ${file}: ${problem}`);
  }
}

/** Text from a file, safe inside a one-line message: control characters escaped, at most `max` characters. */
export function printable(s: string, max = 80): string {
  // eslint-disable-next-line no-control-regex
  const t = s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return t.length > max ? `${t.slice(0, max)}…` : t;
}
