// The tensor heap's allocator: exact-size reuse, and merging free neighbours before growing, so runs
// that change shapes (a study's sweep, two models) reuse memory instead of running out of it.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { Heap, HEAP_BASE } from "./heap.js";

const PAGE = 65536;
const KB = 1024;

function heap(maxPages = 1 << 14): Heap {
  return new Heap(new WebAssembly.Memory({ initial: HEAP_BASE / PAGE + 1, maximum: maxPages }));
}

test("a freed block is reused by a request of its size, without growing", () => {
  const h = heap();
  const a = h.alloc(1000);
  h.release(a, 1000);
  const top = h.reservedBytes;
  assert.equal(h.alloc(1000), a);
  assert.equal(h.reservedBytes, top);
});

// Each case fills a heap whose memory cannot grow much further, frees a pattern of blocks, then asks for
// other sizes that only the freed blocks, merged, can hold (exact-size lists alone ran out of memory).
const reuseCases: { name: string; first: number[]; free: number[]; then: number[] }[] = [
  { name: "ten small blocks merged into one twice their size", first: Array(10).fill(64 * KB), free: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], then: [128 * KB, 128 * KB] },
  { name: "two models' shapes alternating (1000 then 500 images)", first: [131 * KB, 131 * KB, 33 * KB], free: [0, 1, 2], then: [65 * KB, 65 * KB, 65 * KB, 65 * KB] },
  { name: "a run freed at the top of the heap lowers the top", first: [256 * KB, 256 * KB], free: [1, 0], then: [512 * KB] },
  { name: "freed blocks between live ones, split", first: [200 * KB, 64, 200 * KB, 64], free: [0, 2], then: [150 * KB, 150 * KB, 50 * KB, 50 * KB] },
];

for (const c of reuseCases) {
  test(`at the memory's maximum, free blocks are merged and split: ${c.name}`, () => {
    const total = c.first.reduce((s, b) => s + Math.ceil(b / 64) * 64, 0);
    const h = heap(HEAP_BASE / PAGE + Math.ceil(total / PAGE) + 1);
    const ptrs = c.first.map((b) => h.alloc(b));
    for (const i of c.free) h.release(ptrs[i]!, c.first[i]!);
    const got = c.then.map((b) => h.alloc(b));
    const live = [...got.map((p, i) => [p, c.then[i]!] as const), ...ptrs.flatMap((p, i) => (c.free.includes(i) ? [] : [[p, c.first[i]!] as const]))].sort((x, y) => x[0] - y[0]);
    for (let i = 1; i < live.length; i++) assert.ok(live[i - 1]![0] + live[i - 1]![1] <= live[i]![0], "two live blocks overlap");
  });
}

test("at the memory's maximum, free neighbours are merged instead of failing", () => {
  const h = heap(HEAP_BASE / PAGE + 32); // 2 MiB above the reserved base
  const big = h.alloc(900 * KB); // live, so less than half of the heap is free below
  const small = Array.from({ length: 8 }, () => h.alloc(100 * KB));
  for (const p of [1, 3, 5, 7, 0, 2, 4, 6]) h.release(small[p]!, 100 * KB);
  const ptr = h.alloc(700 * KB); // bumping would need 2.3 MiB: only the merged 800 KB can hold it
  assert.ok(ptr >= big + 900 * KB && ptr + 700 * KB <= h.memory.buffer.byteLength);
  const rest = h.alloc(100 * KB); // the merged run came back to the top of the heap: room for 100 KB more
  assert.ok(rest >= ptr + 700 * KB);
  assert.throws(() => h.alloc(2048 * KB), /out of tensor memory: cannot grow the heap to \d+ MiB/);
});

test("random alloc/free sequences in a small memory: live blocks never overlap and stay inside the heap; live bytes add up", () => {
  const op = fc.oneof(fc.record({ alloc: fc.oneof(fc.integer({ min: 1, max: 96 * KB }), fc.integer({ min: 1, max: 6 }).map((k) => k * 16 * KB)) }), fc.record({ free: fc.nat() }));
  fc.assert(
    fc.property(fc.array(op, { minLength: 60, maxLength: 200 }), (ops) => {
      const h = heap(HEAP_BASE / PAGE + 16); // 1 MiB: small enough that merging and running out both happen
      const live: { ptr: number; bytes: number }[] = [];
      for (const o of ops) {
        if ("alloc" in o) {
          const before = h.liveBytes;
          try {
            live.push({ ptr: h.alloc(o.alloc), bytes: o.alloc });
          } catch (e) {
            if (!/out of tensor memory/.test(String(e)) || h.liveBytes !== before) return false;
          }
        } else if (live.length > 0) {
          const [b] = live.splice(o.free % live.length, 1);
          h.release(b!.ptr, b!.bytes);
        }
        const sorted = [...live].sort((a, b) => a.ptr - b.ptr);
        const rounded = (n: number) => Math.max(64, Math.ceil(n / 64) * 64);
        for (let i = 0; i < sorted.length; i++) {
          const b = sorted[i]!;
          if (b.ptr < HEAP_BASE || b.ptr % 64 !== 0 || b.ptr + rounded(b.bytes) > h.reservedBytes) return false;
          if (i > 0 && sorted[i - 1]!.ptr + rounded(sorted[i - 1]!.bytes) > b.ptr) return false;
        }
        if (h.liveBytes !== live.reduce((s, b) => s + rounded(b.bytes), 0)) return false;
      }
      return true;
    }),
    { numRuns: Number(process.env["FLOWLAB_FUZZ_RUNS"] ?? 200), seed: Number(process.env["FLOWLAB_FUZZ_SEED"] ?? 1) },
  );
});
