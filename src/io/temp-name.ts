// The stem of a hidden temp file's name beside a user's file: the file's own name, shortened (with a
// hash, so different long names stay apart) when the temp name would pass the 255-byte name limit.
import { createHash } from "node:crypto";

/** The longest file name (bytes) Linux and macOS file systems take. */
const NAME_MAX = 255;
/** The bytes a temp name adds to its stem: `.`, `.<pid>` (≤ 7 digits), `.<ms>` (13 digits), `.tmp`. */
const TEMP_EXTRA = 1 + 8 + 14 + 4;

/**
 * The part of a temp name that stands for `name`: the name itself, or when `.<name>.<pid>.<ms>.tmp`
 * would pass 255 bytes, its first bytes (whole characters) and `~` with 8 hex digits of its SHA-256.
 */
export function tempStem(name: string): string {
  const bytes = Buffer.from(name);
  if (bytes.length + TEMP_EXTRA <= NAME_MAX) return name;
  const tag = `~${createHash("sha256").update(name).digest("hex").slice(0, 8)}`;
  let head = bytes.subarray(0, NAME_MAX - TEMP_EXTRA - tag.length).toString("utf8");
  if (head.endsWith("\ufffd")) head = head.slice(0, -1); // a character cut in half
  return head + tag;
}
