// Opening the webgpu backend: navigator.gpu's (or, in Node, Dawn's) adapter and device, or the one-line
// reason there is none.
/// <reference types="@webgpu/types" />
import type { Heap } from "../heap.js";
import { Gpu } from "./device.js";
import { WebGpuBackend } from "./backend.js";
import type { FoundGpu } from "./found.js";

/** The webgpu backend (`software`: the adapter's name when it is a CPU fallback), or why this runtime cannot run it. */
export type WebGpuOpening = { backend: WebGpuBackend; software: string | null } | { unavailable: string };


/**
 * Opens the backend on navigator.gpu or, where the runtime has none, on what `otherGpu` finds (the
 * platform's: in Node, the optional `webgpu` package).
 */
export async function openWebGpu(heap: () => Heap, otherGpu?: () => Promise<FoundGpu>): Promise<WebGpuOpening> {
  const own = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  const found: FoundGpu = own ? { gpu: own, via: "navigator.gpu" } : otherGpu ? await otherGpu() : { unavailable: "this runtime has no navigator.gpu" };
  if ("unavailable" in found) return found;
  const gpu = found.gpu as GPU; // a GpuEntry is a GPU: navigator.gpu's or Dawn's (found.ts keeps @webgpu/types out of the public types)
  const via = found.via;
  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: "high-performance" });
  } catch (e) {
    return { unavailable: `${via}: requestAdapter() failed: ${(e as Error).message.split("\n")[0]}` };
  }
  if (!adapter) return { unavailable: own ? "navigator.gpu gave no adapter" : `${via} gave no adapter (it needs a Vulkan driver it can use)` };
  const device = await adapter.requestDevice({
    requiredLimits: {
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
      maxBufferSize: adapter.limits.maxBufferSize,
    },
  });
  const arch = adapter.info?.architecture ?? "";
  const fallback = (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter === true || arch === "swiftshader";
  return { backend: new WebGpuBackend(new Gpu(device, heap)), software: fallback ? arch || "fallback adapter" : null };
}
