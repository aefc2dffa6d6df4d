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

export function upsample2x_task(task: i32, nTasks: i32, x: usize, y: usize, P: i32, H: i32, W: i32): void {
  const p0 = (P * task) / nTasks, p1 = (P * (task + 1)) / nTasks;
  const W2 = 2 * W, H2 = 2 * H;
  for (let p = p0; p < p1; p++) {
    const xb = x + <usize>(p * H * W) * 4, yb = y + <usize>(p * H2 * W2) * 4;
    for (let oh = 0; oh < H2; oh++) {
      const h0 = lo(oh), h1 = min(h0 + 1, H - 1), lh = frac(oh);
      const r0 = xb + <usize>(h0 * W) * 4, r1 = xb + <usize>(h1 * W) * 4;
      for (let ow = 0; ow < W2; ow++) {
        const w0 = lo(ow), w1 = min(w0 + 1, W - 1), lw = frac(ow);
        const top = (<f32>1 - lw) * load<f32>(r0 + <usize>w0 * 4) + lw * load<f32>(r0 + <usize>w1 * 4);
        const bot = (<f32>1 - lw) * load<f32>(r1 + <usize>w0 * 4) + lw * load<f32>(r1 + <usize>w1 * 4);
        store<f32>(yb + <usize>(oh * W2 + ow) * 4, (<f32>1 - lh) * top + lh * bot);
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
