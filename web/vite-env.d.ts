// Vite's asset imports used by the page.
declare module "*?url" {
  const url: string;
  export default url;
}

// src/data/idx.ts (whose IdxImages type the page's dataset uses) gunzips with Node's zlib; the page
// never runs that code, but the typecheck reads the file.
declare module "node:zlib" {
  export function gunzipSync(b: Uint8Array, opts?: { maxOutputLength?: number }): Uint8Array;
}
