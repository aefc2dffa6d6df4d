// WebGPU in Node: the optional `webgpu` package (Dawn's Node bindings, needs a Vulkan driver), imported
// only when the webgpu backend is asked for. Node-only: reached from ../node.ts, never from the browser bundle.
/// <reference types="@webgpu/types" />
import type { FoundGpu } from "./found.js";

/** What the `webgpu` package exports (the part flowlab uses). */
interface DawnModule {
  create(flags: string[]): GPU;
}

/** The npm package that gives Node a navigator.gpu. */
export const DAWN_PACKAGE = "webgpu";
/** Why there is no WebGPU in Node when the package is missing, and the fix. */
export const NO_DAWN = "this runtime has no navigator.gpu; install the optional `webgpu` package (Dawn) and a Vulkan driver";

/**
 * The one Dawn instance of this process, held here: Dawn frees its instance when the GPU object is
 * garbage-collected, even under devices still in use (the process then crashes a few kernels later).
 */
let instance: GPU | null = null;

/** Dawn's GPU from `specifier` (the package; a test may name another module), or the one-line reason there is none. */
export async function findDawnGpu(specifier: string = DAWN_PACKAGE): Promise<FoundGpu> {
  let dawn: DawnModule;
  try {
    dawn = (await import(specifier)) as DawnModule;
  } catch (e) {
    const code = (e as { code?: unknown } | null)?.code;
    const message = e instanceof Error ? e.message : String(e);
    const missing = (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") && message.includes(`'${specifier}'`);
    if (missing) return { unavailable: NO_DAWN };
    return { unavailable: `the \`webgpu\` package (Dawn) did not load: ${message.split("\n")[0]}` };
  }
  if (typeof dawn.create !== "function") return { unavailable: "the `webgpu` package (Dawn) has no create(): expected its 0.x API" };
  instance ??= dawn.create([]);
  return { gpu: instance, via: "the `webgpu` package (Dawn)" };
}
