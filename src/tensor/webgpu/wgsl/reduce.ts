// WGSL for the reductions: sum over axes, and train-mode BatchNorm forward and backward. One
// workgroup per output value (per channel for BatchNorm); its 256 invocations stride over the reduced
// elements and combine their partial sums in workgroup memory.
import { buf, params } from "./common.js";

/** Tree-sums `red` (256 partial sums) into red[0]; every invocation must call it. */
const TREE = `
var<workgroup> red: array<f32, 256>;
fn treeSum(t: u32, v: f32) -> f32 {
  red[t] = v;
  workgroupBarrier();
  for (var s = 128u; s > 0u; s = s >> 1u) {
    if (t < s) { red[t] += red[t + s]; }
    workgroupBarrier();
  }
  let total = red[0];
  workgroupBarrier();
  return total;
}
`;

/** The workgroup's flat index on an x × y grid of workgroups. */
const WG_INDEX = `@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) l: vec3u) {
  let o = wg.x + wg.y * nwg.x;
  let t = l.x;`;

/**
 * params: outSize, R (reduced count), keptRank, redRank, keptSize[8], keptStride[8], redSize[8],
 * redStride[8]: output o and reduced index r decompose over the kept and reduced dims (row-major).
 */
export const SUM = buf(0, "X", "read") + buf(1, "O", "rw") + params(2) + TREE + WG_INDEX + `
  let valid = o < pu(0u);
  var base = 0u;
  var q = o;
  for (var d = i32(pu(2u)) - 1; d >= 0; d--) {
    let size = pu(4u + u32(d));
    base += (q % size) * pu(12u + u32(d)); q = q / size;
  }
  var acc = 0.0;
  let R = pu(1u);
  if (valid) {
    for (var r = t; r < R; r += 256u) {
      var off = base; var k = r;
      for (var d = i32(pu(3u)) - 1; d >= 0; d--) {
        let size = pu(20u + u32(d));
        off += (k % size) * pu(28u + u32(d)); k = k / size;
      }
      acc += X[off];
    }
  }
  let total = treeSum(t, acc);
  if (valid && t == 0u) { O[o] = total; }
}
`;

/** params: C, B, HW, eps (f32). Two passes over the channel (mean, then the biased variance), then y. */
export const BN_FORWARD = buf(0, "X", "read") + buf(1, "G", "read") + buf(2, "Bt", "read") + buf(3, "Y", "rw") + buf(4, "Mean", "rw") + buf(5, "Var", "rw") + buf(6, "Inv", "rw") + params(7) + TREE + WG_INDEX + `
  let C = pu(0u); let B = pu(1u); let HW = pu(2u);
  let c = o;
  let n = B * HW;
  var s = 0.0;
  for (var j = t; j < n; j += 256u) { s += X[((j / HW) * C + c) * HW + j % HW]; }
  let mu = treeSum(t, s) / f32(n);
  var q = 0.0;
  for (var j = t; j < n; j += 256u) { let d = X[((j / HW) * C + c) * HW + j % HW] - mu; q += d * d; }
  let v = treeSum(t, q) / f32(n);
  let inv = 1.0 / sqrt(v + pf(3u));
  if (t == 0u) { Mean[c] = mu; Var[c] = v; Inv[c] = inv; }
  for (var j = t; j < n; j += 256u) {
    let k = ((j / HW) * C + c) * HW + j % HW;
    Y[k] = (X[k] - mu) * inv * G[c] + Bt[c];
  }
}
`;

/** params: C, B, HW. Sums dy and dy·x̂ over the channel, then dx, dγ and dβ. */
export const BN_BACKWARD = buf(0, "X", "read") + buf(1, "DY", "read") + buf(2, "G", "read") + buf(3, "Mean", "read") + buf(4, "Inv", "read") + buf(5, "DX", "rw") + buf(6, "DG", "rw") + buf(7, "DB", "rw") + params(8) + TREE + WG_INDEX + `
  let C = pu(0u); let B = pu(1u); let HW = pu(2u);
  let c = o;
  let n = B * HW;
  let mu = Mean[c]; let inv = Inv[c];
  var sdy = 0.0; var sdyx = 0.0;
  for (var j = t; j < n; j += 256u) {
    let k = ((j / HW) * C + c) * HW + j % HW;
    sdy += DY[k]; sdyx += DY[k] * (X[k] - mu) * inv;
  }
  let a = treeSum(t, sdy);
  let b = treeSum(t, sdyx);
  if (t == 0u) { DG[c] = b; DB[c] = a; }
  let nf = f32(n);
  let scale = G[c] * inv / nf;
  for (var j = t; j < n; j += 256u) {
    let k = ((j / HW) * C + c) * HW + j % HW;
    let xh = (X[k] - mu) * inv;
    DX[k] = scale * (nf * DY[k] - a - xh * b);
  }
}
`;
