// Test-only fault injection, loaded with `node --import`: FLOWLAB_FAULT="kill-write:K" SIGKILLs the
// process halfway through its K-th write to a temp file (*.tmp); "enospc-write:K" makes that write fail
// with ENOSPC instead. Patches node:fs and re-syncs the ESM named exports, so production code has no hooks.
import fs from "node:fs";
import { syncBuiltinESMExports } from "node:module";

const [mode, count] = (process.env["FLOWLAB_FAULT"] ?? "").split(":");
const k = Number(count);
const tmpFds = new Set<number>();
let writes = 0;

const open = fs.openSync, close = fs.closeSync, write = fs.writeSync;
fs.openSync = ((p: fs.PathLike, flags: fs.OpenMode = "r", m?: fs.Mode) => {
  const fd = open(p, flags, m);
  if (String(p).endsWith(".tmp")) tmpFds.add(fd);
  return fd;
}) as typeof fs.openSync;
fs.closeSync = ((fd: number) => {
  tmpFds.delete(fd);
  close(fd);
}) as typeof fs.closeSync;
fs.writeSync = ((fd: number, buf: Uint8Array, offset?: number, length?: number) => {
  const off = offset ?? 0, len = length ?? buf.length - off;
  if (tmpFds.has(fd) && ++writes === k) {
    if (mode === "kill-write") {
      write(fd, buf, off, Math.floor(len / 2));
      process.kill(process.pid, "SIGKILL");
    }
    if (mode === "enospc-write") throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC", errno: -28, syscall: "write" });
  }
  return write(fd, buf, off, len);
}) as typeof fs.writeSync;
syncBuiltinESMExports();
