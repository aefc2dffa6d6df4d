// The weight gradient of a stride-1 3×3 convolution by Winograd: differentiating
// y = Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A gives dW = Gᵀ[Σ_tiles (A dY Aᵀ) ⊙ (Bᵀ d B)]G, so the sum over
// tiles is 36 GEMMs (Cout × Cin, contracting over tiles) on the forward's input transform.
import { micro } from "./gemm";
import { ceil4, round8, blockImages, PLANE_PAD, copyRows, inputTransform4 } from "./winograd";
import { sumF32 } from "./elementwise";

// @ts-ignore: decorator
@inline
function round4(n: i32): i32 {
  return (n + 3) & ~3;
}

/** Bytes of scratch one weight-gradient task needs. */
export function conv2d_winograd_dw_scratch_bytes(Cin: i32, Cout: i32, H: i32, W: i32): i32 {
  const nb = blockImages(H, W);
  const Ht = ceil4(H), Wt = ceil4(W);
  const Pp = round4(nb * Ht * Wt);
  const Wp = 4 * Wt + 4, Hp = 4 * Ht + 2, Wd = 4 * Wt;
  const cin8 = round8(Cin), cout4 = round4(Cout);
  const floats = 36 * (cin8 * Pp + PLANE_PAD) + 36 * (cout4 * Pp + PLANE_PAD) + 36 * cout4 * cin8
    + nb * Hp * Wp + nb * 4 * Ht * Wd + (6 * Wp + 8) + 80 * 4 + 2 * Pp;
  return floats * 4 + 64;
}

// A (6×4) applied to (d0..d3): the six outputs of the output-gradient transform.
// @ts-ignore: decorator
@inline
function a6(d0: v128, d1: v128, d2: v128, d3: v128, out: usize, stride: usize): void {
  const s02 = f32x4.add(d0, d2), s13 = f32x4.add(d1, d3);
  const q0 = f32x4.add(d0, f32x4.mul(f32x4.splat(4), d2)); // d0 + 4 d2
  const q1 = f32x4.add(f32x4.mul(f32x4.splat(2), d1), f32x4.mul(f32x4.splat(8), d3)); // 2 d1 + 8 d3
  v128.store(out, d0);
  v128.store(out + stride, f32x4.add(s02, s13));
  v128.store(out + 2 * stride, f32x4.sub(s02, s13));
  v128.store(out + 3 * stride, f32x4.add(q0, q1));
  v128.store(out + 4 * stride, f32x4.sub(q0, q1));
  v128.store(out + 5 * stride, d3);
}

/**
 * The 36 transformed vectors at E2 (lanes = 4 consecutive tiles) into GEMM panels whose k is the tile:
 * vector ξν goes to base + ξν·plane, its lane l to + l·laneStride bytes (the panel's row width).
 */
// @ts-ignore: decorator
@inline
function scatterTiles(E2: usize, base: usize, plane: usize, laneStride: usize): void {
  for (let k = 0; k < 36; k++) {
    const v = v128.load(E2 + <usize>k * 16);
    const d = base + <usize>k * plane;
    store<f32>(d, f32x4.extract_lane(v, 0));
    store<f32>(d + laneStride, f32x4.extract_lane(v, 1));
    store<f32>(d + 2 * laneStride, f32x4.extract_lane(v, 2));
    store<f32>(d + 3 * laneStride, f32x4.extract_lane(v, 3));
  }
}

// Gᵀ (3×6) applied to (m0..m5).
// @ts-ignore: decorator
@inline
function gt0(m0: f32, m1: f32, m2: f32, m3: f32, m4: f32): f32 {
  return m0 / 4 - (m1 + m2) / 6 + (m3 + m4) / 24;
}
// @ts-ignore: decorator
@inline
function gt1(m1: f32, m2: f32, m3: f32, m4: f32): f32 {
  return (m2 - m1) / 6 + (m3 - m4) / 12;
}
// @ts-ignore: decorator
@inline
function gt2(m1: f32, m2: f32, m3: f32, m4: f32, m5: f32): f32 {
  return (m3 + m4) / 6 - (m1 + m2) / 6 + m5;
}

/**
 * This task's images' share of dW [Cout, Cin, 3, 3] into dwPart[task] and of db [Cout] into
 * dbPart[task]. x [B, Cin, H, W], dy [B, Cout, H, W] (stride 1, padding 1).
 */
export function conv2d_winograd_dw_task(
  task: i32, nTasks: i32,
  x: usize, dy: usize, dwPart: usize, dbPart: usize,
  B: i32, Cin: i32, H: i32, W: i32, Cout: i32, scratch: usize,
): void {
  const b0 = (B * task) / nTasks, b1 = (B * (task + 1)) / nTasks;
  const dw = dwPart + <usize>(task * Cout * Cin * 9) * 4;
  const db = dbPart + <usize>(task * Cout) * 4;
  memory.fill(db, 0, <usize>Cout * 4);
  const HW = H * W;
  for (let b = b0; b < b1; b++) {
    for (let co = 0; co < Cout; co++) {
      const sum = sumF32(dy + <usize>((b * Cout + co) * HW) * 4, HW);
      store<f32>(db + <usize>co * 4, load<f32>(db + <usize>co * 4) + sum);
    }
  }

  const Ht = ceil4(H), Wt = ceil4(W), tpi = Ht * Wt;
  const nbMax = blockImages(H, W);
  const PpMax = round4(nbMax * tpi);
  const Hp = 4 * Ht + 2, Wp = 4 * Wt + 4, Wd = 4 * Wt;
  const cin8 = round8(Cin), cout4 = round4(Cout);
  const my = scratch + <usize>task * <usize>conv2d_winograd_dw_scratch_bytes(Cin, Cout, H, W);
  const VX = (my + 15) & ~(<usize>15); // 36 planes of B panels [ci/8][t][8]
  const QY = VX + <usize>(36 * (cin8 * PpMax + PLANE_PAD)) * 4; // 36 planes of A panels [co/4][t][4]
  const Macc = QY + <usize>(36 * (cout4 * PpMax + PLANE_PAD)) * 4; // 36 × [cout4][cin8]
  const P = Macc + <usize>(36 * cout4 * cin8) * 4; // padded x images of the block
  const D = P + <usize>(nbMax * Hp * Wp) * 4; // dy images of the block, zero past H, W
  const Z = D + <usize>(nbMax * 4 * Ht * Wd) * 4; // a zero tile
  const E = Z + <usize>(6 * Wp + 8) * 4; // 80 vectors of transform temp
  const toff = E + 80 * 16;
  const qoff = toff + <usize>PpMax * 4;
  const vPlane = <usize>(cin8 * PpMax + PLANE_PAD) * 4;
  const qPlane = <usize>(cout4 * PpMax + PLANE_PAD) * 4;
  memory.fill(Z, 0, <usize>(6 * Wp + 8) * 4);
  // lanes past Cin / Cout stay zero in every block
  memory.fill(VX, 0, <usize>36 * vPlane);
  memory.fill(QY, 0, <usize>36 * qPlane);
  memory.fill(Macc, 0, <usize>(36 * cout4 * cin8) * 4);
  const E2 = E + 36 * 16;

  for (let bs = b0; bs < b1; bs += nbMax) {
    const nb = min(nbMax, b1 - bs);
    const Pn = nb * tpi, Pp = round4(Pn);
    for (let p = 0; p < Pp; p++) {
      if (p < Pn) {
        const bl = p / tpi, r = p - bl * tpi, ti = r / Wt, tj = r - ti * Wt;
        store<i32>(toff + <usize>p * 4, (bl * Hp + 4 * ti) * Wp + 4 * tj);
        store<i32>(qoff + <usize>p * 4, <i32>((D - P) >> 2) + (bl * 4 * Ht + 4 * ti) * Wd + 4 * tj);
      } else {
        store<i32>(toff + <usize>p * 4, <i32>((Z - P) >> 2));
        store<i32>(qoff + <usize>p * 4, <i32>((Z - P) >> 2));
      }
    }
    memory.fill(P, 0, <usize>(nb * Hp * Wp) * 4);
    memory.fill(D, 0, <usize>(nb * 4 * Ht * Wd) * 4);

    // x → Bᵀ d B per tile, scattered into B panels (k = tile, 8 channel lanes)
    for (let ci = 0; ci < Cin; ci++) {
      for (let bl = 0; bl < nb; bl++) {
        const src = x + <usize>(((bs + bl) * Cin + ci) * HW) * 4;
        copyRows(src, P + <usize>((bl * Hp + 1) * Wp + 1) * 4, H, W, Wp);
      }
      const lane = <usize>(((ci >> 3) * Pp) * 8 + (ci & 7)) * 4;
      for (let p = 0; p < Pp; p += 4) {
        const a0 = P + <usize>load<i32>(toff + <usize>p * 4) * 4;
        const a1 = P + <usize>load<i32>(toff + <usize>(p + 1) * 4) * 4;
        const a2 = P + <usize>load<i32>(toff + <usize>(p + 2) * 4) * 4;
        const a3 = P + <usize>load<i32>(toff + <usize>(p + 3) * 4) * 4;
        inputTransform4(a0, a1, a2, a3, Wp, E, E2, 16, 96);
        scatterTiles(E2, VX + lane + <usize>(p * 8) * 4, vPlane, 32);
      }
    }

    // dY → A dY Aᵀ per tile, scattered into A panels (k = tile, 4 channel lanes)
    for (let co = 0; co < Cout; co++) {
      for (let bl = 0; bl < nb; bl++) {
        const src = dy + <usize>(((bs + bl) * Cout + co) * HW) * 4;
        copyRows(src, D + <usize>(bl * 4 * Ht * Wd) * 4, H, W, Wd);
      }
      const lane = <usize>(((co >> 2) * Pp) * 4 + (co & 3)) * 4;
      for (let p = 0; p < Pp; p += 4) {
        const a0 = P + <usize>load<i32>(qoff + <usize>p * 4) * 4;
        const a1 = P + <usize>load<i32>(qoff + <usize>(p + 1) * 4) * 4;
        const a2 = P + <usize>load<i32>(qoff + <usize>(p + 2) * 4) * 4;
        const a3 = P + <usize>load<i32>(qoff + <usize>(p + 3) * 4) * 4;
        // rows i of the 4×4 tile: e[i][ν] = A(dY[i][0..3])[ν]
        for (let i = 0; i < 4; i++) {
          const o = <usize>(i * Wd) * 4;
          const v0 = v128.load(a0 + o), v1 = v128.load(a1 + o), v2 = v128.load(a2 + o), v3 = v128.load(a3 + o);
          const t0 = i32x4.shuffle(v0, v1, 0, 4, 1, 5), t1 = i32x4.shuffle(v0, v1, 2, 6, 3, 7);
          const t2 = i32x4.shuffle(v2, v3, 0, 4, 1, 5), t3 = i32x4.shuffle(v2, v3, 2, 6, 3, 7);
          a6(i32x4.shuffle(t0, t2, 0, 1, 4, 5), i32x4.shuffle(t0, t2, 2, 3, 6, 7), i32x4.shuffle(t1, t3, 0, 1, 4, 5), i32x4.shuffle(t1, t3, 2, 3, 6, 7),
            E + <usize>(i * 6) * 16, 16);
        }
        // columns: Q[ξ][ν] = A(e[0..3][ν])[ξ]
        for (let nu = 0; nu < 6; nu++) {
          const e = E + <usize>nu * 16;
          a6(v128.load(e), v128.load(e, 96), v128.load(e, 192), v128.load(e, 288), E2 + <usize>nu * 16, 96);
        }
        scatterTiles(E2, QY + lane + <usize>(p * 4) * 4, qPlane, 16);
      }
    }

    // Macc[ξν] += QY[ξν] · VX[ξν]ᵀ, contracting over this block's tiles
    for (let k = 0; k < 36; k++) {
      const Ak = QY + <usize>k * qPlane, Bk = VX + <usize>k * vPlane, Ck = Macc + <usize>(k * cout4 * cin8) * 4;
      for (let ip = 0; ip < cout4; ip += 4) {
        const pa = Ak + <usize>(ip * Pp) * 4;
        for (let jp = 0; jp < cin8; jp += 8) {
          micro(Pp, pa, Bk + <usize>(jp * Pp) * 4, Ck + <usize>(ip * cin8 + jp) * 4, cin8, true);
        }
      }
    }
  }

  // dW[co][ci] = Gᵀ M G
  const plane = <usize>(cout4 * cin8) * 4;
  for (let co = 0; co < Cout; co++) {
    for (let ci = 0; ci < Cin; ci++) {
      const m = Macc + <usize>(co * cin8 + ci) * 4;
      const out = dw + <usize>((co * Cin + ci) * 9) * 4;
      // t[j][ν] = Gᵀ(m[0..5][ν])[j]
      for (let nu = 0; nu < 6; nu++) {
        const c = m + <usize>nu * plane;
        const m0 = load<f32>(c), m1 = load<f32>(c + 6 * plane), m2 = load<f32>(c + 12 * plane);
        const m3 = load<f32>(c + 18 * plane), m4 = load<f32>(c + 24 * plane), m5 = load<f32>(c + 30 * plane);
        store<f32>(E + <usize>nu * 4, gt0(m0, m1, m2, m3, m4));
        store<f32>(E + <usize>(6 + nu) * 4, gt1(m1, m2, m3, m4));
        store<f32>(E + <usize>(12 + nu) * 4, gt2(m1, m2, m3, m4, m5));
      }
      for (let j = 0; j < 3; j++) {
        const t = E + <usize>(j * 6) * 4;
        const t0 = load<f32>(t), t1 = load<f32>(t, 4), t2 = load<f32>(t, 8), t3 = load<f32>(t, 12), t4 = load<f32>(t, 16), t5 = load<f32>(t, 20);
        store<f32>(out + <usize>(j * 3) * 4, gt0(t0, t1, t2, t3, t4));
        store<f32>(out + <usize>(j * 3 + 1) * 4, gt1(t1, t2, t3, t4));
        store<f32>(out + <usize>(j * 3 + 2) * 4, gt2(t1, t2, t3, t4, t5));
      }
    }
  }
}
