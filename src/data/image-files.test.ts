// The per-file steps shared by Node's folder reader and the page: grouping paths into classes, removing a
// dropped folder's own name, the skip reasons by name and size, and assembling classes into arrays.
import { test } from "node:test";
import assert from "node:assert/strict";
import { FOLDER_LIMITS, assembleClasses, groupByClass, nameOrSizeReason, stripCommonRoot } from "./image-files.js";

const f = (path: string) => ({ path, size: 1 });

test("stripCommonRoot removes the dropped folder's own name only when every path is inside it", () => {
  const cases: [string[], string | null, string[]][] = [
    [["emoji/smileys/a.png", "emoji/food/b.png"], "emoji", ["smileys/a.png", "food/b.png"]],
    [["/cats/a.png", "/cats/b.png"], "cats", ["a.png", "b.png"]],
    [["smileys/a.png", "food/b.png"], null, ["smileys/a.png", "food/b.png"]],
    [["a.png", "b.png"], null, ["a.png", "b.png"]],
    [["emoji/a.png", "emojis/b.png"], null, ["emoji/a.png", "emojis/b.png"]],
    [[], null, []],
  ];
  for (const [paths, root, out] of cases) assert.deepEqual(stripCommonRoot(paths), { root, paths: out }, paths.join(" "));
});

test("groupByClass: the first folder is the class, in name order; a flat set is one class; loose files and hidden ones are left out", () => {
  const g = groupByClass([f("b/x.png"), f("a/y.png"), f("a/deep/z.png"), f("README.md"), f("stray.png"), f(".DS_Store"), f("a/.hidden.png")], "set");
  assert.deepEqual(g.classes.map((c) => [c.name, c.files.map((x) => x.path)]), [["a", ["a/deep/z.png", "a/y.png"]], ["b", ["b/x.png"]]]);
  assert.deepEqual(g.skipped, [{ file: "stray.png", reason: "outside any class folder (images go in DIR/<class>/)" }]);
  const flat = groupByClass([f("q.png"), f("p.jpg")], "icons");
  assert.deepEqual(flat.classes.map((c) => [c.name, c.files.map((x) => x.path)]), [["icons", ["p.jpg", "q.png"]]]);
});

test("nameOrSizeReason names a non-image by its extension and a file over the byte limit", () => {
  const cases: [string, number, RegExp | null][] = [
    ["a/x.png", 10, null],
    ["a/x.JPEG", 10, null],
    ["a/notes.txt", 10, /not an image \(extension "\.txt"/],
    ["a/noext", 10, /extension "none"/],
    ["a/huge.png", FOLDER_LIMITS.maxBytes + 1, /too large: 64\.0 MiB|too large: 64 MiB/],
  ];
  for (const [p, size, want] of cases) {
    const r = nameOrSizeReason(p, size, FOLDER_LIMITS);
    if (want) assert.match(r ?? "", want, p);
    else assert.equal(r, null, p);
  }
});

test("assembleClasses: grey when every image is grey, else RGB; empty classes named; nothing usable is a message", () => {
  const px = (v: number) => new Float32Array(3 * 4).fill(v); // [3, 2, 2]
  const grey = assembleClasses("d", [{ name: "a", images: [px(0.5)], grey: [true] }, { name: "e", images: [], grey: [] }], [], 2);
  assert.ok(typeof grey !== "string");
  assert.equal(grey.summary.channels, 1);
  assert.equal(grey.images.length, 4);
  assert.deepEqual(grey.summary.emptyClasses, ["e"]);
  const rgb = assembleClasses("d", [{ name: "a", images: [px(0.5)], grey: [true] }, { name: "b", images: [px(1)], grey: [false] }], [], 2);
  assert.ok(typeof rgb !== "string");
  assert.equal(rgb.summary.channels, 3);
  assert.deepEqual([...rgb.labels], [0, 1]);
  assert.equal(rgb.summary.greyInColour, 1);
  assert.match(String(assembleClasses("d", [{ name: "a", images: [], grey: [] }], [{ file: "a/x.txt", reason: "not an image" }], 2)), /d holds no usable image.*a\/x\.txt: not an image/);
});
