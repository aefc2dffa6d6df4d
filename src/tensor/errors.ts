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
