// The figures' typeface: DejaVu Sans (free licence, from the dejavu-fonts-ttf package), read from
// node_modules, never from the system. Its character map says which characters have glyphs; its
// advance widths size the figures around their text. Both packages are optional peers, loaded on first use.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import type { Font } from "opentype.js";
import { needing } from "../io/optional-packages.js";

export const FONT_FAMILY = "DejaVu Sans";
const require = createRequire(import.meta.url);
const FILES = { normal: "dejavu-fonts-ttf/ttf/DejaVuSans.ttf", bold: "dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf" } as const;
export type Weight = keyof typeof FILES;
/** The font's licence, shipped with its package (see README, Dependencies). */
export function fontLicenseFile(): string {
  return needing("figures", () => require.resolve("dejavu-fonts-ttf/LICENSE"));
}

const bytes = new Map<Weight, Uint8Array>();
const parsed = new Map<Weight, Font>();

/** The TTF file of one weight (read once). */
export function fontBytes(weight: Weight = "normal"): Uint8Array {
  let b = bytes.get(weight);
  if (!b) bytes.set(weight, (b = new Uint8Array(readFileSync(needing("figures", () => require.resolve(FILES[weight]))))));
  return b;
}

function font(weight: Weight): Font {
  let f = parsed.get(weight);
  if (!f) {
    const b = fontBytes(weight);
    // opentype.js is CommonJS: a synchronous require keeps measureText synchronous
    const opentype = needing("figures", () => require("opentype.js") as (typeof import("opentype.js"))["default"]);
    parsed.set(weight, (f = opentype.parse(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer)));
  }
  return f;
}

/** Characters of `text` that the font has no glyph for (they would draw as a missing-glyph box). */
export function missingGlyphs(text: string, weight: Weight = "normal"): string[] {
  const f = font(weight);
  return [...new Set([...text])].filter((ch) => !/\s/.test(ch) && f.charToGlyphIndex(ch) === 0);
}

/** Width in px of `text` set at `size` px: the sum of the glyphs' advance widths. */
export function measureText(text: string, size: number, weight: Weight = "normal"): number {
  const f = font(weight);
  let units = 0;
  for (const ch of text) units += f.glyphs.get(f.charToGlyphIndex(ch)).advanceWidth ?? f.unitsPerEm / 2;
  return (units * size) / f.unitsPerEm;
}
