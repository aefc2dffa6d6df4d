// Bilinear ×2 upsampling (align_corners=False) forward and backward; tasks split the N·C planes.
// Source coordinate of output o: max((o + 0.5)/2 − 0.5, 0); right/bottom neighbour clamped.

// @ts-ignore: decorator
@inline
function lo(o: i32): i32 {
  return o == 0 ? 0 : (o - 1) >> 1;
}
// @ts-ignore: decorator
@inline
function frac(o: i32): f32 {
  // o = 0 → 0; odd o → 0.25; even o > 0 → 0.75
  return o == 0 ? 0 : (o & 1) ? <f32>0.25 : <f32>0.75;
}

/** Floats of scratch one upsample2x task needs: one blended row with a replicated border. */
export function upsample2x_scratch_floats(W: i32): i32 {
  return ((W + 2 + 3) & ~3) + 4;
}

/**
 * y = bilinear ×2 upsampling of x (P planes of H×W). Per output row: blend the two source rows into a
 * bordered temp row (SIMD), then each 4 source columns give 8 outputs: even = ¼·left + ¾·centre,
 * odd = ¾·centre + ¼·right, interleaved by shuffles. The border copies make the edge outputs exact.
 */
export function upsample2x_task(task: i32, nTasks: i32, x: usize, y: usize, P: i32, H: i32, W: i32, scratch: usize): void {
  const p0 = (P * task) / nTasks, p1 = (P * (task + 1)) / nTasks;
  const W2 = 2 * W, H2 = 2 * H;
  const tmp = scratch + <usize>(task * upsample2x_scratch_floats(W)) * 4 + 4; // tmp[−1] is valid
  const q = f32x4.splat(0.25), tq = f32x4.splat(0.75);
  for (let p = p0; p < p1; p++) {
    const xb = x + <usize>(p * H * W) * 4, yb = y + <usize>(p * H2 * W2) * 4;
    for (let oh = 0; oh < H2; oh++) {
      const h0 = lo(oh), h1 = min(h0 + 1, H - 1), lh = frac(oh);
      const r0 = xb + <usize>(h0 * W) * 4, r1 = xb + <usize>(h1 * W) * 4;
      const a = f32x4.splat(<f32>1 - lh), b = f32x4.splat(lh);
      let c = 0;
      for (; c + 4 <= W; c += 4) {
        const o = <usize>c * 4;
        v128.store(tmp + o, f32x4.add(f32x4.mul(a, v128.load(r0 + o)), f32x4.mul(b, v128.load(r1 + o))));
      }
      for (; c < W; c++) {
        const o = <usize>c * 4;
        store<f32>(tmp + o, (<f32>1 - lh) * load<f32>(r0 + o) + lh * load<f32>(r1 + o));
      }
      store<f32>(tmp - 4, load<f32>(tmp));
      store<f32>(tmp + <usize>W * 4, load<f32>(tmp + <usize>(W - 1) * 4));
      const yr = yb + <usize>(oh * W2) * 4;
      c = 0;
      for (; c + 4 <= W; c += 4) {
        const o = <usize>c * 4;
        const m = v128.load(tmp + o), l = v128.load(tmp + o - 4), r = v128.load(tmp + o + 4);
        const even = f32x4.add(f32x4.mul(q, l), f32x4.mul(tq, m)), odd = f32x4.add(f32x4.mul(tq, m), f32x4.mul(q, r));
        v128.store(yr + o * 2, i32x4.shuffle(even, odd, 0, 4, 1, 5));
        v128.store(yr + o * 2, i32x4.shuffle(even, odd, 2, 6, 3, 7), 16);
      }
      for (; c < W; c++) {
        const o = <usize>c * 4;
        const m = load<f32>(tmp + o);
        store<f32>(yr + o * 2, <f32>0.25 * load<f32>(tmp + o - 4) + <f32>0.75 * m);
        store<f32>(yr + o * 2 + 4, <f32>0.75 * m + <f32>0.25 * load<f32>(tmp + o + 4));
      }
    }
  }
}

export function upsample2x_bwd_task(task: i32, nTasks: i32, dy: usize, dx: usize, P: i32, H: i32, W: i32): void {
  const p0 = (P * task) / nTasks, p1 = (P * (task + 1)) / nTasks;
  const W2 = 2 * W, H2 = 2 * H;
  for (let p = p0; p < p1; p++) {
    const xb = dx + <usize>(p * H * W) * 4, gb = dy + <usize>(p * H2 * W2) * 4;
    memory.fill(xb, 0, <usize>(H * W) * 4);
    for (let oh = 0; oh < H2; oh++) {
      const h0 = lo(oh), h1 = min(h0 + 1, H - 1), lh = frac(oh);
      const r0 = xb + <usize>(h0 * W) * 4, r1 = xb + <usize>(h1 * W) * 4;
      for (let ow = 0; ow < W2; ow++) {
        const w0 = lo(ow), w1 = min(w0 + 1, W - 1), lw = frac(ow);
        const g = load<f32>(gb + <usize>(oh * W2 + ow) * 4);
        const gt = (<f32>1 - lh) * g, gm = lh * g;
        store<f32>(r0 + <usize>w0 * 4, load<f32>(r0 + <usize>w0 * 4) + (<f32>1 - lw) * gt);
        store<f32>(r0 + <usize>w1 * 4, load<f32>(r0 + <usize>w1 * 4) + lw * gt);
        store<f32>(r1 + <usize>w0 * 4, load<f32>(r1 + <usize>w0 * 4) + (<f32>1 - lw) * gm);
        store<f32>(r1 + <usize>w1 * 4, load<f32>(r1 + <usize>w1 * 4) + lw * gm);
      }
    }
  }
}
