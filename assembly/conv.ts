// 3×3 convolution (padding 1, stride 1 or 2) through im2col + GEMM, over images (forward: claimed one at a time).
// Layout NCHW; weights [Cout, Cin, 3, 3]; col buffers are [Cin·9, Ho·Wo].
import { claim } from "./claim";
import { gemm, GEMM_SCRATCH_BYTES } from "./gemm";
import { sumF32 } from "./elementwise";

// col[(ci*9 + kh*3 + kw), oh*Wo + ow] = x[ci, oh*s + kh - 1, ow*s + kw - 1] (0 outside)
export function im2col3(x: usize, C: i32, H: i32, W: i32, s: i32, Ho: i32, Wo: i32, col: usize): void {
  if (s == 2) {
    im2col3s2(x, C, H, W, Ho, Wo, col);
    return;
  }
  const HWo = Ho * Wo;
  for (let ci = 0; ci < C; ci++) {
    const xc = x + <usize>(ci * H * W) * 4;
    for (let kh = 0; kh < 3; kh++) {
      for (let kw = 0; kw < 3; kw++) {
        const row = col + <usize>((ci * 9 + kh * 3 + kw) * HWo) * 4;
        // valid ow: 0 <= ow*s + kw - 1 < W
        const owLo = kw == 0 ? 1 : 0;
        let owHi = (W - kw + s) / s; // first ow with ow*s + kw - 1 >= W
        if (owHi > Wo) owHi = Wo;
        for (let oh = 0; oh < Ho; oh++) {
          const ih = oh * s + kh - 1;
          const dst = row + <usize>(oh * Wo) * 4;
          if (ih < 0 || ih >= H) { memory.fill(dst, 0, <usize>Wo * 4); continue; }
          const src = xc + <usize>(ih * W) * 4;
          if (owLo > 0) store<f32>(dst, 0);
          if (s == 1) {
            // short rows: an inline SIMD copy beats memory.copy's call overhead
            const d0 = dst + <usize>owLo * 4, s0 = src + <usize>(owLo + kw - 1) * 4;
            const n = owHi - owLo;
            let i = 0;
            for (; i + 4 <= n; i += 4) v128.store(d0 + <usize>i * 4, v128.load(s0 + <usize>i * 4));
            for (; i < n; i++) store<f32>(d0 + <usize>i * 4, load<f32>(s0 + <usize>i * 4));
          } else {
            for (let ow = owLo; ow < owHi; ow++) store<f32>(dst + <usize>ow * 4, load<f32>(src + <usize>(ow * s + kw - 1) * 4));
          }
          for (let ow = owHi; ow < Wo; ow++) store<f32>(dst + <usize>ow * 4, 0);
        }
      }
    }
  }
}

/**
 * im2col3 for stride 2. Output column ow reads input columns 2ow − 1, 2ow, 2ow + 1: the odd, even and
 * odd columns of the row, so each pair of loaded vectors is split into evens (kw = 1) and odds (kw = 2,
 * and kw = 0 shifted right by one) with two shuffles.
 */
function im2col3s2(x: usize, C: i32, H: i32, W: i32, Ho: i32, Wo: i32, col: usize): void {
  const HWo = Ho * Wo;
  for (let ci = 0; ci < C; ci++) {
    const xc = x + <usize>(ci * H * W) * 4;
    for (let kh = 0; kh < 3; kh++) {
      const k0 = col + <usize>((ci * 9 + kh * 3) * HWo) * 4, k1 = k0 + <usize>HWo * 4, k2 = k1 + <usize>HWo * 4;
      for (let oh = 0; oh < Ho; oh++) {
        const o = <usize>(oh * Wo) * 4;
        const d0 = k0 + o, d1 = k1 + o, d2 = k2 + o;
        const ih = 2 * oh + kh - 1;
        if (ih < 0 || ih >= H) {
          memory.fill(d0, 0, <usize>Wo * 4);
          memory.fill(d1, 0, <usize>Wo * 4);
          memory.fill(d2, 0, <usize>Wo * 4);
          continue;
        }
        const src = xc + <usize>(ih * W) * 4;
        store<f32>(d0, 0); // column −1 is padding
        let j = 0;
        for (; 2 * j + 8 <= W; j += 4) {
          const a = v128.load(src + <usize>(2 * j) * 4), b = v128.load(src + <usize>(2 * j) * 4, 16);
          const even = i32x4.shuffle(a, b, 0, 2, 4, 6), odd = i32x4.shuffle(a, b, 1, 3, 5, 7);
          v128.store(d1 + <usize>j * 4, even);
          v128.store(d2 + <usize>j * 4, odd);
          if (j + 4 < Wo) v128.store(d0 + <usize>(j + 1) * 4, odd);
          else for (let l = j + 1; l < Wo; l++) store<f32>(d0 + <usize>l * 4, load<f32>(src + <usize>(2 * l - 1) * 4));
        }
        for (; j < Wo; j++) {
          store<f32>(d1 + <usize>j * 4, load<f32>(src + <usize>(2 * j) * 4));
          store<f32>(d2 + <usize>j * 4, 2 * j + 1 < W ? load<f32>(src + <usize>(2 * j + 1) * 4) : 0);
          if (j + 1 < Wo) store<f32>(d0 + <usize>(j + 1) * 4, load<f32>(src + <usize>(2 * j + 1) * 4));
        }
      }
    }
  }
}

// dx[ci, ih, iw] += col[...]: the adjoint of im2col3. dx must be zeroed by the caller.
export function col2im3(col: usize, C: i32, H: i32, W: i32, s: i32, Ho: i32, Wo: i32, dx: usize): void {
  const HWo = Ho * Wo;
  for (let ci = 0; ci < C; ci++) {
    const xc = dx + <usize>(ci * H * W) * 4;
    for (let kh = 0; kh < 3; kh++) {
      for (let kw = 0; kw < 3; kw++) {
        const row = col + <usize>((ci * 9 + kh * 3 + kw) * HWo) * 4;
        const owLo = kw == 0 ? 1 : 0;
        let owHi = (W - kw + s) / s;
        if (owHi > Wo) owHi = Wo;
        for (let oh = 0; oh < Ho; oh++) {
          const ih = oh * s + kh - 1;
          if (ih < 0 || ih >= H) continue;
          const src = row + <usize>(oh * Wo) * 4;
          const dst = xc + <usize>(ih * W + kw - 1) * 4;
          if (s == 1) {
            let ow = owLo;
            for (; ow + 4 <= owHi; ow += 4) {
              const p = dst + <usize>ow * 4;
              v128.store(p, f32x4.add(v128.load(p), v128.load(src + <usize>ow * 4)));
            }
            for (; ow < owHi; ow++) {
              const p = dst + <usize>ow * 4;
              store<f32>(p, load<f32>(p) + load<f32>(src + <usize>ow * 4));
            }
          } else {
            for (let ow = owLo; ow < owHi; ow++) {
              const p = dst + <usize>(ow * s) * 4;
              store<f32>(p, load<f32>(p) + load<f32>(src + <usize>ow * 4));
            }
          }
        }
      }
    }
  }
}

/** Bytes of scratch one conv task needs. */
export function conv2d_im2col_scratch_bytes(Cin: i32, Ho: i32, Wo: i32): i32 {
  return GEMM_SCRATCH_BYTES + Cin * 9 * Ho * Wo * 4 + 64;
}

// @ts-ignore: decorator
@inline
function imageRange(task: i32, nTasks: i32, B: i32): i32 {
  return (B * task) / nTasks;
}

/** y[b] = W·im2col(x[b]) + bias for the images this task claims. */
export function conv2d_im2col_task(
  task: i32, nTasks: i32,
  x: usize, w: usize, bias: usize, y: usize,
  B: i32, Cin: i32, H: i32, W: i32, Cout: i32, s: i32, Ho: i32, Wo: i32, scratch: usize,
): void {
  const K = Cin * 9, HWo = Ho * Wo;
  const my = scratch + <usize>task * <usize>conv2d_im2col_scratch_bytes(Cin, Ho, Wo);
  const col = my + <usize>GEMM_SCRATCH_BYTES;
  // images claimed one at a time (an image's result does not depend on the task that computes it)
  for (;;) {
    const b = claim();
    if (b >= B) break;
    im2col3(x + <usize>(b * Cin * H * W) * 4, Cin, H, W, s, Ho, Wo, col);
    const yb = y + <usize>(b * Cout * HWo) * 4;
    gemm(Cout, HWo, K, w, K, 1, col, HWo, 1, yb, HWo, 0, my);
    if (bias != 0) {
      for (let co = 0; co < Cout; co++) {
        const bv = f32x4.splat(load<f32>(bias + <usize>co * 4));
        const row = yb + <usize>(co * HWo) * 4;
        let i = 0;
        for (; i + 4 <= HWo; i += 4) v128.store(row + <usize>i * 4, f32x4.add(v128.load(row + <usize>i * 4), bv));
        for (; i < HWo; i++) store<f32>(row + <usize>i * 4, load<f32>(row + <usize>i * 4) + f32x4.extract_lane(bv, 0));
      }
    }
  }
}

/**
 * Backward for this task's images. dx (if nonzero) gets the input gradient (zeroed here);
 * dwPart[task] and dbPart[task] (Cout·K and Cout floats each) get this task's weight/bias sums.
 */
export function conv2d_im2col_bwd_task(
  task: i32, nTasks: i32,
  x: usize, w: usize, dy: usize, dx: usize, dwPart: usize, dbPart: usize,
  B: i32, Cin: i32, H: i32, W: i32, Cout: i32, s: i32, Ho: i32, Wo: i32, scratch: usize,
): void {
  const b0 = imageRange(task, nTasks, B), b1 = imageRange(task + 1, nTasks, B);
  const K = Cin * 9, HWo = Ho * Wo;
  const my = scratch + <usize>task * <usize>conv2d_im2col_scratch_bytes(Cin, Ho, Wo);
  const col = my + <usize>GEMM_SCRATCH_BYTES;
  const dw = dwPart + <usize>(task * Cout * K) * 4;
  const db = dbPart + <usize>(task * Cout) * 4;
  memory.fill(dw, 0, <usize>(Cout * K) * 4);
  memory.fill(db, 0, <usize>Cout * 4);
  for (let b = b0; b < b1; b++) {
    const dyb = dy + <usize>(b * Cout * HWo) * 4;
    // bias: sum over pixels
    for (let co = 0; co < Cout; co++) {
      store<f32>(db + <usize>co * 4, load<f32>(db + <usize>co * 4) + sumF32(dyb + <usize>(co * HWo) * 4, HWo));
    }
    // weight: dW[Cout, K] += dY_b[Cout, HWo] · col^T[HWo, K]
    im2col3(x + <usize>(b * Cin * H * W) * 4, Cin, H, W, s, Ho, Wo, col);
    gemm(Cout, K, HWo, dyb, HWo, 1, col, 1, HWo, dw, K, 1, my);
    if (dx != 0) {
      // dcol[K, HWo] = W^T[K, Cout] · dY_b[Cout, HWo]; reuse col as dcol
      gemm(K, HWo, Cout, w, 1, K, dyb, HWo, 1, col, HWo, 0, my);
      const dxb = dx + <usize>(b * Cin * H * W) * 4;
      memory.fill(dxb, 0, <usize>(Cin * H * W) * 4);
      col2im3(col, Cin, H, W, s, Ho, Wo, dxb);
    }
  }
}
