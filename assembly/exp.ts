// exp on f32x4 (Cephes expf: x = n·ln2 + r, |r| ≤ ln2/2, a degree-6 polynomial for e^r, 2^n built in
// the exponent bits; ≈ 2 ulp). Constants live in a table: V8 rebuilds every v128 constant at each use.
import { madd } from "./madd";

const LO: i32 = 0, HI: i32 = 16, LOG2E: i32 = 32, MAGIC: i32 = 48, LN2HI: i32 = 64, LN2LO: i32 = 80;
const P0: i32 = 96, ONE: i32 = 192;

// each constant four times (one v128): clamp bounds, log2 e, 1.5·2²³ (rounds to an integer in the low
// mantissa bits), −ln 2 in two parts, the polynomial p5..p0, 1
const K = memory.data<f32>([
  -87.3, -87.3, -87.3, -87.3, 88.3, 88.3, 88.3, 88.3,
  1.44269504088896341, 1.44269504088896341, 1.44269504088896341, 1.44269504088896341,
  12582912.0, 12582912.0, 12582912.0, 12582912.0,
  -0.693359375, -0.693359375, -0.693359375, -0.693359375,
  2.12194440e-4, 2.12194440e-4, 2.12194440e-4, 2.12194440e-4,
  1.9875691500e-4, 1.9875691500e-4, 1.9875691500e-4, 1.9875691500e-4,
  1.3981999507e-3, 1.3981999507e-3, 1.3981999507e-3, 1.3981999507e-3,
  8.3334519073e-3, 8.3334519073e-3, 8.3334519073e-3, 8.3334519073e-3,
  4.1665795894e-2, 4.1665795894e-2, 4.1665795894e-2, 4.1665795894e-2,
  1.6666665459e-1, 1.6666665459e-1, 1.6666665459e-1, 1.6666665459e-1,
  5.0000001201e-1, 5.0000001201e-1, 5.0000001201e-1, 5.0000001201e-1,
  1, 1, 1, 1,
], 16);

// @ts-ignore: decorator
@inline
function k(off: i32): v128 {
  return v128.load(K + <usize>off);
}

/** The vector 1.0 from the table. */
// @ts-ignore: decorator
@inline
export function vone(): v128 {
  return k(ONE);
}

/** exp(x) lane-wise. Inputs are clamped to [−87.3, 88.3]; NaN stays NaN. */
// @ts-ignore: decorator
@inline
export function vexp(x: v128): v128 {
  x = f32x4.pmin(f32x4.pmax(x, k(LO)), k(HI));
  const t = madd(x, k(LOG2E), k(MAGIC)); // n + 1.5·2²³
  const n = f32x4.sub(t, k(MAGIC));
  const r = madd(n, k(LN2LO), madd(n, k(LN2HI), x));
  let p = madd(k(P0), r, k(P0 + 16));
  p = madd(p, r, k(P0 + 32));
  p = madd(p, r, k(P0 + 48));
  p = madd(p, r, k(P0 + 64));
  p = madd(p, r, k(P0 + 80));
  p = f32x4.add(madd(p, f32x4.mul(r, r), r), k(ONE));
  const pow2 = i32x4.shl(i32x4.sub(t, i32x4.splat(0x4B400000 - 127)), 23); // 2ⁿ
  return f32x4.mul(p, pow2);
}

/**
 * dst[i] = exp(−src[i]) for 16 floats: vexp on four vectors with the steps interleaved, so the four
 * dependency chains overlap (V8 does not reorder them; one chain at a time runs at ~⅓ the speed).
 */
// @ts-ignore: decorator
@inline
export function expNeg16(src: usize, dst: usize): void {
  const lo = k(LO), hi = k(HI), l2e = k(LOG2E), magic = k(MAGIC);
  const x0 = f32x4.pmin(f32x4.pmax(f32x4.neg(v128.load(src)), lo), hi);
  const x1 = f32x4.pmin(f32x4.pmax(f32x4.neg(v128.load(src, 16)), lo), hi);
  const x2 = f32x4.pmin(f32x4.pmax(f32x4.neg(v128.load(src, 32)), lo), hi);
  const x3 = f32x4.pmin(f32x4.pmax(f32x4.neg(v128.load(src, 48)), lo), hi);
  const t0 = madd(x0, l2e, magic), t1 = madd(x1, l2e, magic), t2 = madd(x2, l2e, magic), t3 = madd(x3, l2e, magic);
  const n0 = f32x4.sub(t0, magic), n1 = f32x4.sub(t1, magic), n2 = f32x4.sub(t2, magic), n3 = f32x4.sub(t3, magic);
  const c1 = k(LN2HI), c2 = k(LN2LO);
  const r0 = madd(n0, c2, madd(n0, c1, x0)), r1 = madd(n1, c2, madd(n1, c1, x1));
  const r2 = madd(n2, c2, madd(n2, c1, x2)), r3 = madd(n3, c2, madd(n3, c1, x3));
  let c = k(P0 + 16);
  const p0v = k(P0);
  let p0 = madd(p0v, r0, c), p1 = madd(p0v, r1, c), p2 = madd(p0v, r2, c), p3 = madd(p0v, r3, c);
  c = k(P0 + 32);
  p0 = madd(p0, r0, c); p1 = madd(p1, r1, c); p2 = madd(p2, r2, c); p3 = madd(p3, r3, c);
  c = k(P0 + 48);
  p0 = madd(p0, r0, c); p1 = madd(p1, r1, c); p2 = madd(p2, r2, c); p3 = madd(p3, r3, c);
  c = k(P0 + 64);
  p0 = madd(p0, r0, c); p1 = madd(p1, r1, c); p2 = madd(p2, r2, c); p3 = madd(p3, r3, c);
  c = k(P0 + 80);
  p0 = madd(p0, r0, c); p1 = madd(p1, r1, c); p2 = madd(p2, r2, c); p3 = madd(p3, r3, c);
  const one = k(ONE);
  p0 = f32x4.add(madd(p0, f32x4.mul(r0, r0), r0), one);
  p1 = f32x4.add(madd(p1, f32x4.mul(r1, r1), r1), one);
  p2 = f32x4.add(madd(p2, f32x4.mul(r2, r2), r2), one);
  p3 = f32x4.add(madd(p3, f32x4.mul(r3, r3), r3), one);
  const bias = i32x4.splat(0x4B400000 - 127);
  v128.store(dst, f32x4.mul(p0, i32x4.shl(i32x4.sub(t0, bias), 23)));
  v128.store(dst, f32x4.mul(p1, i32x4.shl(i32x4.sub(t1, bias), 23)), 16);
  v128.store(dst, f32x4.mul(p2, i32x4.shl(i32x4.sub(t2, bias), 23)), 32);
  v128.store(dst, f32x4.mul(p3, i32x4.shl(i32x4.sub(t3, bias), 23)), 48);
}
