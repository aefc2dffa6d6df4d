// flowlab emoji-folder: writes the colour example's image folder (Noto Emoji by category, from the
// devDependency emoji-datasource-google) for flowlab train --data folder:DIR.
import { parse, str, UsageError } from "./args.js";
import { writeEmojiFolder, EMOJI_CLASSES } from "../data/emoji.js";

export const EMOJI_FOLDER_HELP = `flowlab emoji-folder [flags]
  --out DIR              the folder to write (must not exist; default emoji)
  --classes a,b,…        categories to include (default all: ${Object.values(EMOJI_CLASSES).join(", ")})`;

const FLAGS = { out: { type: "string" }, classes: { type: "string" }, threads: { type: "string" } } as const;

export async function emojiFolderCommand(argv: string[], log: (s: string) => void): Promise<number> {
  const v = parse("emoji-folder", argv, FLAGS);
  if (v["help"]) {
    log(EMOJI_FOLDER_HELP);
    return 0;
  }
  const out = str(v["out"]) ?? "emoji";
  const classes = str(v["classes"])?.split(",").map((c) => c.trim());
  let r;
  try {
    r = writeEmojiFolder(out, classes ?? Object.values(EMOJI_CLASSES));
  } catch (e) {
    throw new UsageError(`emoji-folder: ${(e as Error).message}`);
  }
  const total = Object.values(r.counts).reduce((a, b) => a + b, 0);
  log(`wrote ${total} Noto Emoji images (Apache-2.0, emoji-datasource-google ${r.version}) in ${Object.keys(r.counts).length} classes to ${out}/: ${Object.entries(r.counts).map(([c, n]) => `${c} ${n}`).join(", ")}`);
  log(`train on them: flowlab train --data folder:${out} --preset quick`);
  return 0;
}
