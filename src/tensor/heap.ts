// One WebAssembly.Memory holds every tensor's bytes; this allocator hands out 64-byte-aligned blocks.
// Freed blocks go to exact-size free lists, so a training loop that repeats its shapes reuses memory; when
// the memory cannot grow (shapes changed: a study's runs, two models), free neighbours are merged and split.

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
  /** Bytes in the free lists. */
  private freeBytes = 0;
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
    const reused = this.take(size);
    if (reused !== undefined) return this.handOut(reused, size);
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
          // the last resort before failing: every free block merged with its neighbours
          const top = this.top;
          this.merge();
          const fit = this.bestFit(size);
          if (fit !== undefined) return this.handOut(fit, size);
          if (this.top < top) return this.alloc(bytes); // a free run at the top came back: bump again
          throw new RangeError(`out of tensor memory: cannot grow the heap to ${(end / 2 ** 20).toFixed(0)} MiB (${String(e)})`);
        }
      }
    }
    this.top = end;
    this.refresh();
    return this.handOut(ptr, size);
  }

  release(ptr: number, bytes: number): void {
    const size = Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
    this.put(ptr, size);
    this.liveBytes -= size;
  }

  private handOut(ptr: number, size: number): number {
    this.liveBytes += size;
    return ptr;
  }

  private take(size: number): number | undefined {
    const ptr = this.free.get(size)?.pop();
    if (ptr !== undefined) this.freeBytes -= size;
    return ptr;
  }

  private put(ptr: number, size: number): void {
    let list = this.free.get(size);
    if (!list) {
      list = [];
      this.free.set(size, list);
    }
    list.push(ptr);
    this.freeBytes += size;
  }

  /** The smallest free block of at least `size` bytes, split: the rest goes back to its own list. */
  private bestFit(size: number): number | undefined {
    let best = Infinity;
    for (const [s, list] of this.free) if (s >= size && s < best && list.length > 0) best = s;
    if (best === Infinity) return undefined;
    const ptr = this.take(best)!;
    if (best > size) this.put(ptr + size, best - size);
    return ptr;
  }

  /** Merges address-adjacent free blocks; a free run that ends at the top of the heap lowers the top. */
  private merge(): void {
    const blocks: [number, number][] = [];
    for (const [s, list] of this.free) for (const p of list) blocks.push([p, s]);
    blocks.sort((a, b) => a[0] - b[0]);
    this.free.clear();
    this.freeBytes = 0;
    let i = 0;
    while (i < blocks.length) {
      let [p, s] = blocks[i++]!;
      while (i < blocks.length && blocks[i]![0] === p + s) s += blocks[i++]![1];
      if (p + s === this.top) this.top = p;
      else this.put(p, s);
    }
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
