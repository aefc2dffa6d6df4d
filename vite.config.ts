// Vite: serves and builds the page in web/. COOP/COEP make the page cross-origin isolated, so the
// engine's workers can share memory. Static files (model, sample digits) come from web/public.
import { defineConfig } from "vite";

const isolation = { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" };

export default defineConfig({
  root: "web",
  base: "./",
  publicDir: "public",
  build: { outDir: "../dist-web", emptyOutDir: true, target: "es2022" },
  worker: { format: "es" },
  server: { headers: isolation, fs: { allow: [".."] } },
  preview: { headers: isolation },
});
