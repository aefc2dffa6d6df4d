// Train-mode BatchNorm2d forward and backward over NCHW; tasks split channels.
// Each row (one image's plane) sums in f32x4 lanes; rows and lanes accumulate in f64. Biased variance.

/** Σ lanes of v as f64. */
// @ts-ignore: decorator
@inline
function lanes64(v: v128): f64 {
  return <f64>f32x4.extract_lane(v, 0) + <f64>f32x4.extract_lane(v, 1) + <f64>f32x4.extract_lane(v, 2) + <f64>f32x4.extract_lane(v, 3);
}

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
      s += lanes64(acc);
      for (; i < HW; i++) s += <f64>load<f32>(row + <usize>i * 4);
    }
    const mu = s / n;
    const muf = <f32>mu, muv = f32x4.splat(muf);
    let q: f64 = 0;
    for (let b = 0; b < B; b++) {
      const row = x + <usize>((b * C + c) * HW) * 4;
      let acc = f32x4.splat(0);
      let i = 0;
      for (; i + 4 <= HW; i += 4) {
        const d = f32x4.sub(v128.load(row + <usize>i * 4), muv);
        acc = f32x4.add(acc, f32x4.mul(d, d));
      }
      q += lanes64(acc);
      for (; i < HW; i++) { const d = <f64>load<f32>(row + <usize>i * 4) - mu; q += d * d; }
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
    const muv = f32x4.splat(mu), isv = f32x4.splat(is);
    let sdy: f64 = 0, sdyx: f64 = 0;
    for (let b = 0; b < B; b++) {
      const off = <usize>((b * C + c) * HW) * 4;
      let a1 = f32x4.splat(0), a2 = f32x4.splat(0);
      let i = 0;
      for (; i + 4 <= HW; i += 4) {
        const g = v128.load(dy + off + <usize>i * 4);
        a1 = f32x4.add(a1, g);
        a2 = f32x4.add(a2, f32x4.mul(g, f32x4.mul(f32x4.sub(v128.load(x + off + <usize>i * 4), muv), isv)));
      }
      sdy += lanes64(a1);
      sdyx += lanes64(a2);
      for (; i < HW; i++) {
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
    const kv = f32x4.splat(k), mdyv = f32x4.splat(mdy), mdyxv = f32x4.splat(mdyx);
    for (let b = 0; b < B; b++) {
      const off = <usize>((b * C + c) * HW) * 4;
      let i = 0;
      for (; i + 4 <= HW; i += 4) {
        const o = off + <usize>i * 4;
        const xh = f32x4.mul(f32x4.sub(v128.load(x + o), muv), isv);
        v128.store(dx + o, f32x4.mul(kv, f32x4.sub(f32x4.sub(v128.load(dy + o), mdyv), f32x4.mul(xh, mdyxv))));
      }
      for (; i < HW; i++) {
        const xh = (load<f32>(x + off + <usize>i * 4) - mu) * is;
        store<f32>(dx + off + <usize>i * 4, k * (load<f32>(dy + off + <usize>i * 4) - mdy - xh * mdyx));
      }
    }
  }
}
