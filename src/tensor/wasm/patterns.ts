// Recognises the broadcast shapes the SIMD kernels handle: a small operand whose non-1 dims
// form one contiguous window of the full shape, i.e. the full tensor viewed as [O, M, I] against [M].
export interface RowView {
  O: number;
  M: number;
  I: number;
}

/** If `small` (right-aligned to `full`) is 1 outside one window [p, q) and equal inside it, the view. */
export function rowView(small: readonly number[], full: readonly number[]): RowView | null {
  const k = full.length - small.length;
  if (k < 0) return null;
  const dims = full.map((_, i) => (i < k ? 1 : small[i - k]!));
  let p = -1, q = -1;
  for (let i = 0; i < full.length; i++) {
    if (dims[i] === 1 && full[i] !== 1) continue;
    if (dims[i] !== full[i]) return null;
  }
  // window = smallest range covering every dim where small is non-1 (dims equal to full there)
  for (let i = 0; i < full.length; i++) {
    if (dims[i] !== 1) {
      if (p < 0) p = i;
      q = i + 1;
    }
  }
  if (p < 0) return { O: 1, M: 1, I: full.reduce((a, b) => a * b, 1) };
  for (let i = p; i < q; i++) if (dims[i] !== full[i]) return null;
  const prod = (a: number, b: number) => full.slice(a, b).reduce((x, y) => x * y, 1);
  return { O: prod(0, p), M: prod(p, q), I: prod(q, full.length) };
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
