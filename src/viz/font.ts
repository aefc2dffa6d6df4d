// A tiny 5×7 bitmap font for figure titles (digits, a few letters and symbols). Rows top to bottom,
// bit 4 = leftmost pixel.
const GLYPHS: Record<string, number[]> = {
  "0": [14, 17, 19, 21, 25, 17, 14], "1": [4, 12, 4, 4, 4, 4, 14], "2": [14, 17, 1, 2, 4, 8, 31],
  "3": [31, 2, 4, 2, 1, 17, 14], "4": [2, 6, 10, 18, 31, 2, 2], "5": [31, 16, 30, 1, 1, 17, 14],
  "6": [6, 8, 16, 30, 17, 17, 14], "7": [31, 1, 2, 4, 8, 8, 8], "8": [14, 17, 17, 14, 17, 17, 14],
  "9": [14, 17, 17, 15, 1, 2, 12], ".": [0, 0, 0, 0, 0, 12, 12], "=": [0, 0, 31, 0, 31, 0, 0],
  "-": [0, 0, 0, 31, 0, 0, 0], " ": [0, 0, 0, 0, 0, 0, 0], ":": [0, 12, 12, 0, 12, 12, 0],
  "∅": [1, 14, 19, 21, 25, 14, 16], "w": [0, 0, 17, 17, 21, 21, 10], "t": [8, 8, 28, 8, 8, 9, 6],
  "s": [0, 0, 15, 16, 14, 1, 30], "e": [0, 0, 14, 17, 31, 16, 14], "p": [0, 0, 30, 17, 30, 16, 16],
  "x": [0, 0, 17, 10, 4, 10, 17], "u": [0, 0, 17, 17, 17, 19, 13], "z": [0, 0, 31, 2, 4, 8, 31],
  "n": [0, 0, 22, 25, 17, 17, 17], "o": [0, 0, 14, 17, 17, 17, 14], "i": [4, 0, 12, 4, 4, 4, 14],
  "a": [0, 0, 14, 1, 15, 17, 15], "d": [1, 1, 13, 19, 17, 17, 15], "l": [12, 4, 4, 4, 4, 4, 14],
  "c": [0, 0, 14, 16, 16, 17, 14], "r": [0, 0, 22, 25, 16, 16, 16], "y": [0, 0, 17, 17, 15, 1, 14],
  "(": [2, 4, 8, 8, 8, 4, 2], ")": [8, 4, 2, 2, 2, 4, 8], "|": [4, 4, 4, 4, 4, 4, 4],
  "N": [17, 25, 21, 19, 17, 17, 17], "F": [31, 16, 16, 30, 16, 16, 16], "E": [31, 16, 16, 30, 16, 16, 31],
  "%": [24, 25, 2, 4, 8, 19, 3], "h": [16, 16, 22, 25, 17, 17, 17], "k": [16, 16, 18, 20, 24, 20, 18],
  "m": [0, 0, 26, 21, 21, 17, 17], "g": [0, 15, 17, 17, 15, 1, 14], "f": [6, 9, 8, 28, 8, 8, 8],
  "v": [0, 0, 17, 17, 17, 10, 4], "j": [2, 0, 6, 2, 2, 18, 12], "J": [7, 2, 2, 2, 2, 18, 12], "b": [16, 16, 22, 25, 17, 17, 30], "q": [0, 0, 13, 19, 15, 1, 1],
};

export const GLYPH_W = 6; // 5 pixels + 1 spacing
export const GLYPH_H = 7;

/** Width in pixels of `text` at integer `scale`. */
export function textWidth(text: string, scale = 1): number {
  return [...text].length * GLYPH_W * scale;
}

/** Draws text into a grey-level canvas (value 0..255) at (x, y). Unknown characters draw as boxes. */
export function drawText(px: Uint8Array, width: number, x: number, y: number, text: string, value = 0, scale = 1): void {
  let cx = x;
  const height = px.length / width;
  for (const ch of text) {
    const rows = GLYPHS[ch] ?? [31, 17, 17, 17, 17, 17, 31];
    for (let r = 0; r < GLYPH_H; r++)
      for (let c = 0; c < 5; c++) {
        if (!((rows[r]! >> (4 - c)) & 1)) continue;
        for (let dy = 0; dy < scale; dy++)
          for (let dx = 0; dx < scale; dx++) {
            const X = cx + c * scale + dx, Y = y + r * scale + dy;
            if (X >= 0 && X < width && Y >= 0 && Y < height) px[Y * width + X] = value;
          }
      }
    cx += GLYPH_W * scale;
  }
}
