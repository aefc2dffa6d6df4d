// WGSL for the kernels that move data: permute, concat, windows (slice, pad), fill, embeddings and
// bilinear ×2 upsampling. Shape moves copy u32 bits, so they serve f32 and i32 tensors alike.
import { buf, params, main1d } from "./common.js";

/** params: n, rank, outShape[8], srcStride[8] (the input stride of each output dim). */
export const PERMUTE = buf(0, "X", "read", "u32") + buf(1, "O", "rw", "u32") + params(2) + main1d(`
  var r = i; var s = 0u;
  for (var d = i32(pu(1u)) - 1; d >= 0; d--) {
    let size = pu(2u + u32(d));
    s += (r % size) * pu(10u + u32(d)); r = r / size;
  }
  O[i] = X[s];`);

/** One input of a concat: params n (its size), chunk (its slab), total (the output's slab), offset. */
export const CONCAT_PART = buf(0, "X", "read", "u32") + buf(1, "O", "rw", "u32") + params(2) + main1d(`
  let chunk = pu(1u);
  O[(i / chunk) * pu(2u) + pu(3u) + i % chunk] = X[i];`);

/**
 * A window of a big tensor: params n (window size), rank, write (0: S = Big[window], 1: Big[window] = S),
 * base (the window's first flat index in Big), winShape[8], bigStride[8].
 */
export const WINDOW = buf(0, "Big", "rw", "u32") + buf(1, "S", "rw", "u32") + params(2) + main1d(`
  var r = i; var b = pu(3u);
  for (var d = i32(pu(1u)) - 1; d >= 0; d--) {
    let size = pu(4u + u32(d));
    b += (r % size) * pu(12u + u32(d)); r = r / size;
  }
  if (pu(2u) == 0u) { S[i] = Big[b]; } else { Big[b] = S[i]; }`);

/** params: n, value bits */
export const FILL = buf(0, "O", "rw", "u32") + params(1) + main1d(`
  O[i] = pu(1u);`);

/** params: n (= rows·D), D, num (rows of the weight; indices are clamped into 0..num−1) */
export const EMBEDDING = buf(0, "Wt", "read") + buf(1, "I", "read", "i32") + buf(2, "O", "rw") + params(3) + main1d(`
  let D = pu(1u);
  let row = min(u32(max(I[i / D], 0)), pu(2u) - 1u);
  O[i] = Wt[row * D + i % D];`);

/** params: n (= num·D), D, rows. gw[j, d] sums gy rows r with idx[r] = j (no atomics: a gather). */
export const EMBEDDING_BACKWARD = buf(0, "I", "read", "i32") + buf(1, "G", "read") + buf(2, "O", "rw") + params(3) + main1d(`
  let D = pu(1u);
  let j = i32(i / D); let d = i % D;
  var acc = 0.0;
  for (var r = 0u; r < pu(2u); r++) { if (I[r] == j) { acc += G[r * D + d]; } }
  O[i] = acc;`);

/** Bilinear taps of output coordinate o along a dim of n inputs (align_corners=False). */
const TAPS = `
struct Taps { i0: u32, i1: u32, l: f32 }
fn taps(n: u32, o: u32) -> Taps {
  let src = max((f32(o) + 0.5) / 2.0 - 0.5, 0.0);
  let i0 = u32(floor(src));
  return Taps(i0, min(i0 + 1u, n - 1u), src - f32(i0));
}
`;

/** params: n (output size), H, W (input) */
export const UPSAMPLE = buf(0, "X", "read") + buf(1, "Y", "rw") + params(2) + TAPS + main1d(`
  let H = pu(1u); let W = pu(2u);
  let ow = i % (2u * W); let oh = (i / (2u * W)) % (2u * H); let p = i / (4u * H * W);
  let th = taps(H, oh); let tw = taps(W, ow);
  let base = p * H * W;
  Y[i] = (1.0 - th.l) * ((1.0 - tw.l) * X[base + th.i0 * W + tw.i0] + tw.l * X[base + th.i0 * W + tw.i1]) +
         th.l * ((1.0 - tw.l) * X[base + th.i1 * W + tw.i0] + tw.l * X[base + th.i1 * W + tw.i1]);`);

/** params: n (input size), H, W (input). Each input gathers the weights of the outputs that read it. */
export const UPSAMPLE_BACKWARD = buf(0, "G", "read") + buf(1, "DX", "rw") + params(2) + TAPS + main1d(`
  let H = pu(1u); let W = pu(2u);
  let iw = i % W; let ih = (i / W) % H; let p = i / (H * W);
  var acc = 0.0;
  let ohLo = max(i32(2u * ih) - 2, 0); let ohHi = min(2u * ih + 2u, 2u * H - 1u);
  let owLo = max(i32(2u * iw) - 2, 0); let owHi = min(2u * iw + 2u, 2u * W - 1u);
  for (var oh = u32(ohLo); oh <= ohHi; oh++) {
    let th = taps(H, oh);
    var wh = 0.0;
    if (th.i0 == ih) { wh += 1.0 - th.l; }
    if (th.i1 == ih) { wh += th.l; }
    if (wh == 0.0) { continue; }
    for (var ow = u32(owLo); ow <= owHi; ow++) {
      let tw = taps(W, ow);
      var ww = 0.0;
      if (tw.i0 == iw) { ww += 1.0 - tw.l; }
      if (tw.i1 == iw) { ww += tw.l; }
      acc += wh * ww * G[(p * 2u * H + oh) * 2u * W + ow];
    }
  }
  DX[i] = acc;`);
