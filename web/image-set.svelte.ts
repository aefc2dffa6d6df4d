// The page's own training images: a folder or .zip the user dropped or chose, or the shipped emoji
// example; read and prepared in this tab (web/image-drop.ts), summarised, and handed to training.
import type { EngineState } from "./engine-state.svelte.js";
import type { FolderSummary } from "../src/data/image-files.js";
import { readImageSource, type ImageSource } from "./image-drop.js";
import { decodeImageSetFile } from "../src/page/image-set-file.js";

/** Thumbnails shown per class in the summary. */
const THUMBS = 6;
const EMOJI_FILE = "emoji.bin";

/** What the summary shows: classes with counts and a few thumbnails, and every file left out. */
export interface ImageSetView {
  name: string;
  classNames: string[];
  counts: number[];
  channels: number;
  /** Thumbnail images [T, C, 32, 32] and, per class, their indices into it. */
  thumbs: Float32Array;
  thumbsOf: number[][];
  summary: FolderSummary | null;
  /** The licence of a shipped set. */
  notice: string | null;
}

export class ImageSetState {
  status: "none" | "reading" | "ready" | "failed" = $state("none");
  progress = $state({ done: 0, total: 0 });
  message = $state("");
  view: ImageSetView | null = $state.raw(null);

  constructor(
    private readonly engine: EngineState,
    private readonly base: string,
  ) {}

  private busy(): boolean {
    if (!this.engine.training) return false;
    this.message = "Stop the training before choosing other images.";
    return true;
  }

  /** Reads a dropped or chosen folder, files or .zip; on success the next training uses it. */
  async read(source: ImageSource): Promise<void> {
    if (this.busy()) return;
    this.status = "reading";
    this.message = "";
    this.progress = { done: 0, total: 0 };
    let d;
    try {
      d = await readImageSource(source, (done, total) => (this.progress = { done, total }));
    } catch (e) {
      d = `could not read the images: ${(e as Error).message}`;
    }
    if (typeof d === "string") {
      this.status = "failed";
      this.message = d;
      return;
    }
    const s = d.summary;
    this.use(s.dir, d.images, d.labels, s.classNames, s.channels, s, null);
  }

  /** The shipped colour example: 885 Noto Emoji in 9 categories, already prepared. */
  async useEmoji(): Promise<void> {
    if (this.busy()) return;
    this.status = "reading";
    this.message = "";
    try {
      const r = await fetch(new URL(EMOJI_FILE, this.base));
      if (!r.ok) throw new Error(`HTTP ${r.status}`);
      const set = decodeImageSetFile(new Uint8Array(await r.arrayBuffer()), EMOJI_FILE);
      this.use(set.name, set.images, set.labels, set.classNames, set.channels, null, set.notice);
    } catch (e) {
      this.status = "failed";
      this.message = `could not load the emoji example (${EMOJI_FILE}): ${(e as Error).message}`;
    }
  }

  /** Back to MNIST's digits. */
  useMnist(): void {
    if (this.busy()) return;
    this.engine.trainImages = null;
    this.view = null;
    this.status = "none";
    this.message = "";
  }

  private use(name: string, images: Float32Array, labels: Int32Array, classNames: string[], channels: number, summary: FolderSummary | null, notice: string | null): void {
    const size = 32;
    const P = channels * size * size;
    const counts = classNames.map(() => 0);
    const picked: number[][] = classNames.map(() => []);
    labels.forEach((l, i) => {
      counts[l]!++;
      if (picked[l]!.length < THUMBS) picked[l]!.push(i);
    });
    const flat = picked.flat();
    const thumbs = new Float32Array(flat.length * P);
    flat.forEach((i, j) => thumbs.set(images.subarray(i * P, (i + 1) * P), j * P));
    let j = 0;
    const thumbsOf = picked.map((p) => p.map(() => j++));
    this.engine.trainImages = { name, images, labels, classNames, channels, size };
    this.view = { name, classNames, counts, channels, thumbs, thumbsOf, summary, notice };
    this.status = "ready";
  }
}
