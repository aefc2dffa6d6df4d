// Vite: serves and builds the Svelte page in web/. With COOP/COEP the page is cross-origin isolated
// and the engine uses its worker pool; without them it runs on one thread. base "./" makes the
// build work from any static host, including a subpath. Static files come from web/public.
import { defineConfig } from "vite";
import { svelte } from "@sveltejs/vite-plugin-svelte";

const isolation = { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" };

export default defineConfig({
  root: "web",
  base: "./",
  publicDir: "public",
  plugins: [svelte()],
  build: { outDir: "../dist-web", emptyOutDir: true, target: "es2022", chunkSizeWarningLimit: 1024 },
  worker: { format: "es" },
  server: { headers: isolation, fs: { allow: [".."] } },
  preview: { headers: isolation },
});
