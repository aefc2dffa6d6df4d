// The shipped colour example's data: Noto Emoji (Apache-2.0) from the npm package emoji-datasource-google
// (a devDependency), written as an ImageFolder with one class per emoji category, offline and reproducibly.
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

/** The package, pinned so the folder is the same everywhere. */
export const EMOJI_PACKAGE = "emoji-datasource-google";

/** Categories as classes: the package's category → a short folder name. "Component" (5 skin-tone swatches) is left out. */
export const EMOJI_CLASSES: Readonly<Record<string, string>> = Object.freeze({
  "Smileys & Emotion": "smileys",
  "People & Body": "people",
  "Animals & Nature": "animals",
  "Food & Drink": "food",
  "Travel & Places": "travel",
  Activities: "activities",
  Objects: "objects",
  Symbols: "symbols",
  Flags: "flags",
});

interface EmojiEntry {
  image: string;
  category: string;
  has_img_google: boolean;
}

/** The installed package's folder; throws saying how to install it. */
export function emojiPackageDir(): string {
  const require = createRequire(import.meta.url);
  try {
    return path.dirname(require.resolve(`${EMOJI_PACKAGE}/package.json`));
  } catch {
    throw new Error(`the npm package ${EMOJI_PACKAGE} is not installed (a devDependency: npm ci, or npm install --no-save ${EMOJI_PACKAGE}@16.0.0)`);
  }
}

/** What writeEmojiFolder wrote. */
export interface EmojiFolder {
  dir: string;
  version: string;
  counts: Record<string, number>;
}

/**
 * Writes out/<class>/<code points>.png (the package's 64×64 Noto images, copied unchanged) and
 * out/NOTICE.txt (source and licence). Refuses an existing out; writes a sibling temp folder, then renames.
 */
export function writeEmojiFolder(out: string, classes: readonly string[] = Object.values(EMOJI_CLASSES)): EmojiFolder {
  if (existsSync(out)) throw new Error(`${out} exists; flowlab does not replace it: remove it or choose another folder`);
  const known = new Set(Object.values(EMOJI_CLASSES));
  for (const c of classes) if (!known.has(c)) throw new Error(`unknown emoji class "${c}": choose from ${[...known].join(", ")}`);
  const pkg = emojiPackageDir();
  const version = (JSON.parse(readFileSync(path.join(pkg, "package.json"), "utf8")) as { version: string }).version;
  const entries = JSON.parse(readFileSync(path.join(pkg, "emoji.json"), "utf8")) as EmojiEntry[];
  const imgDir = path.join(pkg, "img", "google", "64");
  const have = new Set(readdirSync(imgDir));
  const tmp = `${out}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  const counts: Record<string, number> = {};
  try {
    for (const e of entries) {
      const c = EMOJI_CLASSES[e.category];
      if (!c || !classes.includes(c) || !e.has_img_google || !have.has(e.image)) continue;
      mkdirSync(path.join(tmp, c), { recursive: true });
      copyFileSync(path.join(imgDir, e.image), path.join(tmp, c, e.image));
      counts[c] = (counts[c] ?? 0) + 1;
    }
    writeFileSync(path.join(tmp, "NOTICE.txt"), `Noto Emoji images (64×64 PNG) from the npm package ${EMOJI_PACKAGE}@${version}, one folder per emoji category.\nThe Noto Emoji images are available under the Apache License 2.0 (https://github.com/googlefonts/noto-emoji/blob/main/LICENSE);\nthe package's data is MIT-licensed (Copyright (c) 2013 Cal Henderson).\nWritten by flowlab emoji-folder.\n`);
    renameSync(tmp, out);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  return { dir: out, version, counts };
}
