// PIL-exact 8-bit bilinear resize (Image.resize(BILINEAR), as torchvision's Resize on PIL images):
// two separable passes, horizontal first, each rounding to uint8 with 22-bit fixed-point weights.

interface Taps {
  start: Int32Array;
  count: Int32Array;
  weights: Int32Array; // [out, maxTaps], fixed point
  maxTaps: number;
}

const PRECISION_BITS = 32 - 8 - 2;

/** Pillow's precompute_coeffs for the bilinear filter (support 1), as fixed-point integers. */
function coefficients(inSize: number, outSize: number): Taps {
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = 1 * filterScale;
  const maxTaps = Math.ceil(support) * 2 + 1;
  const start = new Int32Array(outSize), count = new Int32Array(outSize), weights = new Int32Array(outSize * maxTaps);
  for (let i = 0; i < outSize; i++) {
    const center = (i + 0.5) * scale;
    const ss = 1 / filterScale;
    let xmin = Math.trunc(center - support + 0.5);
    if (xmin < 0) xmin = 0;
    let xmax = Math.trunc(center + support + 0.5);
    if (xmax > inSize) xmax = inSize;
    xmax -= xmin;
    const k = new Float64Array(xmax);
    let ww = 0;
    for (let x = 0; x < xmax; x++) {
      const arg = (x + xmin - center + 0.5) * ss;
      const w = Math.max(0, 1 - Math.abs(arg));
      k[x] = w;
      ww += w;
    }
    for (let x = 0; x < xmax; x++) {
      const v = ww !== 0 ? k[x]! / ww : 0;
      // Pillow: (int)(v * (1 << PRECISION_BITS) + (v < 0 ? -0.5 : 0.5))
      weights[i * maxTaps + x] = Math.trunc(v * (1 << PRECISION_BITS) + (v < 0 ? -0.5 : 0.5));
    }
    start[i] = xmin;
    count[i] = xmax;
  }
  return { start, count, weights, maxTaps };
}

function clip8(v: number): number {
  const r = v >> PRECISION_BITS;
  return r < 0 ? 0 : r > 255 ? 255 : r;
}

/** Resizes one u8 image (rows×cols) to (outH×outW) exactly as Pillow does. */
export function resizeBilinearU8(src: Uint8Array, rows: number, cols: number, outH: number, outW: number, dst = new Uint8Array(outH * outW)): Uint8Array {
  const h = coefficients(cols, outW);
  const v = coefficients(rows, outH);
  const tmp = new Uint8Array(rows * outW);
  const half = 1 << (PRECISION_BITS - 1);
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < outW; x++) {
      let acc = half;
      const s = h.start[x]!, n = h.count[x]!;
      for (let k = 0; k < n; k++) acc += src[y * cols + s + k]! * h.weights[x * h.maxTaps + k]!;
      tmp[y * outW + x] = clip8(acc);
    }
  }
  for (let y = 0; y < outH; y++) {
    const s = v.start[y]!, n = v.count[y]!;
    for (let x = 0; x < outW; x++) {
      let acc = half;
      for (let k = 0; k < n; k++) acc += tmp[(s + k) * outW + x]! * v.weights[y * v.maxTaps + k]!;
      dst[y * outW + x] = clip8(acc);
    }
  }
  return dst;
}
