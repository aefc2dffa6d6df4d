// What reading an image folder found, as plain types with no Node API, so browser code (the page's
// typecheck of dataset.ts) can name them without pulling in node:fs.

/** A file left out, and why. */
export interface Skipped {
  file: string; // relative to the folder
  reason: string;
}

/** What a folder held: the classes kept, their counts, and everything left out. */
export interface FolderSummary {
  dir: string;
  classNames: string[];
  counts: number[];
  /** 1 when every image is grey, else 3. */
  channels: 1 | 3;
  /** Grey images among colour ones (kept, as RGB with R = G = B). */
  greyInColour: number;
  /** Class folders with no usable image (left out of the classes). */
  emptyClasses: string[];
  skipped: Skipped[];
}
