// The atomic writer against what may sit at an output path: symlinks (written through, atomically),
// stdio, character devices and FIFOs (written in place), other special files (refused), /proc paths
// (no hang), read-only folders and full disks (one clear error naming the user's path, old file kept).
import { test } from "node:test";
import assert from "node:assert/strict";
import fs, { mkdtempSync, writeFileSync, readFileSync, symlinkSync, lstatSync, readdirSync, existsSync, mkdirSync } from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { writeFileAtomic, removeStaleTemps } from "./atomic.js";
import { checkWritable, resolveOutput } from "./output-path.js";
import { OutputError } from "./errors.js";

const tmp = () => mkdtempSync(path.join(os.tmpdir(), "flowlab-atomic-"));
const isRoot = process.getuid?.() === 0;
const noTemps = (dir: string) => assert.deepEqual(readdirSync(dir).filter((n) => n.endsWith(".tmp")), [], `temp files left in ${dir}`);

test("a symlink at the output path is written through to its target, atomically; the link stays a link", () => {
  const d = tmp();
  const target = path.join(d, "real.png"), link = path.join(d, "link.png");
  writeFileSync(target, "old");
  symlinkSync("real.png", link);
  writeFileAtomic(link, "new");
  assert.ok(lstatSync(link).isSymbolicLink(), "the link was replaced");
  assert.equal(readFileSync(target, "utf8"), "new");
  // a dangling link (and a chain of links) creates its target
  symlinkSync(path.join(d, "sub", "made.png"), path.join(d, "dangling.png"));
  symlinkSync("dangling.png", path.join(d, "chain.png"));
  writeFileAtomic(path.join(d, "chain.png"), "made");
  assert.equal(readFileSync(path.join(d, "sub", "made.png"), "utf8"), "made");
  assert.ok(lstatSync(path.join(d, "chain.png")).isSymbolicLink() && lstatSync(path.join(d, "dangling.png")).isSymbolicLink());
  noTemps(d);
  noTemps(path.join(d, "sub"));
});

test("a FIFO at the output path is written to, not replaced", async () => {
  const d = tmp();
  const fifo = path.join(d, "pipe");
  try {
    execFileSync("mkfifo", [fifo]);
  } catch {
    return; // no mkfifo here
  }
  const reader = spawn("cat", [fifo], { stdio: ["ignore", "pipe", "inherit"] });
  let got = "";
  reader.stdout.on("data", (b: Buffer) => (got += b.toString()));
  const bytes = "x".repeat(200_000); // more than a pipe buffer
  writeFileAtomic(fifo, bytes);
  await new Promise((r) => reader.on("exit", r));
  assert.equal(got, bytes);
  assert.ok(lstatSync(fifo).isFIFO(), "the FIFO was replaced");
});

test("character devices are written in place: /dev/null takes it, /dev/full says the device is full", () => {
  writeFileAtomic("/dev/null", "discard");
  assert.ok(lstatSync("/dev/null").isCharacterDevice());
  if (existsSync("/dev/full")) {
    assert.throws(() => writeFileAtomic("/dev/full", "x"), (e: unknown) => e instanceof OutputError && /^cannot write \/dev\/full: no space left on the device \(ENOSPC\)$/.test(e.message));
    assert.ok(lstatSync("/dev/full").isCharacterDevice(), "/dev/full was replaced");
  }
});

test("/dev/stdout of a child writes to its stdout (a pipe), not over the device link", () => {
  const code = `import("${path.join(path.dirname(new URL(import.meta.url).pathname), "atomic.js")}").then((m) => m.writeFileAtomic("/dev/stdout", "through stdout"))`;
  const r = spawnSync(process.execPath, ["-e", code], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, "through stdout");
  assert.deepEqual(resolveOutput("/dev/stdout"), { kind: "fd", fd: 1 });
  assert.deepEqual(resolveOutput(`/proc/self/fd/2`), { kind: "fd", fd: 2 });
});

test("sockets and folders are refused with a message naming the path", async () => {
  const d = tmp();
  const sock = path.join(d, "s.sock");
  const server = net.createServer().listen(sock);
  await new Promise((r) => server.on("listening", r));
  try {
    assert.throws(() => writeFileAtomic(sock, "x"), /^OutputError: cannot write .*s\.sock: it is a socket; flowlab writes regular files, character devices and FIFOs$/);
    assert.throws(() => checkWritable(sock), /it is a socket/);
  } finally {
    server.close();
  }
  assert.throws(() => writeFileAtomic(d, "x"), /cannot write .*: it is a folder/);
});

test("paths under /proc fail at once, naming the user's path and not the temp file", () => {
  for (const p of ["/proc/x/y.png", "/proc/flowlab-x.png"]) {
    assert.throws(() => writeFileAtomic(p, "x"), (e: unknown) => e instanceof OutputError && e.message.startsWith(`cannot write ${p}: `) && !/\.tmp/.test(e.message), p);
    assert.throws(() => checkWritable(p), (e: unknown) => e instanceof OutputError && !/\.tmp/.test(e.message), p);
  }
});

test("a file where a folder should be, and a read-only folder, get one clear error", () => {
  const d = tmp();
  writeFileSync(path.join(d, "f"), "");
  assert.throws(() => writeFileAtomic(path.join(d, "f", "x.png"), "x"), /cannot write .*f\/x\.png: .*\/f is a file, not a folder/);
  const ro = path.join(d, "ro");
  mkdirSync(ro);
  let mounted = false;
  if (isRoot) {
    try {
      execFileSync("mount", ["-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", ro], { stdio: "ignore" });
      mounted = true;
    } catch {
      return; // root without mount rights: a chmod would not stop root
    }
  } else fs.chmodSync(ro, 0o555);
  try {
    assert.throws(() => checkWritable(path.join(ro, "x.png")), /cannot write .*ro\/x\.png: folder .*ro is not writable: (the file system is read-only \(EROFS\)|permission denied \(EACCES\))/);
    assert.throws(() => writeFileAtomic(path.join(ro, "x.png"), "x"), /cannot write .*ro\/x\.png: (the file system is read-only|permission denied)/);
  } finally {
    if (mounted) execFileSync("umount", [ro]);
  }
});

test("a full disk (injected ENOSPC, and a small tmpfs when mountable) keeps the old file and leaves no temp file", () => {
  const d = tmp();
  const file = path.join(d, "out.bin");
  writeFileSync(file, "previous");
  const real = fs.writeSync;
  fs.writeSync = (() => {
    throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
  }) as typeof fs.writeSync;
  syncBuiltinESMExports();
  try {
    assert.throws(() => writeFileAtomic(file, "new"), /^OutputError: cannot write .*out\.bin: no space left on the device \(ENOSPC\); the previous file, if any, is unchanged$/);
  } finally {
    fs.writeSync = real;
    syncBuiltinESMExports();
  }
  assert.equal(readFileSync(file, "utf8"), "previous");
  noTemps(d);
  if (!isRoot) return;
  const small = path.join(d, "small");
  mkdirSync(small);
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", small], { stdio: "ignore" });
  } catch {
    return;
  }
  try {
    writeFileSync(path.join(small, "out.bin"), "previous");
    assert.throws(() => writeFileAtomic(path.join(small, "out.bin"), new Uint8Array(256 * 1024)), /no space left on the device \(ENOSPC\)/);
    assert.equal(readFileSync(path.join(small, "out.bin"), "utf8"), "previous");
    noTemps(small);
  } finally {
    execFileSync("umount", [small]);
  }
});

test("removeStaleTemps removes only this file's killed writes", () => {
  const d = tmp();
  const f = path.join(d, "checkpoint.safetensors");
  for (const n of [".checkpoint.safetensors.123.1700000000000.tmp", ".other.123.1.tmp", "checkpoint.safetensors"]) writeFileSync(path.join(d, n), "");
  assert.deepEqual(removeStaleTemps(f), [".checkpoint.safetensors.123.1700000000000.tmp"]);
  assert.deepEqual(readdirSync(d).sort(), [".other.123.1.tmp", "checkpoint.safetensors"]);
});
