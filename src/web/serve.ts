// A tiny static file server for the built page, with the COOP/COEP headers the engine needs.
import { createServer, type Server } from "node:http";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".wasm": "application/wasm",
  ".safetensors": "application/octet-stream", ".bin": "application/octet-stream", ".png": "image/png", ".json": "application/json",
};

export function serveStatic(root: string, port = 0): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    void (async () => {
      const u = new URL(req.url ?? "/", "http://localhost");
      let file = path.join(root, decodeURIComponent(u.pathname));
      if (!file.startsWith(path.resolve(root))) {
        res.writeHead(403).end();
        return;
      }
      try {
        if ((await stat(file)).isDirectory()) file = path.join(file, "index.html");
        const body = await readFile(file);
        res.writeHead(200, {
          "Content-Type": TYPES[path.extname(file)] ?? "application/octet-stream",
          "Cross-Origin-Opener-Policy": "same-origin",
          "Cross-Origin-Embedder-Policy": "require-corp",
          "Cross-Origin-Resource-Policy": "same-origin",
        });
        res.end(body);
      } catch {
        res.writeHead(404).end("not found");
      }
    })();
  });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => {
    const a = server.address();
    resolve({ server, url: `http://127.0.0.1:${typeof a === "object" && a ? a.port : port}/` });
  }));
}
