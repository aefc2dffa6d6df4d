// readInputFile: special and endless files (FIFOs, /dev/zero, symlinks to them, folders) are refused
// with one line before any byte is read, sizes are checked against the cap and the header, and a
// regular file is read whole. Every case runs under a timeout: a hang fails the test.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { readInputFile } from "./read-input.js";
import { InputError } from "./errors.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "flowlab-read-"));
const fifo = path.join(dir, "fifo");
execFileSync("mkfifo", [fifo]);
const toZero = path.join(dir, "zero-link");
symlinkSync("/dev/zero", toZero);
const toFifo = path.join(dir, "fifo-link");
symlinkSync(fifo, toFifo);
const small = path.join(dir, "small.bin");
writeFileSync(small, new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]));

const refused: [string, string, RegExp][] = [
  ["/dev/zero (endless)", "/dev/zero", /^checkpoint \/dev\/zero is a character device, not a regular file$/],
  ["/dev/urandom (endless)", "/dev/urandom", /is a character device, not a regular file$/],
  ["/dev/null", "/dev/null", /is a character device, not a regular file$/],
  ["a FIFO (would block forever)", fifo, /is a FIFO \(named pipe\), not a regular file$/],
  ["a symlink to /dev/zero", toZero, /zero-link is a character device, not a regular file$/],
  ["a symlink to a FIFO", toFifo, /fifo-link is a FIFO \(named pipe\), not a regular file$/],
  ["a folder", dir, /is a folder, not a file$/],
  ["a missing file", path.join(dir, "nope"), /nope does not exist$/],
  ["a path through a file", path.join(small, "x"), /does not exist \(a part of the path is not a folder\)$/],
];
for (const [name, file, re] of refused) {
  test(`readInputFile refuses ${name} with one line, without reading`, { timeout: 5000 }, () => {
    assert.throws(() => readInputFile(file, { what: "checkpoint" }), (e: Error) => e instanceof InputError && re.test(e.message) && !e.message.includes("\n"));
  });
}

test("readInputFile: the role names the flag; the cap and the header's declared size are checked before reading", () => {
  assert.throws(() => readInputFile("/dev/zero", { what: "labels", input: "labels" }), (e: Error) => e instanceof InputError && e.input === "labels" && /^\/dev\/zero: is a character device/.test(e.message));
  assert.throws(() => readInputFile(small, { what: "IDX images", maxBytes: 4 }), /small\.bin is 8 bytes, more than the 4 flowlab reads/);
  const declared = (n: number) => ({ headBytes: 1, size: () => n });
  assert.throws(() => readInputFile(small, { what: "IDX images", declaredSize: declared(1e12) }), /its header declares 1000000000000 bytes but the file has 8 \(truncated\?\)/);
  assert.throws(() => readInputFile(small, { what: "IDX images", declaredSize: declared(4) }), /declares 4 bytes but the file has 8 \(trailing bytes\)/);
  assert.deepEqual([...readInputFile(small, { what: "x", declaredSize: declared(8) })], [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.deepEqual([...readInputFile(small, { what: "x", declaredSize: { headBytes: 2, size: () => null } })], [1, 2, 3, 4, 5, 6, 7, 8]);
});
