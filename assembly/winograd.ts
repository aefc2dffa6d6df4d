// Winograd F(4×4, 3×3) convolution (stride 1, padding 1): 36 multiplies per 4×4 output tile and
// channel pair instead of 144. Transforms run 4 tiles at a time in SIMD lanes; the 36 small
// products reuse the GEMM's packed 4×8 micro-kernel. Y = Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A (Lavin & Gray).
import { ConvAddend, ConvInput } from "../src/tensor/kernel-abi";
import { micro } from "./gemm";
import { actAffineRow } from "./elementwise";

/** Output tiles a block aims for: big enough for the micro-kernel, small enough to stay in cache. */
export const TILE_TARGET: i32 = 64;
/** Floats between consecutive ξν planes beyond their size: keeps the 36 planes off one cache set. */
export const PLANE_PAD: i32 = 16;


// @ts-ignore: decorator
@inline
export function ceil4(n: i32): i32 {
  return (n + 3) >> 2;
}
// @ts-ignore: decorator
@inline
export function round8(n: i32): i32 {
  return (n + 7) & ~7;
}

/** Images per block for H×W inputs. */
// @ts-ignore: decorator
@inline
export function blockImages(H: i32, W: i32): i32 {
  const tpi = ceil4(H) * ceil4(W);
  return max(1, TILE_TARGET / tpi);
}

/** Floats of the packed transformed weights: 36 × round4(Cout) × Cin. */
export function conv2d_winograd_weights_floats(Cout: i32, Cin: i32): i32 {
  return 36 * (((Cout + 3) >> 2) << 2) * Cin;
}

/** Bytes of scratch one forward task needs (V, M, the padded images, tile tables, transform temp, one activated plane). */
export function conv2d_winograd_scratch_bytes(Cin: i32, Cout: i32, H: i32, W: i32): i32 {
  const nb = blockImages(H, W);
  const Pp = round8(nb * ceil4(H) * ceil4(W));
  const Wp = 4 * ceil4(W) + 4, Hp = 4 * ceil4(H) + 2;
  const cout4 = ((Cout + 3) >> 2) << 2;
  const floats = 36 * (Cin * Pp + PLANE_PAD) + 36 * (cout4 * Pp + PLANE_PAD) + nb * Hp * Wp + (6 * Wp + 8) + 48 * 4 + 3 * Pp + H * W + 4;
  return floats * 4 + 64;
}

// Bᵀ applied to (d0..d5): the six rows of the input transform.
// @ts-ignore: decorator
@inline
export function bt(d0: v128, d1: v128, d2: v128, d3: v128, d4: v128, d5: v128, out: usize, stride: usize): void {
  const four = f32x4.splat(4), five = f32x4.splat(5), two = f32x4.splat(2);
  const t0 = f32x4.sub(d4, f32x4.mul(four, d2)); // d4 − 4 d2
  const t1 = f32x4.sub(d3, f32x4.mul(four, d1)); // d3 − 4 d1
  const t2 = f32x4.sub(d4, d2);
  const t3 = f32x4.mul(two, f32x4.sub(d3, d1));
  v128.store(out, f32x4.add(f32x4.sub(f32x4.mul(four, d0), f32x4.mul(five, d2)), d4));
  v128.store(out + stride, f32x4.add(t0, t1));
  v128.store(out + 2 * stride, f32x4.sub(t0, t1));
  v128.store(out + 3 * stride, f32x4.add(t2, t3));
  v128.store(out + 4 * stride, f32x4.sub(t2, t3));
  v128.store(out + 5 * stride, f32x4.add(f32x4.sub(f32x4.mul(four, d1), f32x4.mul(five, d3)), d5));
}

// Aᵀ applied to (m0..m5): the four rows of the output transform.
// @ts-ignore: decorator
@inline
function at(m0: v128, m1: v128, m2: v128, m3: v128, m4: v128, m5: v128, out: usize, stride: usize): void {
  const s12 = f32x4.add(m1, m2), d12 = f32x4.sub(m1, m2);
  const s34 = f32x4.add(m3, m4), d34 = f32x4.sub(m3, m4);
  v128.store(out, f32x4.add(f32x4.add(m0, s12), s34));
  v128.store(out + stride, f32x4.add(d12, f32x4.mul(f32x4.splat(2), d34)));
  v128.store(out + 2 * stride, f32x4.add(s12, f32x4.mul(f32x4.splat(4), s34)));
  v128.store(out + 3 * stride, f32x4.add(f32x4.add(d12, f32x4.mul(f32x4.splat(8), d34)), m5));
}

/** Copies an H×W image into a buffer with row stride `stride` floats (inline SIMD: these rows are short). */
// @ts-ignore: decorator
@inline
export function copyRows(src: usize, dst: usize, H: i32, W: i32, stride: i32): void {
  for (let r = 0; r < H; r++) {
    const s0 = src + <usize>(r * W) * 4, d0 = dst + <usize>(r * stride) * 4;
    let c = 0;
    for (; c + 4 <= W; c += 4) v128.store(d0 + <usize>c * 4, v128.load(s0 + <usize>c * 4));
    for (; c < W; c++) store<f32>(d0 + <usize>c * 4, load<f32>(s0 + <usize>c * 4));
  }
}

/**
 * Bᵀ d B for the four 6×6 windows at a0..a3 (row stride Wp floats), lanes = the four tiles. E holds
 * 36 vectors of row results; output (ξ, ν) is stored at out + ν·nuStride + ξ·xiStride.
 */
// @ts-ignore: decorator
@inline
export function inputTransform4(a0: usize, a1: usize, a2: usize, a3: usize, Wp: i32, E: usize, out: usize, nuStride: usize, xiStride: usize): void {
  // rows: e[r][ν] = Bᵀ(d[r][0..5])[ν]
  for (let r = 0; r < 6; r++) {
    const o = <usize>(r * Wp) * 4;
    const v0 = v128.load(a0 + o), v1 = v128.load(a1 + o), v2 = v128.load(a2 + o), v3 = v128.load(a3 + o);
    const t0 = i32x4.shuffle(v0, v1, 0, 4, 1, 5), t1 = i32x4.shuffle(v0, v1, 2, 6, 3, 7);
    const t2 = i32x4.shuffle(v2, v3, 0, 4, 1, 5), t3 = i32x4.shuffle(v2, v3, 2, 6, 3, 7);
    const w0 = v128.load(a0 + o, 16), w1 = v128.load(a1 + o, 16), w2 = v128.load(a2 + o, 16), w3 = v128.load(a3 + o, 16);
    const u0 = i32x4.shuffle(w0, w1, 0, 4, 1, 5), u2 = i32x4.shuffle(w2, w3, 0, 4, 1, 5);
    bt(i32x4.shuffle(t0, t2, 0, 1, 4, 5), i32x4.shuffle(t0, t2, 2, 3, 6, 7), i32x4.shuffle(t1, t3, 0, 1, 4, 5), i32x4.shuffle(t1, t3, 2, 3, 6, 7),
      i32x4.shuffle(u0, u2, 0, 1, 4, 5), i32x4.shuffle(u0, u2, 2, 3, 6, 7), E + <usize>(r * 6) * 16, 16);
  }
  // columns: out[ξ][ν] = Bᵀ(e[0..5][ν])[ξ]
  for (let nu = 0; nu < 6; nu++) {
    const e = E + <usize>nu * 16;
    bt(v128.load(e), v128.load(e, 96), v128.load(e, 192), v128.load(e, 288), v128.load(e, 384), v128.load(e, 480), out + <usize>nu * nuStride, xiStride);
  }
}

/** Address of the 3×3 kernel g[o][i] (flip: w[i][o]), or 0 for a padding lane o ≥ O. */
// @ts-ignore: decorator
@inline
function wBase(w: usize, o: i32, i: i32, O: i32, I: i32, flip: i32): usize {
  if (o >= O) return 0;
  return flip ? w + <usize>((i * O + o) * 9) * 4 : w + <usize>((o * I + i) * 9) * 4;
}

/** Element k (row-major kh·3 + kw; flipped: 8 − k) of the four lanes' kernels; 0 for padding lanes. */
// @ts-ignore: decorator
@inline
function lanes(b0: usize, b1: usize, b2: usize, b3: usize, k: i32, flip: i32): v128 {
  const off = <usize>(flip ? 8 - k : k) * 4;
  return f32x4(b0 ? load<f32>(b0 + off) : 0, b1 ? load<f32>(b1 + off) : 0, b2 ? load<f32>(b2 + off) : 0, b3 ? load<f32>(b3 + off) : 0);
}

/** Σ_kh G[r][kh] g[kh] for one column of g (rows a, b, c), skipping G's zeros. */
// @ts-ignore: decorator
@inline
function gColumn(r: i32, a: v128, b: v128, c: v128): v128 {
  let t = f32x4.splat(0);
  if (gRow(r, 0) != 0) t = f32x4.add(t, f32x4.mul(f32x4.splat(gRow(r, 0)), a));
  if (gRow(r, 1) != 0) t = f32x4.add(t, f32x4.mul(f32x4.splat(gRow(r, 1)), b));
  if (gRow(r, 2) != 0) t = f32x4.add(t, f32x4.mul(f32x4.splat(gRow(r, 2)), c));
  return t;
}

/**
 * U[ξν] = (G g Gᵀ)[ξ, ν] packed as GEMM A panels: U + (ξν·O4·I + (o/4)·I·4 + i·4 + o%4)·4.
 * flip = 0: g[o][i] = w[o][i] (w is [O, I, 3, 3]), the forward conv.
 * flip = 1: g[o][i][kh][kw] = w[i][o][2−kh][2−kw] (w is [I, O, 3, 3]), the input gradient.
 * Task `task` of `nTasks` does a range of o in blocks of 4 (the SIMD lanes); rows o ≥ O (padding to 4) are written as zeros.
 */
export function conv2d_winograd_weights_task(task: i32, nTasks: i32, w: usize, O: i32, I: i32, flip: i32, U: usize): void {
  // four output channels at a time, in SIMD lanes: they are adjacent in U (o % 4 is innermost)
  const O4 = (O + 3) >> 2;
  const q0 = (O4 * task) / nTasks, q1 = (O4 * (task + 1)) / nTasks;
  const plane = <usize>(O4 * 4 * I) * 4;
  for (let q = q0; q < q1; q++) {
    for (let i = 0; i < I; i++) {
      // the 3×3 kernels of the four lanes (o = 4q + lane; lanes o ≥ O are zero); flip reads w[i][o] rotated by 180°
      const o = 4 * q;
      const b0 = wBase(w, o, i, O, I, flip), b1 = wBase(w, o + 1, i, O, I, flip), b2 = wBase(w, o + 2, i, O, I, flip), b3 = wBase(w, o + 3, i, O, I, flip);
      const g0 = lanes(b0, b1, b2, b3, 0, flip), g1 = lanes(b0, b1, b2, b3, 1, flip), g2 = lanes(b0, b1, b2, b3, 2, flip);
      const g3 = lanes(b0, b1, b2, b3, 3, flip), g4 = lanes(b0, b1, b2, b3, 4, flip), g5 = lanes(b0, b1, b2, b3, 5, flip);
      const g6 = lanes(b0, b1, b2, b3, 6, flip), g7 = lanes(b0, b1, b2, b3, 7, flip), g8 = lanes(b0, b1, b2, b3, 8, flip);
      const dst = U + <usize>(q * I * 4 + i * 4) * 4;
      for (let r = 0; r < 6; r++) {
        // row r of t = G g: t[r][c] = Σ_kh G[r][kh] g[kh][c]
        const t0 = gColumn(r, g0, g3, g6), t1 = gColumn(r, g1, g4, g7), t2 = gColumn(r, g2, g5, g8);
        // u[r][ν] = Σ_c t[r][c] G[ν][c]
        const out = dst + <usize>(r * 6) * plane;
        for (let nu = 0; nu < 6; nu++) {
          const u = f32x4.add(f32x4.add(f32x4.mul(f32x4.splat(gRow(nu, 0)), t0), f32x4.mul(f32x4.splat(gRow(nu, 1)), t1)), f32x4.mul(f32x4.splat(gRow(nu, 2)), t2));
          v128.store(out + <usize>nu * plane, u);
        }
      }
    }
  }
}

// G (6×3) of F(4, 3) with points 0, ±1, ±2, ∞.
// @ts-ignore: decorator
@inline
function gRow(r: i32, c: i32): f32 {
  if (r == 0) return c == 0 ? <f32>0.25 : 0;
  if (r == 1) return <f32>(-1.0 / 6.0);
  if (r == 2) return c == 1 ? <f32>(1.0 / 6.0) : <f32>(-1.0 / 6.0);
  if (r == 3) return c == 0 ? <f32>(1.0 / 24.0) : c == 1 ? <f32>(1.0 / 12.0) : <f32>(1.0 / 6.0);
  if (r == 4) return c == 0 ? <f32>(1.0 / 24.0) : c == 1 ? <f32>(-1.0 / 12.0) : <f32>(1.0 / 6.0);
  return c == 2 ? <f32>1 : 0;
}

/**
 * y[b] = conv3×3(x[b], stride 1, padding 1) + bias (+ addend) for this task's images, from transformed
 * weights U (conv2d_winograd_weights_task). x [B, Cin, H, W], y [B, Cout, H, W]; bias may be 0. addMode 0: no
 * addend; 1: addend is [B, Cout, H, W] (a residual); 2: addend is [B, Cout] (per image and channel).
 * preMode 1: the input is x·preScale[c] + preShift[c]; 2: SiLU(x)·preScale[c] + preShift[c].
 */
export function conv2d_winograd_task(
  task: i32, nTasks: i32,
  x: usize, U: usize, bias: usize, y: usize,
  B: i32, Cin: i32, H: i32, W: i32, Cout: i32, scratch: usize,
  addend: usize, addMode: i32,
  preMode: i32, preScale: usize, preShift: usize,
): void {
  const b0 = (B * task) / nTasks, b1 = (B * (task + 1)) / nTasks;
  if (b1 <= b0) return;
  const Ht = ceil4(H), Wt = ceil4(W), tpi = Ht * Wt;
  const nbMax = blockImages(H, W);
  const PpMax = round8(nbMax * tpi);
  const Hp = 4 * Ht + 2, Wp = 4 * Wt + 4;
  const cout4 = ((Cout + 3) >> 2) << 2;
  const my = scratch + <usize>task * <usize>conv2d_winograd_scratch_bytes(Cin, Cout, H, W);
  const V = (my + 15) & ~(<usize>15);
  const M = V + <usize>(36 * (Cin * PpMax + PLANE_PAD)) * 4;
  const P = M + <usize>(36 * (cout4 * PpMax + PLANE_PAD)) * 4;
  const Z = P + <usize>(nbMax * Hp * Wp) * 4; // a zero tile for the lanes past the last tile
  const E = Z + <usize>(6 * Wp + 8) * 4;
  const toff = E + 48 * 16; // i32 per tile: offset of its 6×6 window in P (floats)
  const yoff = toff + <usize>PpMax * 4; // i32 per tile: float offset of its top-left output in y (channel 0)
  const yval = yoff + <usize>PpMax * 4; // i32 per tile: (valid rows << 4) | valid cols; 0 for padding
  const act = (yval + <usize>PpMax * 4 + 15) & ~(<usize>15); // one H×W plane after the fused BatchNorm (and SiLU)
  memory.fill(Z, 0, <usize>(6 * Wp + 8) * 4);
  const full = (H & 3) == 0 && (W & 3) == 0;
  // one ξν plane of V or M, bytes, padded so the 36 planes do not share a cache set
  const vPlane = <usize>(Cin * PpMax + PLANE_PAD) * 4;
  const mPlane = <usize>(cout4 * PpMax + PLANE_PAD) * 4;

  for (let bs = b0; bs < b1; bs += nbMax) {
    const nb = min(nbMax, b1 - bs);
    const Pn = nb * tpi, Pp = round8(Pn);
    // tile tables
    for (let p = 0; p < Pp; p++) {
      if (p < Pn) {
        const bl = p / tpi, r = p - bl * tpi, ti = r / Wt, tj = r - ti * Wt;
        store<i32>(toff + <usize>p * 4, (bl * Hp + 4 * ti) * Wp + 4 * tj);
        store<i32>(yoff + <usize>p * 4, (bl * Cout * H + 4 * ti) * W + 4 * tj);
        store<i32>(yval + <usize>p * 4, (bl << 8) | (min(4, H - 4 * ti) << 4) | min(4, W - 4 * tj));
      } else {
        store<i32>(toff + <usize>p * 4, <i32>((Z - P) >> 2));
        store<i32>(yoff + <usize>p * 4, 0);
        store<i32>(yval + <usize>p * 4, 0);
      }
    }
    memory.fill(P, 0, <usize>(nb * Hp * Wp) * 4);
    // input transform: V[ξν][p/8][ci][p%8] = (Bᵀ d B)[ξ, ν] of tile p, channel ci
    for (let ci = 0; ci < Cin; ci++) {
      // channel ci of the block's images into P's interior; the zero border was written once per block
      // (inline SIMD copies: memory.copy's call overhead dominates rows this short)
      const sc: f32 = preMode ? load<f32>(preScale + <usize>ci * 4) : 1, sh: f32 = preMode ? load<f32>(preShift + <usize>ci * 4) : 0;
      for (let bl = 0; bl < nb; bl++) {
        const src = x + <usize>(((bs + bl) * Cin + ci) * H * W) * 4;
        const dst = P + <usize>((bl * Hp + 1) * Wp + 1) * 4;
        if (preMode == ConvInput.Plain) {
          copyRows(src, dst, H, W, Wp);
          continue;
        }
        // the fused BatchNorm (and SiLU) over the whole plane (long rows keep the exp's 16-wide blocks
        // busy), then into the padded tile buffer
        actAffineRow(src, act, H * W, preMode == ConvInput.SiluAffine ? 1 : 0, sc, sh);
        copyRows(act, dst, H, W, Wp);
      }
      for (let p = 0; p < Pp; p += 4) {
        const a0 = P + <usize>load<i32>(toff + <usize>p * 4) * 4;
        const a1 = P + <usize>load<i32>(toff + <usize>(p + 1) * 4) * 4;
        const a2 = P + <usize>load<i32>(toff + <usize>(p + 2) * 4) * 4;
        const a3 = P + <usize>load<i32>(toff + <usize>(p + 3) * 4) * 4;
        const vOff = V + <usize>(((p >> 3) * Cin + ci) * 8 + (p & 7)) * 4;
        inputTransform4(a0, a1, a2, a3, Wp, E, vOff, vPlane, 6 * vPlane);
      }
    }
    // 36 products: M[ξν][co][p] = Σ_ci U[ξν][co][ci] V[ξν][ci][p]
    for (let k = 0; k < 36; k++) {
      const Ak = U + <usize>(k * cout4 * Cin) * 4, Bk = V + <usize>k * vPlane, Ck = M + <usize>k * mPlane;
      for (let jp = 0; jp < Pp; jp += 8) {
        const pb = Bk + <usize>(jp * Cin) * 4;
        for (let ip = 0; ip < cout4; ip += 4) {
          micro(Cin, Ak + <usize>(ip * Cin) * 4, pb, Ck + <usize>(ip * PpMax + jp) * 4, PpMax, false);
        }
      }
    }
    // output transform: y = Aᵀ m A (+ bias), 4 tiles at a time
    for (let co = 0; co < Cout; co++) {
      const bv: f32 = bias != 0 ? load<f32>(bias + <usize>co * 4) : 0;
      const bvec = f32x4.splat(bv);
      const cOff = <usize>((bs * Cout + co) * H * W) * 4;
      const yc = y + cOff, ac = addend + cOff;
      for (let p = 0; p < Pp; p += 4) {
        if (p >= Pn) break;
        const mOff = M + <usize>(co * PpMax + p) * 4;
        // rows: f[ξ][j] = Aᵀ(m[ξ][0..5])[j]
        for (let xi = 0; xi < 6; xi++) {
          const m = mOff + <usize>(xi * 6) * mPlane;
          at(v128.load(m), v128.load(m + mPlane), v128.load(m + 2 * mPlane), v128.load(m + 3 * mPlane), v128.load(m + 4 * mPlane), v128.load(m + 5 * mPlane),
            E + <usize>(xi * 4) * 16, 16);
        }
        // columns: out[i][j] = Aᵀ(f[0..5][j])[i], stored at E2[i][j]
        const E2 = E + 24 * 16;
        for (let j = 0; j < 4; j++) {
          const f = E + <usize>j * 16;
          at(v128.load(f), v128.load(f, 64), v128.load(f, 128), v128.load(f, 192), v128.load(f, 256), v128.load(f, 320), E2 + <usize>j * 16, 64);
        }
        for (let i = 0; i < 4; i++) {
          const r = E2 + <usize>(i * 4) * 16;
          const v0 = v128.load(r), v1 = v128.load(r, 16), v2 = v128.load(r, 32), v3 = v128.load(r, 48);
          // transpose: lanes were tiles, now each vector is one tile's row i (columns 0..3)
          const t0 = i32x4.shuffle(v0, v1, 0, 4, 1, 5), t1 = i32x4.shuffle(v0, v1, 2, 6, 3, 7);
          const t2 = i32x4.shuffle(v2, v3, 0, 4, 1, 5), t3 = i32x4.shuffle(v2, v3, 2, 6, 3, 7);
          const rows0 = f32x4.add(i32x4.shuffle(t0, t2, 0, 1, 4, 5), bvec), rows1 = f32x4.add(i32x4.shuffle(t0, t2, 2, 3, 6, 7), bvec);
          const rows2 = f32x4.add(i32x4.shuffle(t1, t3, 0, 1, 4, 5), bvec), rows3 = f32x4.add(i32x4.shuffle(t1, t3, 2, 3, 6, 7), bvec);
          const rowOff = <usize>(i * W);
          if (full && p + 4 <= Pn && addMode == ConvAddend.None) {
            v128.store(yc + (<usize>load<i32>(yoff + <usize>p * 4) + rowOff) * 4, rows0);
            v128.store(yc + (<usize>load<i32>(yoff + <usize>(p + 1) * 4) + rowOff) * 4, rows1);
            v128.store(yc + (<usize>load<i32>(yoff + <usize>(p + 2) * 4) + rowOff) * 4, rows2);
            v128.store(yc + (<usize>load<i32>(yoff + <usize>(p + 3) * 4) + rowOff) * 4, rows3);
          } else if (full && p + 4 <= Pn) {
            for (let l = 0; l < 4; l++) {
              const q = p + l;
              let v = l == 0 ? rows0 : l == 1 ? rows1 : l == 2 ? rows2 : rows3;
              const o = (<usize>load<i32>(yoff + <usize>q * 4) + rowOff) * 4;
              if (addMode == ConvAddend.Residual) {
                v = f32x4.add(v, v128.load(ac + o));
              } else {
                const bl = load<i32>(yval + <usize>q * 4) >> 8;
                v = f32x4.add(v, f32x4.splat(load<f32>(addend + <usize>((bs + bl) * Cout + co) * 4)));
              }
              v128.store(yc + o, v);
            }
          } else {
            for (let l = 0; l < 4; l++) {
              const q = p + l;
              if (q >= Pn) break;
              const val = load<i32>(yval + <usize>q * 4);
              if (i >= ((val >> 4) & 15)) continue;
              let v = l == 0 ? rows0 : l == 1 ? rows1 : l == 2 ? rows2 : rows3;
              const o = (<usize>load<i32>(yoff + <usize>q * 4) + rowOff) * 4;
              const dst = yc + o;
              const n = val & 15;
              if (addMode == ConvAddend.Residual) {
                v = f32x4.add(v, f32x4(load<f32>(ac + o), n > 1 ? load<f32>(ac + o, 4) : 0, n > 2 ? load<f32>(ac + o, 8) : 0, n > 3 ? load<f32>(ac + o, 12) : 0));
              } else if (addMode == ConvAddend.Shift) {
                v = f32x4.add(v, f32x4.splat(load<f32>(addend + <usize>((bs + (val >> 8)) * Cout + co) * 4)));
              }
              store<f32>(dst, f32x4.extract_lane(v, 0));
              if (n > 1) store<f32>(dst, f32x4.extract_lane(v, 1), 4);
              if (n > 2) store<f32>(dst, f32x4.extract_lane(v, 2), 8);
              if (n > 3) store<f32>(dst, f32x4.extract_lane(v, 3), 12);
            }
          }
        }
      }
    }
  }
}
