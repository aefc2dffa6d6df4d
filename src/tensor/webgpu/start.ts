// Opening the webgpu backend: navigator.gpu's adapter and device, or the one-line reason there is none.
/// <reference types="@webgpu/types" />
import type { Heap } from "../heap.js";
import { Gpu } from "./device.js";
import { WebGpuBackend } from "./backend.js";

/** The webgpu backend (`software`: the adapter's name when it is a CPU fallback), or why this runtime cannot run it. */
export type WebGpuOpening = { backend: WebGpuBackend; software: string | null } | { unavailable: string };

export async function openWebGpu(heap: () => Heap): Promise<WebGpuOpening> {
  const gpu = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  if (!gpu) return { unavailable: "this runtime has no navigator.gpu" };
  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: "high-performance" });
  } catch (e) {
    return { unavailable: `navigator.gpu.requestAdapter() failed: ${(e as Error).message}` };
  }
  if (!adapter) return { unavailable: "navigator.gpu gave no adapter" };
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
