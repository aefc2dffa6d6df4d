// Train-mode BatchNorm2d forward and backward over NCHW; tasks split channels.
// Statistics accumulate in f64; normalisation uses the biased variance, eps given.

/** Writes y, and per channel mean[c], var[c] (biased), invstd[c]. */
export function bn_fwd_task(task: i32, nTasks: i32, x: usize, y: usize, B: i32, C: i32, HW: i32,
  gamma: usize, beta: usize, mean: usize, varb: usize, invstd: usize, eps: f32): void {
  const c0 = (C * task) / nTasks, c1 = (C * (task + 1)) / nTasks;
  const n = <f64>B * <f64>HW;
  for (let c = c0; c < c1; c++) {
    let s: f64 = 0;
    for (let b = 0; b < B; b++) {
      const row = x + <usize>((b * C + c) * HW) * 4;
      let acc = f32x4.splat(0);
      let i = 0;
      for (; i + 4 <= HW; i += 4) acc = f32x4.add(acc, v128.load(row + <usize>i * 4));
      s += <f64>f32x4.extract_lane(acc, 0) + <f64>f32x4.extract_lane(acc, 1) + <f64>f32x4.extract_lane(acc, 2) + <f64>f32x4.extract_lane(acc, 3);
      for (; i < HW; i++) s += <f64>load<f32>(row + <usize>i * 4);
    }
    const mu = s / n;
    let q: f64 = 0;
    for (let b = 0; b < B; b++) {
      const row = x + <usize>((b * C + c) * HW) * 4;
      for (let i = 0; i < HW; i++) { const d = <f64>load<f32>(row + <usize>i * 4) - mu; q += d * d; }
    }
    const vr = q / n;
    const is = 1.0 / Math.sqrt(vr + <f64>eps);
    store<f32>(mean + <usize>c * 4, <f32>mu);
    store<f32>(varb + <usize>c * 4, <f32>vr);
    store<f32>(invstd + <usize>c * 4, <f32>is);
    const g = <f64>load<f32>(gamma + <usize>c * 4);
    const scale = <f32>(g * is);
    const shift = <f32>(<f64>load<f32>(beta + <usize>c * 4) - mu * g * is);
    const sv = f32x4.splat(scale), hv = f32x4.splat(shift);
    for (let b = 0; b < B; b++) {
      const off = <usize>((b * C + c) * HW) * 4;
      const xr = x + off, yr = y + off;
      let i = 0;
      for (; i + 4 <= HW; i += 4) v128.store(yr + <usize>i * 4, f32x4.add(f32x4.mul(v128.load(xr + <usize>i * 4), sv), hv));
      for (; i < HW; i++) store<f32>(yr + <usize>i * 4, load<f32>(xr + <usize>i * 4) * scale + shift);
    }
  }
}

/** dx = γ·invstd/N·(N·dy − Σdy − x̂·Σ(dy·x̂)); dgamma = Σ(dy·x̂); dbeta = Σdy. */
export function bn_bwd_task(task: i32, nTasks: i32, x: usize, dy: usize, dx: usize, B: i32, C: i32, HW: i32,
  gamma: usize, mean: usize, invstd: usize, dgamma: usize, dbeta: usize): void {
  const c0 = (C * task) / nTasks, c1 = (C * (task + 1)) / nTasks;
  const n = <f64>B * <f64>HW;
  for (let c = c0; c < c1; c++) {
    const mu = load<f32>(mean + <usize>c * 4);
    const is = load<f32>(invstd + <usize>c * 4);
    let sdy: f64 = 0, sdyx: f64 = 0;
    for (let b = 0; b < B; b++) {
      const off = <usize>((b * C + c) * HW) * 4;
      for (let i = 0; i < HW; i++) {
        const g = <f64>load<f32>(dy + off + <usize>i * 4);
        sdy += g;
        sdyx += g * <f64>((load<f32>(x + off + <usize>i * 4) - mu) * is);
      }
    }
    store<f32>(dgamma + <usize>c * 4, <f32>sdyx);
    store<f32>(dbeta + <usize>c * 4, <f32>sdy);
    if (dx == 0) continue;
    const k = <f32>(<f64>load<f32>(gamma + <usize>c * 4) * <f64>is);
    const mdy = <f32>(sdy / n), mdyx = <f32>(sdyx / n);
    for (let b = 0; b < B; b++) {
      const off = <usize>((b * C + c) * HW) * 4;
      for (let i = 0; i < HW; i++) {
        const xh = (load<f32>(x + off + <usize>i * 4) - mu) * is;
        store<f32>(dx + off + <usize>i * 4, k * (load<f32>(dy + off + <usize>i * 4) - mdy - xh * mdyx));
      }
    }
  }
}
