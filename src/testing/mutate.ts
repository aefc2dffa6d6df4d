// fast-check arbitraries that corrupt a valid file: truncations, byte flips, inserted and deleted runs,
// and overwritten 32/64-bit header fields. Used by the parser fuzz tests.
import fc from "fast-check";

export type Mutation =
  | { kind: "truncate"; at: number }
  | { kind: "flip"; at: number; value: number }
  | { kind: "insert"; at: number; bytes: Uint8Array }
  | { kind: "delete"; at: number; n: number }
  | { kind: "u32"; at: number; value: number; big: boolean }
  | { kind: "u64"; at: number; value: bigint };

/** Mutations whose positions are biased toward the first `head` bytes (where the headers are). */
export function mutation(head: number): fc.Arbitrary<Mutation> {
  const at = fc.oneof(fc.nat({ max: head }), fc.nat({ max: 1 << 20 }));
  return fc.oneof(
    fc.record({ kind: fc.constant("truncate" as const), at }),
    fc.record({ kind: fc.constant("flip" as const), at, value: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ kind: fc.constant("insert" as const), at, bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
    fc.record({ kind: fc.constant("delete" as const), at, n: fc.integer({ min: 1, max: 64 }) }),
    fc.record({ kind: fc.constant("u32" as const), at: fc.nat({ max: head }), value: fc.oneof(fc.nat({ max: 64 }), fc.nat()), big: fc.boolean() }),
    fc.record({ kind: fc.constant("u64" as const), at: fc.constant(0), value: fc.oneof(fc.bigInt({ min: 0n, max: 4096n }), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n })) }),
  );
}

/** Applies mutations in order to a copy of `bytes` (positions wrap around the current length). */
export function applyMutations(bytes: Uint8Array, ms: readonly Mutation[]): Uint8Array {
  let b = Uint8Array.from(bytes);
  for (const m of ms) {
    const at = b.length ? m.at % (b.length + 1) : 0;
    if (m.kind === "truncate") b = b.slice(0, at);
    else if (m.kind === "flip" && at < b.length) b[at] = m.value;
    else if (m.kind === "insert") b = Uint8Array.from([...b.subarray(0, at), ...m.bytes, ...b.subarray(at)]);
    else if (m.kind === "delete") b = Uint8Array.from([...b.subarray(0, at), ...b.subarray(at + m.n)]);
    else if (m.kind === "u32" && at + 4 <= b.length) new DataView(b.buffer).setUint32(at, m.value >>> 0, !m.big);
    else if (m.kind === "u64" && b.length >= 8) new DataView(b.buffer).setBigUint64(0, m.value, true);
  }
  return b;
}

/** A JSON-ish value to put where a header field was: of the right kind, the wrong kind, or absurd. */
export const jsonJunk: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom("F32", "I32", "I64", "U8", "F16", "BF16", "", null, -1, 1e300, [], [0], [1, 1], [-1, 4], [2 ** 53, 1]),
  fc.array(fc.integer({ min: -2, max: 5000 }), { maxLength: 4 }),
);
