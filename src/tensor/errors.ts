// Errors thrown by the engine name the op and the shapes it got and expected.

/** A tensor had the wrong shape or dtype for an op; the message names the op and the shapes. */
export class ShapeError extends Error {
  override name = "ShapeError";
}

export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}

export function shapeError(op: string, msg: string): ShapeError {
  return new ShapeError(`${op}: ${msg}`);
}

/** backend "webgpu" was asked for where WebGPU cannot run; `reason` says why in a few words. */
export class WebGpuUnavailableError extends Error {
  override name = "WebGpuUnavailableError";
  constructor(readonly reason: string) {
    super(`the webgpu backend is unavailable: ${reason}; use backend "wasm"`);
  }
}
