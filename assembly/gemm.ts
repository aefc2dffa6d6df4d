// Packed, register-blocked SGEMM on WebAssembly SIMD128: C = beta*C + A·B.
// A and B are addressed by (row stride, column stride) so transposes cost only packing.
// Micro-tile MR×NR = 4×8 (8 f32x4 accumulators); blocks KC×NC of B and MC×KC of A are packed.
import { madd } from "./madd";

export const MR: i32 = 4;
export const NR: i32 = 8;
export const KC: i32 = 256;
export const MC: i32 = 64;
export const NC: i32 = 1024;
/** Bytes of scratch one gemm call needs: packed A, packed B and one edge tile. */
export const GEMM_SCRATCH_BYTES: i32 = (MC * KC + KC * NC + MR * NR) * 4;

// dst[(panel*kc + k)*MR + r] = A[(i0+panel*MR+r), k]; rows past mc are zero.
function packA(mc: i32, kc: i32, a: usize, rsA: i32, csA: i32, dst: usize): void {
  for (let ip = 0; ip < mc; ip += MR) {
    const mr = min(MR, mc - ip);
    const base = a + <usize>(ip * rsA) * 4;
    if (mr == MR && csA == 1) {
      const r0 = base, r1 = base + <usize>rsA * 4, r2 = base + <usize>(2 * rsA) * 4, r3 = base + <usize>(3 * rsA) * 4;
      for (let k = 0; k < kc; k++) {
        const o = <usize>k * 4;
        store<f32>(dst, load<f32>(r0 + o));
        store<f32>(dst, load<f32>(r1 + o), 4);
        store<f32>(dst, load<f32>(r2 + o), 8);
        store<f32>(dst, load<f32>(r3 + o), 12);
        dst += 16;
      }
    } else if (mr == MR && rsA == 1) {
      // transposed A: the 4 rows of a panel are 4 adjacent floats at each k
      for (let k = 0; k < kc; k++) {
        v128.store(dst, v128.load(base + <usize>(k * csA) * 4));
        dst += 16;
      }
    } else {
      for (let k = 0; k < kc; k++) {
        for (let r = 0; r < MR; r++) {
          const v: f32 = r < mr ? load<f32>(base + <usize>(r * rsA + k * csA) * 4) : 0;
          store<f32>(dst + <usize>r * 4, v);
        }
        dst += 16;
      }
    }
  }
}

// dst[(panel*kc + k)*NR + c] = B[k, j0+panel*NR+c]; columns past nc are zero.
function packB(kc: i32, nc: i32, b: usize, rsB: i32, csB: i32, dst: usize): void {
  for (let jp = 0; jp < nc; jp += NR) {
    const nr = min(NR, nc - jp);
    const base = b + <usize>(jp * csB) * 4;
    if (nr == NR && csB == 1) {
      for (let k = 0; k < kc; k++) {
        const src = base + <usize>(k * rsB) * 4;
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
        dst += 32;
      }
    } else if (nr == NR && rsB == 1) {
      // transposed B: column c of the panel is contiguous in k; transpose 4×4 blocks of (c, k)
      const cs = <usize>csB * 4;
      let k = 0;
      for (; k + 4 <= kc; k += 4) {
        const p = base + <usize>k * 4;
        const a0 = v128.load(p), a1 = v128.load(p + cs), a2 = v128.load(p + 2 * cs), a3 = v128.load(p + 3 * cs);
        const b0 = v128.load(p + 4 * cs), b1 = v128.load(p + 5 * cs), b2 = v128.load(p + 6 * cs), b3 = v128.load(p + 7 * cs);
        let t0 = i32x4.shuffle(a0, a1, 0, 4, 1, 5), t1 = i32x4.shuffle(a0, a1, 2, 6, 3, 7);
        let t2 = i32x4.shuffle(a2, a3, 0, 4, 1, 5), t3 = i32x4.shuffle(a2, a3, 2, 6, 3, 7);
        let u0 = i32x4.shuffle(b0, b1, 0, 4, 1, 5), u1 = i32x4.shuffle(b0, b1, 2, 6, 3, 7);
        let u2 = i32x4.shuffle(b2, b3, 0, 4, 1, 5), u3 = i32x4.shuffle(b2, b3, 2, 6, 3, 7);
        v128.store(dst, i32x4.shuffle(t0, t2, 0, 1, 4, 5)); v128.store(dst, i32x4.shuffle(u0, u2, 0, 1, 4, 5), 16);
        v128.store(dst, i32x4.shuffle(t0, t2, 2, 3, 6, 7), 32); v128.store(dst, i32x4.shuffle(u0, u2, 2, 3, 6, 7), 48);
        v128.store(dst, i32x4.shuffle(t1, t3, 0, 1, 4, 5), 64); v128.store(dst, i32x4.shuffle(u1, u3, 0, 1, 4, 5), 80);
        v128.store(dst, i32x4.shuffle(t1, t3, 2, 3, 6, 7), 96); v128.store(dst, i32x4.shuffle(u1, u3, 2, 3, 6, 7), 112);
        dst += 128;
      }
      for (; k < kc; k++) {
        for (let c = 0; c < NR; c++) store<f32>(dst + <usize>c * 4, load<f32>(base + <usize>(c * csB + k) * 4));
        dst += 32;
      }
    } else {
      for (let k = 0; k < kc; k++) {
        const row = base + <usize>(k * rsB) * 4;
        for (let c = 0; c < NR; c++) {
          const v: f32 = c < nr ? load<f32>(row + <usize>(c * csB) * 4) : 0;
          store<f32>(dst + <usize>c * 4, v);
        }
        dst += 32;
      }
    }
  }
}

// 4×8 tile: C[0..4, 0..8] (row stride ldc) = (acc ? C : 0) + Apanel·Bpanel.
// @ts-ignore: decorator
@inline
export function micro(kc: i32, pa: usize, pb: usize, c: usize, ldc: i32, acc: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let a = v128.load32_splat(pa);
    c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = v128.load32_splat(pa, 4);
    c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = v128.load32_splat(pa, 8);
    c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = v128.load32_splat(pa, 12);
    c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    pa += 16; pb += 32;
  }
  const l = <usize>ldc * 4;
  let r = c;
  if (acc) {
    v128.store(r, f32x4.add(v128.load(r), c00)); v128.store(r, f32x4.add(v128.load(r, 16), c01), 16); r += l;
    v128.store(r, f32x4.add(v128.load(r), c10)); v128.store(r, f32x4.add(v128.load(r, 16), c11), 16); r += l;
    v128.store(r, f32x4.add(v128.load(r), c20)); v128.store(r, f32x4.add(v128.load(r, 16), c21), 16); r += l;
    v128.store(r, f32x4.add(v128.load(r), c30)); v128.store(r, f32x4.add(v128.load(r, 16), c31), 16);
  } else {
    v128.store(r, c00); v128.store(r, c01, 16); r += l;
    v128.store(r, c10); v128.store(r, c11, 16); r += l;
    v128.store(r, c20); v128.store(r, c21, 16); r += l;
    v128.store(r, c30); v128.store(r, c31, 16);
  }
}

/**
 * C[M×N] (row stride ldc) = (beta ? C : 0) + A[M×K]·B[K×N].
 * Pointers are byte offsets; strides are in elements. scratch must hold GEMM_SCRATCH_BYTES.
 */
export function gemm(
  M: i32, N: i32, K: i32,
  a: usize, rsA: i32, csA: i32,
  b: usize, rsB: i32, csB: i32,
  c: usize, ldc: i32, beta: i32, scratch: usize,
): void {
  if (M <= 0 || N <= 0) return;
  if (K <= 0) {
    if (beta == 0) for (let i = 0; i < M; i++) memory.fill(c + <usize>(i * ldc) * 4, 0, <usize>N * 4);
    return;
  }
  const pA = scratch;
  const pB = scratch + <usize>(MC * KC) * 4;
  const tile = pB + <usize>(KC * NC) * 4;
  for (let jc = 0; jc < N; jc += NC) {
    const nc = min(NC, N - jc);
    for (let pc = 0; pc < K; pc += KC) {
      const kc = min(KC, K - pc);
      const acc = pc > 0 || beta != 0;
      packB(kc, nc, b + <usize>(pc * rsB + jc * csB) * 4, rsB, csB, pB);
      for (let ic = 0; ic < M; ic += MC) {
        const mc = min(MC, M - ic);
        packA(mc, kc, a + <usize>(ic * rsA + pc * csA) * 4, rsA, csA, pA);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = min(NR, nc - jr);
          const pb = pB + <usize>(jr * kc) * 4;
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = min(MR, mc - ir);
            const pa = pA + <usize>(ir * kc) * 4;
            const cij = c + <usize>((ic + ir) * ldc + jc + jr) * 4;
            if (mr == MR && nr == NR) {
              micro(kc, pa, pb, cij, ldc, acc);
            } else {
              micro(kc, pa, pb, tile, NR, false);
              for (let i = 0; i < mr; i++) {
                for (let j = 0; j < nr; j++) {
                  const dst = cij + <usize>(i * ldc + j) * 4;
                  const v = load<f32>(tile + <usize>(i * NR + j) * 4);
                  store<f32>(dst, acc ? load<f32>(dst) + v : v);
                }
              }
            }
          }
        }
      }
    }
  }
}

/** Threaded GEMM: task `task` of `nTasks` computes a slab of columns (aligned to NR). */
export function gemm_task(
  task: i32, nTasks: i32,
  M: i32, N: i32, K: i32,
  a: usize, rsA: i32, csA: i32,
  b: usize, rsB: i32, csB: i32,
  c: usize, ldc: i32, beta: i32, scratch: usize,
): void {
  const panels = (N + NR - 1) / NR;
  const p0 = (panels * task) / nTasks, p1 = (panels * (task + 1)) / nTasks;
  const j0 = p0 * NR, j1 = min(N, p1 * NR);
  if (j1 <= j0) return;
  gemm(M, j1 - j0, K, a, rsA, csA, b + <usize>(j0 * csB) * 4, rsB, csB, c + <usize>j0 * 4, ldc, beta,
    scratch + <usize>task * <usize>GEMM_SCRATCH_BYTES);
}
