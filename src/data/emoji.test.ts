// The colour example's folder: written from the devDependency emoji-datasource-google, one class per
// category, with its notice; an existing folder is never replaced; the folder reads back cleanly.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { writeEmojiFolder } from "./emoji.js";
import { readImageFolder } from "./folder.js";
import { nodeDecoder } from "./node-decoders.js";
import { PREPARE_DEFAULTS } from "./prepare.js";

test("emoji-folder writes the chosen categories as classes, with a notice, and reads back in colour", () => {
  const root = mkdtempSync(path.join(os.tmpdir(), "flowlab-emoji-"));
  const out = path.join(root, "emoji");
  const r = writeEmojiFolder(out, ["activities", "food"]);
  assert.deepEqual(r.counts, { activities: 85, food: 131 });
  assert.deepEqual(readdirSync(out).sort(), ["NOTICE.txt", "activities", "food"]);
  assert.match(readFileSync(path.join(out, "NOTICE.txt"), "utf8"), /Apache License 2\.0/);
  const d = readImageFolder(out, PREPARE_DEFAULTS, nodeDecoder);
  assert.deepEqual([d.summary.classNames, d.summary.counts, d.summary.channels, d.summary.skipped], [["activities", "food"], [85, 131], 3, []]);
  assert.throws(() => writeEmojiFolder(out, ["food"]), /exists; flowlab does not replace it/);
  assert.throws(() => writeEmojiFolder(path.join(root, "x"), ["faces"]), /unknown emoji class "faces"/);
  assert.equal(existsSync(path.join(root, "x")), false);
  rmSync(root, { recursive: true, force: true });
});
