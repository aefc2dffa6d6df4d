// A tiny static file server for the built page: with COOP/COEP (cross-origin isolated, the engine's
// worker pool) or without (a plain static host), optionally under a subpath like GitHub Pages.
import { createServer, type Server } from "node:http";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".wasm": "application/wasm",
  ".safetensors": "application/octet-stream", ".bin": "application/octet-stream", ".png": "image/png", ".json": "application/json",
  ".woff2": "font/woff2", ".woff": "font/woff", ".ttf": "font/ttf",
};

export interface ServeOptions {
  port?: number;
  /** Send COOP/COEP (default true). */
  isolate?: boolean;
  /** Serve the folder under this path, e.g. "/flowlab/" (default "/"). */
  prefix?: string;
}

export function serveStatic(root: string, opts: ServeOptions | number = {}): Promise<{ server: Server; url: string }> {
  const o = typeof opts === "number" ? { port: opts } : opts;
  const prefix = o.prefix ?? "/";
  const isolate = o.isolate ?? true;
  const server = createServer((req, res) => {
    void (async () => {
      const u = new URL(req.url ?? "/", "http://localhost");
      if (!u.pathname.startsWith(prefix)) {
        res.writeHead(404).end("not found");
        return;
      }
      let file = path.join(root, decodeURIComponent(u.pathname.slice(prefix.length)));
      if (!file.startsWith(path.resolve(root))) {
        res.writeHead(403).end();
        return;
      }
      try {
        if ((await stat(file)).isDirectory()) file = path.join(file, "index.html");
        const body = await readFile(file);
        const headers: Record<string, string> = { "Content-Type": TYPES[path.extname(file)] ?? "application/octet-stream" };
        if (isolate) {
          headers["Cross-Origin-Opener-Policy"] = "same-origin";
          headers["Cross-Origin-Embedder-Policy"] = "require-corp";
          headers["Cross-Origin-Resource-Policy"] = "same-origin";
        }
        res.writeHead(200, headers);
        res.end(body);
      } catch {
        res.writeHead(404).end("not found");
      }
    })();
  });
  return new Promise((resolve) => server.listen(o.port ?? 0, "127.0.0.1", () => {
    const a = server.address();
    resolve({ server, url: `http://127.0.0.1:${typeof a === "object" && a ? a.port : o.port ?? 0}${prefix}` });
  }));
}
