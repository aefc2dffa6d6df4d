// WGSL for the elementwise kernels: binary with broadcasting, unary, affine, SiLU's gradient,
// the per-channel affine and Adam. One invocation per output element.
import { buf, params, main1d, TRIG } from "./common.js";

/** Binary op codes (params word 1). */
export const BINARY_CODE = { add: 0, sub: 1, mul: 2, div: 3 } as const;
/** Unary op codes (params word 1). */
export const UNARY_CODE = { neg: 0, exp: 1, log: 2, sqrt: 3, sin: 4, cos: 5, square: 6, sigmoid: 7, silu: 8 } as const;
/** Ranks up to this go through the broadcast tables. */
export const MAX_RANK = 8;

/** params: n, op, rank, shape[8], strideA[8], strideB[8] (0 on broadcast dims). */
export const BINARY = buf(0, "A", "read") + buf(1, "B", "read") + buf(2, "O", "rw") + params(3) + main1d(`
  let rank = pu(2u);
  var r = i; var ia = 0u; var ib = 0u;
  for (var d = i32(rank) - 1; d >= 0; d--) {
    let size = pu(3u + u32(d));
    let c = r % size; r = r / size;
    ia += c * pu(11u + u32(d)); ib += c * pu(19u + u32(d));
  }
  let a = A[ia]; let b = B[ib];
  var v = 0.0;
  switch pu(1u) {
    case 0u: { v = a + b; }
    case 1u: { v = a - b; }
    case 2u: { v = a * b; }
    default: { v = a / b; }
  }
  O[i] = v;`);

/** params: n, op */
export const UNARY = buf(0, "X", "read") + buf(1, "O", "rw") + params(2) + TRIG + main1d(`
  let x = X[i];
  var v = 0.0;
  switch pu(1u) {
    case 0u: { v = -x; }
    case 1u: { v = exp(x); }
    case 2u: { v = log(x); }
    case 3u: { v = sqrt(x); }
    case 4u: { v = sinAcc(x); }
    case 5u: { v = cosAcc(x); }
    case 6u: { v = x * x; }
    case 7u: { v = 1.0 / (1.0 + exp(-x)); }
    default: { v = silu(x); }
  }
  O[i] = v;`);

/** params: n, scale (f32), shift (f32) */
export const AFFINE = buf(0, "X", "read") + buf(1, "O", "rw") + params(2) + main1d(`
  O[i] = X[i] * pf(1u) + pf(2u);`);

/** params: n */
export const SILU_BACKWARD = buf(0, "X", "read") + buf(1, "G", "read") + buf(2, "O", "rw") + params(3) + main1d(`
  let x = X[i];
  let s = 1.0 / (1.0 + exp(-x));
  O[i] = G[i] * s * (1.0 + x * (1.0 - s));`);

/** params: n, C, inner, silu */
export const CHANNEL_AFFINE = buf(0, "X", "read") + buf(1, "S", "read") + buf(2, "H", "read") + buf(3, "O", "rw") + params(4) + main1d(`
  let c = (i / pu(2u)) % pu(1u);
  var a = X[i];
  if (pu(3u) != 0u) { a = silu(a); }
  O[i] = a * S[c] + H[c];`);

/** params: n, b1, 1−b1, b2, 1−b2, lr/bc1, sqrt(bc2), eps (f32, rounded as ref/ rounds them) */
export const ADAM = buf(0, "Pm", "rw") + buf(1, "G", "read") + buf(2, "M", "rw") + buf(3, "V", "rw") + params(4) + main1d(`
  let g = G[i];
  let m = pf(1u) * M[i] + pf(2u) * g;
  let v = pf(3u) * V[i] + (pf(4u) * g) * g;
  M[i] = m; V[i] = v;
  Pm[i] = Pm[i] - (pf(5u) * m) / (sqrt(v) / pf(6u) + pf(7u));`);
