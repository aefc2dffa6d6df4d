// Tensor: a shape, a dtype and a block of the engine's heap; f32 for data, i32 for labels and indices.
// Storage is contiguous row-major (NCHW for images). Release with dispose() or inside tidy().
import { activeHeap } from "./heap.js";
import { shapeError, fmtShape } from "./errors.js";
import { track } from "./scope.js";

/** Element type: "f32" for data, "i32" for labels and indices. */
export type DType = "f32" | "i32";
/** A tensor's dimensions, outermost first (images are [N, C, H, W]). */
export type Shape = readonly number[];

/** A recorded op on the tape: how to turn the output's gradient into its inputs' gradients. */
export interface TapeNode {
  readonly op: string;
  readonly inputs: readonly Tensor[];
  readonly backward: (gy: Tensor) => readonly (Tensor | null)[];
}

/**
 * A tensor's copy in GPU memory (the webgpu backend's, see webgpu/device.ts). `newer`: the GPU copy
 * is newer than the heap's, which must not be read; `current`: the GPU copy equals the heap's.
 */
export interface DeviceCopy {
  newer: boolean;
  current: boolean;
  /** Copies the GPU values into the tensor's heap block (the caller then clears `newer`). */
  download(t: Tensor): Promise<void>;
  free(): void;
}

let nextId = 1;

/** The number of elements of a shape. */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function checkShape(op: string, shape: Shape): void {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw shapeError(op, `invalid shape ${fmtShape(shape)}: dims must be non-negative integers`);
  }
}

/** An n-dimensional array in the engine's memory (f32 data or i32 labels), with reverse-mode autodiff. */
export class Tensor {
  /** The id the next tensor will get (ids only grow). */
  static nextId(): number {
    return nextId;
  }
  readonly id = nextId++;
  readonly shape: Shape;
  readonly dtype: DType;
  readonly size: number;
  private _ptr: number;
  requiresGrad = false;
  node: TapeNode | null = null;
  /** Kept tensors survive tidy(); parameters and buffers are kept. */
  kept = false;
  /** The GPU copy, when the webgpu backend has used this tensor. */
  device: DeviceCopy | null = null;

  constructor(shape: Shape, dtype: DType = "f32") {
    checkShape("tensor", shape);
    this.shape = Object.freeze([...shape]);
    this.dtype = dtype;
    this.size = sizeOf(shape);
    this._ptr = activeHeap().alloc(this.size * 4);
    track(this);
  }

  get disposed(): boolean {
    return this._ptr === 0;
  }

  /**
   * Byte offset of the data in the heap, for reading or writing it there: throws while the GPU copy
   * is newer, and marks the GPU copy stale (the caller may write).
   */
  get ptr(): number {
    const p = this.heapPtr;
    const d = this.device;
    if (d !== null) {
      if (d.newer) throw new Error(`tensor #${this.id} ${fmtShape(this.shape)} is newer on the GPU (webgpu backend): await tensor.read() before reading it here`);
      d.current = false;
    }
    return p;
  }

  /** Whether the values can be read synchronously (false while the GPU copy is newer). */
  get onHost(): boolean {
    return this.device === null || !this.device.newer;
  }

  /** Byte offset of the heap block whatever the residency (the webgpu backend's transfers). */
  get heapPtr(): number {
    if (this._ptr === 0) throw new Error(`tensor #${this.id} ${fmtShape(this.shape)} was used after dispose()`);
    return this._ptr;
  }

  /**
   * The values, after copying them back from the GPU when the GPU copy is newer (asynchronous; the
   * heap copy is then current, so `.data` and `item()` work). i32 tensors come back as numbers too.
   */
  async read(): Promise<Float32Array> {
    const d = this.device;
    if (d !== null && d.newer) {
      await d.download(this);
      d.newer = false;
    }
    const p = this.heapPtr >>> 2;
    const h = activeHeap();
    return this.dtype === "f32" ? h.f32.slice(p, p + this.size) : Float32Array.from(h.i32.subarray(p, p + this.size));
  }

  get rank(): number {
    return this.shape.length;
  }

  /** A live view of the data (valid until the heap grows). */
  get data(): Float32Array {
    if (this.dtype !== "f32") throw new Error(`tensor #${this.id} is ${this.dtype}, not f32`);
    const p = this.ptr >>> 2;
    return activeHeap().f32.subarray(p, p + this.size);
  }

  get idata(): Int32Array {
    if (this.dtype !== "i32") throw new Error(`tensor #${this.id} is ${this.dtype}, not i32`);
    const p = this.ptr >>> 2;
    return activeHeap().i32.subarray(p, p + this.size);
  }

  /** A copy of the values as a plain array. */
  toArray(): number[] {
    return Array.from(this.dtype === "f32" ? this.data : this.idata);
  }

  /** A copy of the values as a typed array that outlives the tensor. */
  toFloat32Array(): Float32Array {
    return new Float32Array(this.data);
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.size !== 1) throw shapeError("item", `needs a single element, got shape ${fmtShape(this.shape)}`);
    return (this.dtype === "f32" ? this.data : this.idata)[0] ?? NaN;
  }

  /** Marks the tensor to survive tidy() (for parameters and state); returns it. */
  keep(): this {
    this.kept = true;
    return this;
  }

  /** Frees the tensor's memory now (safe to call twice). */
  dispose(): void {
    if (this._ptr === 0) return;
    activeHeap().release(this._ptr, this.size * 4);
    this._ptr = 0;
    this.device?.free();
    this.device = null;
    this.node = null;
  }

  /** A short description: dtype and shape. */
  toString(): string {
    return `Tensor(${this.dtype} ${fmtShape(this.shape)})`;
  }
}
