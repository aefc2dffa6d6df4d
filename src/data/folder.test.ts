// Image folders, table-driven: every kind of bad input is counted and named with its reason (corrupt,
// not an image, a decompression bomb, a truncated JPEG, an unsupported format, unreadable, an empty class); modes
// are detected (grey, colour, grey among colour); a flat folder is one class; GIF and WebP decode.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { execFileSync, spawnSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { readImageFolder, summaryLines, FolderError, type FolderLimits } from "./folder.js";
import type { FolderSummary } from "./folder-summary.js";
import { nodeDecoder } from "./node-decoders.js";
import { PREPARE_DEFAULTS } from "./prepare.js";
import { pngBytes, jpegBytes, rgbaImage, writeTinyFolder, TINY_FOLDER } from "../testing/image-folder.js";
import { encodeGif } from "../viz/gif.js";

/** An 8×8 lossless WebP made by libwebp (@jsquash/webp's encoder): pixel i = (4i, 100, 255 − 4i). */
const WEBP_8X8 = "UklGRjgAAABXRUJQVlA4TCsAAAAvB8ABAJmM6H9sIvrf/4CQgDDW/xWaAwQClKnCEATZNv6WA9n+mAB3ZnM2AA==";
const red = () => pngBytes(rgbaImage(20, 20, () => [220, 30, 30, 255]));
const grey = () => pngBytes(rgbaImage(20, 20, (x) => [x * 10, x * 10, x * 10, 255]));

/** A PNG whose header declares w×h but holds a 1×1 image (IHDR patched; image-size reads the header only). */
function bomb(w: number, h: number): Uint8Array {
  const b = Buffer.from(pngBytes(rgbaImage(1, 1, () => [0, 0, 0, 255])));
  b.writeUInt32BE(w, 16);
  b.writeUInt32BE(h, 20);
  return b;
}

/** Writes files (path → bytes) into a new folder. */
function folder(files: Record<string, Uint8Array | string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "flowlab-folder-t-"));
  for (const [rel, bytes] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), bytes);
  }
  return dir;
}

const read = (dir: string, limits?: FolderLimits) => readImageFolder(dir, PREPARE_DEFAULTS, nodeDecoder, limits);

const SKIPS: { name: string; file: string; bytes: () => Uint8Array | string; reason: RegExp }[] = [
  { name: "corrupt PNG", file: "a/bad.png", bytes: () => Buffer.concat([Buffer.from(red().subarray(0, 33)), Buffer.from("garbage")]), reason: /^corrupt PNG/ },
  { name: "text with an image extension", file: "a/fake.jpg", bytes: () => "hello, not a jpeg", reason: /^not a readable image/ },
  { name: "not an image", file: "a/readme.md", bytes: () => "# hi", reason: /^not an image \(extension "\.md"/ },
  { name: "decompression bomb", file: "a/bomb.png", bytes: () => bomb(60000, 60000), reason: /declares 60000×60000 pixels, more than the 40-megapixel limit \(not decoded: a decompression bomb\?\)/ },
  { name: "truncated JPEG", file: "a/cut.jpg", bytes: () => jpegBytes(rgbaImage(32, 32, (x) => [x * 8, 0, 0, 255])).subarray(0, 200), reason: /^corrupt JPEG/ },
  { name: "unsupported format", file: "a/pic.png", bytes: () => Buffer.concat([Buffer.from("BM"), Buffer.alloc(60)]), reason: /bmp images are not supported|not a readable image/ },
  { name: "file outside any class folder", file: "loose.png", bytes: red, reason: /outside any class folder/ },
];

for (const c of SKIPS) test(`folder: ${c.name} is skipped and named with its reason`, () => {
  const dir = folder({ "a/good.png": red(), [c.file]: c.bytes() });
  const { summary } = read(dir);
  assert.deepEqual(summary.counts, [1], "the good image is kept");
  assert.equal(summary.skipped.length, 1);
  assert.equal(summary.skipped[0]!.file, c.file);
  assert.match(summary.skipped[0]!.reason, c.reason);
  assert.ok(summaryLines(summary).some((l) => l.includes(c.file) && c.reason.test(l.split(": ").slice(1).join(": "))));
});

test("folder: a named pipe and a dangling link are skipped as unreadable, never read (a pipe would block forever)", { skip: process.platform === "win32" ? "no mkfifo" : false }, () => {
  const dir = folder({ "a/good.png": red() });
  execFileSync("mkfifo", [path.join(dir, "a", "pipe.png")]);
  symlinkSync(path.join(dir, "nonexistent.png"), path.join(dir, "a", "gone.png"));
  // in a child process, so a reader that blocks on the pipe fails the test instead of hanging it
  const script = `import { readImageFolder } from ${JSON.stringify(new URL("./folder.js", import.meta.url).href)};
    import { nodeDecoder } from ${JSON.stringify(new URL("./node-decoders.js", import.meta.url).href)};
    console.log(JSON.stringify(readImageFolder(${JSON.stringify(dir)}, { size: 32, background: [255, 255, 255] }, nodeDecoder).summary));`;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 30_000 });
  assert.equal(r.status, 0, `the folder was read within 30 s (${r.error?.message ?? r.stderr})`);
  const summary = JSON.parse(r.stdout) as FolderSummary;
  assert.deepEqual(summary.counts, [1], "the good image is kept");
  assert.deepEqual(summary.skipped.map((k) => [k.file, k.reason.replace(/ \(.*/, "")]), [["a/gone.png", "unreadable"], ["a/pipe.png", "unreadable"]]);
  assert.match(summary.skipped[0]!.reason, /ENOENT/);
  assert.match(summary.skipped[1]!.reason, /not a regular file/);
});

test("folder: a file larger than the byte limit is not read", () => {
  const noise = pngBytes(rgbaImage(100, 100, (x, y) => [(x * 7919 + y * 104729) % 256, (x * y) % 256, (x ^ y) % 256, 255]));
  assert.ok(noise.length > 10_000 && red().length < 10_000);
  const dir = folder({ "a/good.png": red(), "a/big.png": noise });
  const { summary } = read(dir, { maxBytes: 10_000, maxPixels: 1e9 });
  assert.deepEqual(summary.counts, [1]);
  assert.deepEqual(summary.skipped, [{ file: "a/big.png", reason: `too large: ${noise.length} bytes, more than the 10000 bytes limit` }]);
});

const MODES: { name: string; files: Record<string, () => Uint8Array>; classes: string[]; channels: 1 | 3; greyInColour: number }[] = [
  { name: "all grey → 1 channel", files: { "x/a.png": grey, "y/b.png": grey }, classes: ["x", "y"], channels: 1, greyInColour: 0 },
  { name: "colour → 3 channels", files: { "x/a.png": red, "y/b.png": red }, classes: ["x", "y"], channels: 3, greyInColour: 0 },
  { name: "mixed modes: grey among colour kept as RGB and counted", files: { "x/a.png": grey, "y/b.png": red }, classes: ["x", "y"], channels: 3, greyInColour: 1 },
  { name: "a GIF (first frame, grey) and a WebP (colour)", files: { "g/a.gif": () => encodeGif([{ width: 4, height: 4, px: new Uint8Array(16).fill(200) }]), "w/b.webp": () => Buffer.from(WEBP_8X8, "base64") }, classes: ["g", "w"], channels: 3, greyInColour: 1 },
];

for (const c of MODES) test(`folder: ${c.name}`, () => {
  const dir = folder(Object.fromEntries(Object.entries(c.files).map(([k, f]) => [k, f()])));
  const { summary, images, labels } = read(dir);
  assert.deepEqual(summary.skipped, []);
  assert.deepEqual(summary.classNames, c.classes);
  assert.equal(summary.channels, c.channels);
  assert.equal(summary.greyInColour, c.greyInColour);
  assert.equal(images.length, labels.length * c.channels * 32 * 32);
});

test("folder: WebP and GIF pixels decode exactly", () => {
  const w = nodeDecoder.decode(Buffer.from(WEBP_8X8, "base64"), "webp");
  assert.deepEqual([w.width, w.height], [8, 8]);
  for (let i = 0; i < 64; i++) assert.deepEqual(Array.from(w.data.subarray(i * 4, i * 4 + 4)), [i * 4, 100, 255 - i * 4, 255]);
  const g = nodeDecoder.decode(encodeGif([{ width: 3, height: 2, px: Uint8Array.from([0, 50, 100, 150, 200, 250]) }]), "gif");
  assert.deepEqual(Array.from(g.data.filter((_, i) => i % 4 === 0)), [0, 50, 100, 150, 200, 250]);
});

test("folder: a symlink loop inside a class is named once, not followed forever", () => {
  const dir = folder({ "a/good.png": red() });
  symlinkSync("..", path.join(dir, "a", "up"));
  const { summary } = read(dir);
  assert.deepEqual(summary.counts, [1]);
  assert.deepEqual(summary.skipped.map((k) => k.file), ["a/up/a"]);
  assert.match(summary.skipped[0]!.reason, /a link to a folder already read \(a loop\)/);
});

test("folder: a flat folder is one class named after it; an empty class is left out and named", () => {
  const flat = folder({ "a.png": red(), "b.png": grey() });
  const f = read(flat);
  assert.deepEqual([f.summary.classNames, f.summary.counts], [[path.basename(flat)], [2]]);
  const tiny = read(writeTinyFolder());
  assert.deepEqual([tiny.summary.classNames, tiny.summary.counts, tiny.summary.emptyClasses], [[...TINY_FOLDER.classes], [...TINY_FOLDER.counts], [...TINY_FOLDER.empty]]);
  assert.deepEqual(Array.from(tiny.labels), [...new Array<number>(7).fill(0), ...new Array<number>(8).fill(1)]);
});

test("folder: nothing usable, a missing folder or a file is one FolderError naming it", () => {
  const dir = folder({ "a/x.txt": "no", "b/y.png": "not a png" });
  assert.throws(() => read(dir), (e: Error) => e instanceof FolderError && /holds no usable image .*2 file\(s\) left out, first a\/x\.txt: not an image/.test(e.message));
  assert.throws(() => read(path.join(dir, "missing")), (e: Error) => e instanceof FolderError && /missing: cannot read the folder \(ENOENT\)/.test(e.message));
  assert.throws(() => read(path.join(dir, "a", "x.txt")), (e: Error) => e instanceof FolderError && /is not a folder/.test(e.message));
});
