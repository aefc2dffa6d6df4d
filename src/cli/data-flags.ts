// The data flags every data-reading command shares (--data, --image-size, --background, --flip), parsed
// once, and the loader that prints an image folder's summary before a run and names --data in errors.
import { parseDataSpec, DATA_SPEC_FORMS } from "../data/spec.js";
import { PREPARE_DEFAULTS, IMAGE_SIZES, parseBackground, type PrepareOptions } from "../data/prepare.js";
import { summaryLines } from "../data/folder.js";
import { loadDataset, type Split } from "../data/load.js";
import type { ImageDataset } from "../data/dataset.js";
import { num, str, UsageError, type Flags } from "./args.js";
import { MissingPackageError } from "../io/optional-packages.js";

/** parseArgs options of the data flags. */
export const DATA_FLAGS = { data: { type: "string" }, "image-size": { type: "string" }, background: { type: "string" }, flip: { type: "boolean" } } as const;

/** --help lines of the data flags. */
export const DATA_HELP = `  --data SPEC            ${DATA_SPEC_FORMS}
  --image-size 32|64     side images are prepared to (default 32)
  --background COLOUR    what transparent pixels are composited on: white (default), black, grey or #rrggbb
  --flip                 mirror training images left–right at random (augmentation)`;

/** The data spec and preparation the flags give; preparation is absent when every flag is at its default. */
export function dataFlags(v: Flags, fallback: string): { data: string; prepare?: PrepareOptions } {
  const data = str(v["data"]) ?? fallback;
  try {
    parseDataSpec(data);
  } catch (e) {
    throw new UsageError(`--data: ${(e as Error).message}`);
  }
  const size = num("image-size", v["image-size"], { int: true });
  if (size !== undefined && !(IMAGE_SIZES as readonly number[]).includes(size)) throw new UsageError(`--image-size must be ${IMAGE_SIZES.join(" or ")}, got ${size}`);
  let background = PREPARE_DEFAULTS.background;
  const bg = str(v["background"]);
  if (bg !== undefined) {
    try {
      background = parseBackground(bg);
    } catch (e) {
      throw new UsageError(`--background: ${(e as Error).message}`);
    }
  }
  const prepare: PrepareOptions = { size: size ?? PREPARE_DEFAULTS.size, background, flip: v["flip"] === true };
  const isDefault = prepare.size === PREPARE_DEFAULTS.size && prepare.background.join() === PREPARE_DEFAULTS.background.join() && !prepare.flip;
  return isDefault ? { data } : { data, prepare };
}

/** Loads --data (naming it in errors) and logs an image folder's summary: classes, counts, what was skipped and why. */
export function loadDataFlag(data: string, split: Split, prepare: PrepareOptions | undefined, log: (s: string) => void): ImageDataset {
  let ds: ImageDataset;
  try {
    ds = loadDataset(data, split, prepare ?? {});
  } catch (e) {
    if (e instanceof MissingPackageError) throw e; // its own line names the npm install
    throw new UsageError(`--data ${data}: ${(e as Error).message}`);
  }
  if (ds.summary) for (const line of summaryLines(ds.summary)) log(line);
  return ds;
}
