// What a platform found for WebGPU: an entry point like navigator.gpu, or why there is none. No
// @webgpu/types here: Platform names this type, and the package's public types must not need them.

/** The part of navigator.gpu's type (GPU) that the engine's public types name. */
export interface GpuEntry {
  requestAdapter(options?: { powerPreference?: "low-power" | "high-performance" }): Promise<unknown>;
}

/** A WebGPU entry point and what it is called in messages, or the one-line reason there is none. */
export type FoundGpu = { gpu: GpuEntry; via: string } | { unavailable: string };
