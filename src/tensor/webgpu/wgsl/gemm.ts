// WGSL for the GEMM family: one tiled kernel (16×16 output tiles, 16-wide K steps staged in
// workgroup memory) with pluggable loadA(z, m, k), loadB(z, k, n) and store(z, m, n, v). matmul and
// the three convolution passes (implicit GEMM: the 3×3 patches are gathered while loading) use it.
import { buf, params } from "./common.js";

/** Output tile edge and K step. */
export const TILE = 16;

/**
 * params: M, N, K, kChunk (0: workgroup z is a batch index over all of K; else z covers k in
 * [z·kChunk, min(K, (z+1)·kChunk)), a split of K), then the
 * variant's own words from 4 on. `decls` binds the buffers; its last binding index + 1 is `pBinding`.
 */
function gemm(decls: string, pBinding: number, fns: string): string {
  return decls + params(pBinding) + fns + `
var<workgroup> As: array<array<f32, 16>, 16>;
var<workgroup> Bs: array<array<f32, 16>, 16>;
@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) l: vec3u) {
  let M = pu(0u); let N = pu(1u); let K = pu(2u); let chunk = pu(3u);
  let z = wg.z;
  let m0 = wg.y * 16u; let n0 = wg.x * 16u;
  var kLo = 0u; var kHi = K;
  if (chunk != 0u) { kLo = z * chunk; kHi = min(K, kLo + chunk); }
  var acc = 0.0;
  for (var k0 = kLo; k0 < kHi; k0 += 16u) {
    let ka = k0 + l.x; let ma = m0 + l.y;
    var a = 0.0;
    if (ma < M && ka < kHi) { a = loadA(z, ma, ka); }
    As[l.y][l.x] = a;
    let kb = k0 + l.y; let nb = n0 + l.x;
    var b = 0.0;
    if (kb < kHi && nb < N) { b = loadB(z, kb, nb); }
    Bs[l.y][l.x] = b;
    workgroupBarrier();
    for (var k = 0u; k < 16u; k++) { acc += As[l.y][k] * Bs[k][l.x]; }
    workgroupBarrier();
  }
  let m = m0 + l.y; let n = n0 + l.x;
  if (m < M && n < N) { store(z, m, n, acc); }
}
`;
}

/** matmul; params from 4: transA, transB, bShared. z = batch index. */
export const MATMUL = gemm(buf(0, "A", "read") + buf(1, "B", "read") + buf(2, "C", "rw"), 3, `
fn loadA(z: u32, m: u32, k: u32) -> f32 {
  let M = pu(0u); let K = pu(2u);
  let base = z * M * K;
  if (pu(4u) != 0u) { return A[base + k * M + m]; }
  return A[base + m * K + k];
}
fn loadB(z: u32, k: u32, n: u32) -> f32 {
  let N = pu(1u); let K = pu(2u);
  var base = z * K * N;
  if (pu(6u) != 0u) { base = 0u; }
  if (pu(5u) != 0u) { return B[base + n * K + k]; }
  return B[base + k * N + n];
}
fn store(z: u32, m: u32, n: u32, v: f32) {
  let M = pu(0u); let N = pu(1u);
  C[z * M * N + m * N + n] = v;
}
`);

/** Convolution geometry words shared by the three passes, from params word 4 on. */
const GEOMETRY = `
struct Geo { B: u32, Cin: u32, H: u32, W: u32, Cout: u32, Ho: u32, Wo: u32, s: u32 }
fn geo() -> Geo { return Geo(pu(4u), pu(5u), pu(6u), pu(7u), pu(8u), pu(9u), pu(10u), pu(11u)); }
const PAD = 0xffffffffu;
// The index in X [B, Cin, H, W] that output pixel p of image b reads at tap r (0..8) of input channel
// ci, padding 1 and stride s; PAD where the tap falls in the zero padding (the im2col column's entry).
fn xTap(g: Geo, b: u32, ci: u32, r: u32, p: u32) -> u32 {
  let ih = i32((p / g.Wo) * g.s + r / 3u) - 1;
  let iw = i32((p % g.Wo) * g.s + r % 3u) - 1;
  if (ih < 0 || iw < 0 || ih >= i32(g.H) || iw >= i32(g.W)) { return PAD; }
  return ((b * g.Cin + ci) * g.H + u32(ih)) * g.W + u32(iw);
}
`;

/**
 * Forward: M = Cout, N = B·Ho·Wo, K = Cin·9. params from 12: hasBias, addMode (0 none, 1 residual
 * [B, Cout, Ho, Wo], 2 shift [B, Cout, 1, 1]), preMode (0 none, 1 affine, 2 SiLU then affine).
 */
export const CONV_FORWARD = gemm(
  buf(0, "X", "read") + buf(1, "Wt", "read") + buf(2, "Bias", "read") + buf(3, "Y", "rw") + buf(4, "Add", "read") + buf(5, "Sc", "read") + buf(6, "Sh", "read"),
  7,
  GEOMETRY + `
fn loadA(z: u32, m: u32, k: u32) -> f32 { return Wt[m * pu(2u) + k]; }
fn loadB(z: u32, k: u32, n: u32) -> f32 {
  let g = geo();
  let ci = k / 9u; let r = k % 9u;
  let hw = g.Ho * g.Wo;
  let i = xTap(g, n / hw, ci, r, n % hw);
  if (i == PAD) { return 0.0; }
  var v = X[i];
  let pre = pu(14u);
  if (pre == 2u) { v = silu(v); }
  if (pre != 0u) { v = v * Sc[ci] + Sh[ci]; }
  return v;
}
fn store(z: u32, m: u32, n: u32, v: f32) {
  let g = geo();
  let hw = g.Ho * g.Wo;
  let b = n / hw; let p = n % hw;
  var y = v;
  if (pu(12u) != 0u) { y = Bias[m] + v; }
  let o = (b * g.Cout + m) * hw + p;
  let mode = pu(13u);
  if (mode == 1u) { y += Add[o]; }
  if (mode == 2u) { y += Add[b * g.Cout + m]; }
  Y[o] = y;
}
`,
);

/** Input gradient: M = Cin, N = B·H·W, K = Cout·9 (dy gathered at the taps that reach each input). */
export const CONV_DX = gemm(buf(0, "Wt", "read") + buf(1, "DY", "read") + buf(2, "DX", "rw"), 3, GEOMETRY + `
fn loadA(z: u32, m: u32, k: u32) -> f32 {
  let g = geo();
  return Wt[((k / 9u) * g.Cin + m) * 9u + k % 9u];
}
fn loadB(z: u32, k: u32, n: u32) -> f32 {
  let g = geo();
  let co = k / 9u; let r = k % 9u;
  let hw = g.H * g.W;
  let b = n / hw; let p = n % hw;
  let th = i32(p / g.W) + 1 - i32(r / 3u);
  let tw = i32(p % g.W) + 1 - i32(r % 3u);
  let s = i32(g.s);
  if (th < 0 || tw < 0 || th % s != 0 || tw % s != 0) { return 0.0; }
  let oh = u32(th / s); let ow = u32(tw / s);
  if (oh >= g.Ho || ow >= g.Wo) { return 0.0; }
  return DY[((b * g.Cout + co) * g.Ho + oh) * g.Wo + ow];
}
fn store(z: u32, m: u32, n: u32, v: f32) {
  let g = geo();
  let hw = g.H * g.W;
  DX[((n / hw) * g.Cin + m) * hw + n % hw] = v;
}
`);

/** Weight gradient: M = Cout, N = Cin·9, K = B·Ho·Wo split over z; Part[z, m, n] holds each split's sum. */
export const CONV_DW = gemm(buf(0, "X", "read") + buf(1, "DY", "read") + buf(2, "Part", "rw"), 3, GEOMETRY + `
fn loadA(z: u32, m: u32, k: u32) -> f32 {
  let g = geo();
  let hw = g.Ho * g.Wo;
  return DY[((k / hw) * g.Cout + m) * hw + k % hw];
}
fn loadB(z: u32, k: u32, n: u32) -> f32 {
  let g = geo();
  let ci = n / 9u; let r = n % 9u;
  let hw = g.Ho * g.Wo;
  let i = xTap(g, k / hw, ci, r, k % hw);
  if (i == PAD) { return 0.0; }
  return X[i];
}
fn store(z: u32, m: u32, n: u32, v: f32) {
  Part[(z * pu(0u) + m) * pu(1u) + n] = v;
}
`);
