// One WebAssembly.Memory holds every tensor's bytes; this allocator hands out 64-byte-aligned blocks.
// Freed blocks go to exact-size free lists, so a training loop that repeats its shapes reuses memory.

import { PoolControl } from "./kernel-abi.js";

const ALIGN = 64;
const PAGE = 65536;
/** Bytes below this are reserved: the thread control block and the kernels' static data. */
export const HEAP_BASE = 1 << 20;
/** Thread control block (Int32 slots, then Float64 args); see pool.ts. */
export const CTRL_BASE: number = PoolControl.Base;

/** The heap of the running engine (set by initEngine); tensors allocate from it. */
let active: Heap | null = null;

export function activeHeap(): Heap {
  if (!active) throw new Error("flowlab engine not initialised: await initEngine() first");
  return active;
}

export function setActiveHeap(h: Heap | null): void {
  active = h;
}

export class Heap {
  readonly memory: WebAssembly.Memory;
  private top = HEAP_BASE;
  private readonly free = new Map<number, number[]>();
  private f32View: Float32Array;
  private i32View: Int32Array;
  private u8View: Uint8Array;
  /** Bytes currently handed out (for leak checks). */
  liveBytes = 0;

  constructor(memory: WebAssembly.Memory) {
    this.memory = memory;
    this.f32View = new Float32Array(memory.buffer);
    this.i32View = new Int32Array(memory.buffer);
    this.u8View = new Uint8Array(memory.buffer);
  }

  /** High-water mark of the heap in bytes. */
  get reservedBytes(): number {
    return this.top;
  }

  alloc(bytes: number): number {
    const size = Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
    const list = this.free.get(size);
    const reused = list?.pop();
    this.liveBytes += size;
    if (reused !== undefined) return reused;
    const ptr = this.top;
    const end = ptr + size;
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      const pages = Math.ceil((end - have) / PAGE);
      try {
        this.memory.grow(Math.max(pages, Math.ceil(have / PAGE / 8)));
      } catch {
        try {
          this.memory.grow(pages);
        } catch (e) {
          this.liveBytes -= size;
          throw new RangeError(`out of tensor memory: cannot grow the heap to ${(end / 2 ** 20).toFixed(0)} MiB (${String(e)})`);
        }
      }
    }
    this.top = end;
    this.refresh();
    return ptr;
  }

  release(ptr: number, bytes: number): void {
    const size = Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
    let list = this.free.get(size);
    if (!list) {
      list = [];
      this.free.set(size, list);
    }
    list.push(ptr);
    this.liveBytes -= size;
  }

  /** Only this allocator grows the memory, so views are re-made right after a grow. */
  private refresh(): void {
    if (this.f32View.length * 4 !== this.memory.buffer.byteLength) {
      this.f32View = new Float32Array(this.memory.buffer);
      this.i32View = new Int32Array(this.memory.buffer);
      this.u8View = new Uint8Array(this.memory.buffer);
    }
  }

  /** Whole-memory views; re-made after the memory grows. */
  get f32(): Float32Array {
    return this.f32View;
  }
  get i32(): Int32Array {
    return this.i32View;
  }
  get u8(): Uint8Array {
    return this.u8View;
  }
}
