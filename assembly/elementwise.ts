// Elementwise SIMD kernels, each split over tasks by contiguous ranges (4-aligned).
// Binary op codes: 0 add, 1 sub, 2 mul, 3 div. Broadcast form: out[o, m, i] = a[o, m, i] op b[m].
import { BinaryCode } from "../src/tensor/kernel-abi";
import { vexp, vone, expNeg16 } from "./exp";
import { madd } from "./madd";

// @ts-ignore: decorator
@inline
function span(task: i32, nTasks: i32, n: i32): i64 {
  const q = (n + 3) >> 2;
  const lo = min(n, ((q * task) / nTasks) << 2);
  const hi = min(n, ((q * (task + 1)) / nTasks) << 2);
  return (<i64>lo << 32) | <i64>hi;
}

// @ts-ignore: decorator
@inline
function vop(op: i32, a: v128, b: v128): v128 {
  if (op == BinaryCode.Add) return f32x4.add(a, b);
  if (op == BinaryCode.Sub) return f32x4.sub(a, b);
  if (op == BinaryCode.Mul) return f32x4.mul(a, b);
  return f32x4.div(a, b);
}

// @ts-ignore: decorator
@inline
function sop(op: i32, a: f32, b: f32): f32 {
  if (op == BinaryCode.Add) return a + b;
  if (op == BinaryCode.Sub) return a - b;
  if (op == BinaryCode.Mul) return a * b;
  return a / b;
}

/** out = a op b, same shape. */
export function binary_task(task: i32, nTasks: i32, op: i32, a: usize, b: usize, out: usize, n: i32): void {
  const s = span(task, nTasks, n);
  const lo = <i32>(s >> 32), hi = <i32>(s & 0xffffffff);
  let i = lo;
  if (op == BinaryCode.Add) for (; i + 4 <= hi; i += 4) { const o = <usize>i * 4; v128.store(out + o, f32x4.add(v128.load(a + o), v128.load(b + o))); }
  else if (op == BinaryCode.Sub) for (; i + 4 <= hi; i += 4) { const o = <usize>i * 4; v128.store(out + o, f32x4.sub(v128.load(a + o), v128.load(b + o))); }
  else if (op == BinaryCode.Mul) for (; i + 4 <= hi; i += 4) { const o = <usize>i * 4; v128.store(out + o, f32x4.mul(v128.load(a + o), v128.load(b + o))); }
  else for (; i + 4 <= hi; i += 4) { const o = <usize>i * 4; v128.store(out + o, f32x4.div(v128.load(a + o), v128.load(b + o))); }
  for (; i < hi; i++) { const o = <usize>i * 4; store<f32>(out + o, sop(op, load<f32>(a + o), load<f32>(b + o))); }
}

/**
 * Broadcast over rows: view the full operand as [R, I] with R = O·M rows; row r pairs with b[r % M].
 * swap != 0 computes b op a instead (for sub/div with the broadcast operand on the left).
 * Tasks split rows.
 */
export function rowbcast_task(task: i32, nTasks: i32, op: i32, a: usize, b: usize, out: usize, R: i32, M: i32, I: i32, swap: i32): void {
  const r0 = (R * task) / nTasks, r1 = (R * (task + 1)) / nTasks;
  for (let r = r0; r < r1; r++) {
    const bs = load<f32>(b + <usize>(r % M) * 4);
    const bv = f32x4.splat(bs);
    const ar = a + <usize>(r * I) * 4, orow = out + <usize>(r * I) * 4;
    let i = 0;
    if (swap == 0) {
      for (; i + 4 <= I; i += 4) v128.store(orow + <usize>i * 4, vop(op, v128.load(ar + <usize>i * 4), bv));
      for (; i < I; i++) store<f32>(orow + <usize>i * 4, sop(op, load<f32>(ar + <usize>i * 4), bs));
    } else {
      for (; i + 4 <= I; i += 4) v128.store(orow + <usize>i * 4, vop(op, bv, v128.load(ar + <usize>i * 4)));
      for (; i < I; i++) store<f32>(orow + <usize>i * 4, sop(op, bs, load<f32>(ar + <usize>i * 4)));
    }
  }
}

/** out[m] = sum over (o, i) of x[o, m, i] (reduce a [O, M, I] view to [M]); tasks split m. */
export function rowsum_task(task: i32, nTasks: i32, x: usize, out: usize, O: i32, M: i32, I: i32): void {
  const m0 = (M * task) / nTasks, m1 = (M * (task + 1)) / nTasks;
  for (let m = m0; m < m1; m++) {
    let total: f64 = 0;
    for (let o = 0; o < O; o++) {
      const row = x + <usize>((o * M + m) * I) * 4;
      let acc = f32x4.splat(0);
      let i = 0;
      for (; i + 4 <= I; i += 4) acc = f32x4.add(acc, v128.load(row + <usize>i * 4));
      let s: f64 = <f64>f32x4.extract_lane(acc, 0) + <f64>f32x4.extract_lane(acc, 1) + <f64>f32x4.extract_lane(acc, 2) + <f64>f32x4.extract_lane(acc, 3);
      for (; i < I; i++) s += <f64>load<f32>(row + <usize>i * 4);
      total += s;
    }
    store<f32>(out + <usize>m * 4, <f32>total);
  }
}

/** dst = SiLU(src) for 16 floats through the interleaved exp (dst must not alias src). */
// @ts-ignore: decorator
@inline
function silu16(src: usize, dst: usize): void {
  expNeg16(src, dst); // dst = e^−x, then x / (1 + e^−x) in place
  const one = vone();
  for (let j: usize = 0; j < 64; j += 16) v128.store(dst + j, f32x4.div(v128.load(src + j), f32x4.add(one, v128.load(dst + j))));
}

/** y = x·sigmoid(x); 16 floats at a time through the interleaved exp (y may not alias x there). */
export function silu_task(task: i32, nTasks: i32, x: usize, y: usize, n: i32): void {
  const s = span(task, nTasks, n);
  const lo = <i32>(s >> 32), hi = <i32>(s & 0xffffffff);
  const one = vone();
  let i = lo;
  if (x != y) for (; i + 16 <= hi; i += 16) silu16(x + <usize>i * 4, y + <usize>i * 4);
  for (; i + 4 <= hi; i += 4) {
    const v = v128.load(x + <usize>i * 4);
    v128.store(y + <usize>i * 4, f32x4.div(v, f32x4.add(one, vexp(f32x4.neg(v)))));
  }
  for (; i < hi; i++) {
    const v = load<f32>(x + <usize>i * 4);
    store<f32>(y + <usize>i * 4, v / (<f32>1 + f32x4.extract_lane(vexp(f32x4.splat(-v)), 0)));
  }
}

/** dx = dy·σ(x)·(1 + x·(1 − σ(x))). */
export function silu_bwd_task(task: i32, nTasks: i32, x: usize, dy: usize, dx: usize, n: i32): void {
  const s = span(task, nTasks, n);
  const lo = <i32>(s >> 32), hi = <i32>(s & 0xffffffff);
  const one = vone();
  let i = lo;
  if (dx != x && dx != dy) {
    for (; i + 16 <= hi; i += 16) {
      const o = <usize>i * 4;
      expNeg16(x + o, dx + o); // dx = e^−x, then the gradient in place
      for (let j: usize = 0; j < 64; j += 16) {
        const v = v128.load(x + o + j);
        const sg = f32x4.div(one, f32x4.add(one, v128.load(dx + o + j)));
        v128.store(dx + o + j, f32x4.mul(f32x4.mul(v128.load(dy + o + j), sg), f32x4.add(one, f32x4.mul(v, f32x4.sub(one, sg)))));
      }
    }
  }
  for (; i + 4 <= hi; i += 4) {
    const v = v128.load(x + <usize>i * 4);
    const sg = f32x4.div(one, f32x4.add(one, vexp(f32x4.neg(v))));
    const d = f32x4.mul(f32x4.mul(v128.load(dy + <usize>i * 4), sg), f32x4.add(one, f32x4.mul(v, f32x4.sub(one, sg))));
    v128.store(dx + <usize>i * 4, d);
  }
  for (; i < hi; i++) {
    const v = load<f32>(x + <usize>i * 4);
    const sg = <f32>1 / (<f32>1 + f32x4.extract_lane(vexp(f32x4.splat(-v)), 0));
    store<f32>(dx + <usize>i * 4, load<f32>(dy + <usize>i * 4) * sg * (<f32>1 + v * (<f32>1 - sg)));
  }
}

/** Adam (PyTorch form): m,v moments; p -= (lr/bc1)·m / (sqrt(v)/sqrt(bc2) + eps). */
export function adam_task(task: i32, nTasks: i32, p: usize, g: usize, m: usize, v: usize, n: i32,
  lr: f32, b1: f32, b2: f32, eps: f32, bc1: f32, bc2sqrt: f32): void {
  const s = span(task, nTasks, n);
  const lo = <i32>(s >> 32), hi = <i32>(s & 0xffffffff);
  const step = lr / bc1;
  for (let i = lo; i < hi; i++) {
    const o = <usize>i * 4;
    const gi = load<f32>(g + o);
    const mi = b1 * load<f32>(m + o) + (<f32>1 - b1) * gi;
    const vi = b2 * load<f32>(v + o) + (<f32>1 - b2) * gi * gi;
    store<f32>(m + o, mi);
    store<f32>(v + o, vi);
    store<f32>(p + o, load<f32>(p + o) - step * mi / (Mathf.sqrt(vi) / bc2sqrt + eps));
  }
}

/**
 * d[i] = act(s[i])·sc + sh for n floats (act = SiLU if silu ≠ 0): one row of a channel affine.
 * With SiLU, blocks of 16 go through the interleaved exp (when dst does not alias src).
 */
// @ts-ignore: decorator
@inline
export function actAffineRow(src: usize, dst: usize, n: i32, silu: i32, sc: f32, sh: f32): void {
  const one = vone(), scv = f32x4.splat(sc), shv = f32x4.splat(sh);
  let i = 0;
  if (silu && src != dst) {
    for (; i + 16 <= n; i += 16) {
      const d = dst + <usize>i * 4;
      silu16(src + <usize>i * 4, d);
      for (let j: usize = 0; j < 64; j += 16) v128.store(d + j, madd(v128.load(d + j), scv, shv));
    }
  }
  for (; i + 4 <= n; i += 4) {
    let v = v128.load(src + <usize>i * 4);
    if (silu) v = f32x4.div(v, f32x4.add(one, vexp(f32x4.neg(v))));
    v128.store(dst + <usize>i * 4, f32x4.add(f32x4.mul(v, scv), shv));
  }
  for (; i < n; i++) {
    let v = load<f32>(src + <usize>i * 4);
    if (silu) v = v / (<f32>1 + f32x4.extract_lane(vexp(f32x4.splat(-v)), 0));
    store<f32>(dst + <usize>i * 4, v * sc + sh);
  }
}

/** y[r, i] = act(x[r, i])·s[r % C] + h[r % C] over rows r of length n (act = SiLU if silu ≠ 0). */
export function channel_affine_task(task: i32, nTasks: i32, x: usize, s: usize, h: usize, y: usize, rows: i32, C: i32, n: i32, silu: i32): void {
  const r0 = (rows * task) / nTasks, r1 = (rows * (task + 1)) / nTasks;
  for (let r = r0; r < r1; r++) {
    const c = r % C;
    const off = <usize>r * <usize>n * 4;
    actAffineRow(x + off, y + off, n, silu, load<f32>(s + <usize>c * 4), load<f32>(h + <usize>c * 4));
  }
}

/** Σ n floats at p: four SIMD partial sums, then the lanes and the tail (the order conv bias grads use). */
// @ts-ignore: decorator
@inline
export function sumF32(p: usize, n: i32): f32 {
  let acc = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) acc = f32x4.add(acc, v128.load(p + <usize>i * 4));
  let sum = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
  for (; i < n; i++) sum += load<f32>(p + <usize>i * 4);
  return sum;
}
