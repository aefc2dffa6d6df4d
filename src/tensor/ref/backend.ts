// The reference backend: plain, slow TypeScript loops, accumulating in float64 where it sums.
// It is the specification the WebAssembly backend is tested against.
import type { ConvPre, Backend, BinaryOp, UnaryOp, AdamHyper } from "../backend.js";
import type { Heap } from "../heap.js";
import type { Tensor } from "../tensor.js";
import { stridesOf, broadcastStrides } from "./strides.js";

const UNARY: Record<UnaryOp, (x: number) => number> = {
  neg: (x) => -x,
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  sin: Math.sin,
  cos: Math.cos,
  square: (x) => x * x,
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  silu: (x) => x / (1 + Math.exp(-x)),
};

const BINARY: Record<BinaryOp, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
};

export class RefBackend implements Backend {
  readonly name = "ref" as const;
  constructor(private readonly heap: Heap) {}

  private f(t: Tensor): Float32Array {
    const p = t.ptr >>> 2;
    return this.heap.f32.subarray(p, p + t.size);
  }
  private i(t: Tensor): Int32Array {
    const p = t.ptr >>> 2;
    return this.heap.i32.subarray(p, p + t.size);
  }

  binary(op: BinaryOp, a: Tensor, b: Tensor, out: Tensor): void {
    const fn = BINARY[op];
    const A = this.f(a), B = this.f(b), O = this.f(out);
    const shape = out.shape;
    const sa = broadcastStrides(a.shape, shape), sb = broadcastStrides(b.shape, shape);
    const idx = new Array<number>(shape.length).fill(0);
    let ia = 0, ib = 0;
    for (let k = 0; k < out.size; k++) {
      O[k] = fn(A[ia]!, B[ib]!);
      for (let d = shape.length - 1; d >= 0; d--) {
        idx[d]!++;
        ia += sa[d]!;
        ib += sb[d]!;
        if (idx[d]! < shape[d]!) break;
        ia -= sa[d]! * shape[d]!;
        ib -= sb[d]! * shape[d]!;
        idx[d] = 0;
      }
    }
  }

  unary(op: UnaryOp, x: Tensor, out: Tensor): void {
    const fn = UNARY[op];
    const X = this.f(x), O = this.f(out);
    for (let k = 0; k < X.length; k++) O[k] = fn(X[k]!);
  }

  affine(x: Tensor, scale: number, shift: number, out: Tensor): void {
    const X = this.f(x), O = this.f(out);
    for (let k = 0; k < X.length; k++) O[k] = X[k]! * scale + shift;
  }

  channelAffine(x: Tensor, scale: Tensor, shift: Tensor, out: Tensor, silu: boolean): void {
    this.channelAffineInto(x, scale, shift, silu, this.f(out));
  }

  /** O[b, c, …] = act(x[b, c, …])·scale[c] + shift[c], into any f32 array of x's size. */
  private channelAffineInto(x: Tensor, scale: Tensor, shift: Tensor, silu: boolean, O: Float32Array): void {
    const X = this.f(x), S = this.f(scale), H = this.f(shift);
    const C = x.shape[1]!, inner = x.size / (x.shape[0]! * C);
    for (let k = 0; k < X.length; k++) {
      const c = Math.floor(k / inner) % C;
      const v = X[k]!;
      const a = silu ? Math.fround(v / (1 + Math.exp(-v))) : v;
      O[k] = Math.fround(a * S[c]!) + H[c]!;
    }
  }

  siluBackward(x: Tensor, dy: Tensor, dx: Tensor): void {
    const X = this.f(x), G = this.f(dy), O = this.f(dx);
    for (let k = 0; k < X.length; k++) {
      const s = 1 / (1 + Math.exp(-X[k]!));
      O[k] = G[k]! * s * (1 + X[k]! * (1 - s));
    }
  }

  sum(x: Tensor, axes: readonly number[], out: Tensor): void {
    const X = this.f(x), O = this.f(out);
    const shape = x.shape;
    const keptStrides = new Array<number>(shape.length).fill(0);
    let acc = 1;
    for (let d = shape.length - 1; d >= 0; d--) {
      if (!axes.includes(d)) {
        keptStrides[d] = acc;
        acc *= shape[d]!;
      }
    }
    const tmp = new Float64Array(out.size);
    const xs = stridesOf(shape);
    for (let k = 0; k < x.size; k++) {
      let o = 0;
      for (let d = 0; d < shape.length; d++) o += Math.floor(k / xs[d]!) % shape[d]! * keptStrides[d]!;
      tmp[o]! += X[k]!;
    }
    O.set(tmp);
  }

  matmul(a: Tensor, b: Tensor, out: Tensor, transA: boolean, transB: boolean): void {
    const A = this.f(a), B = this.f(b), O = this.f(out);
    const ra = a.rank, rb = b.rank;
    const M = out.shape[out.rank - 2]!, N = out.shape[out.rank - 1]!;
    const K = transA ? a.shape[ra - 2]! : a.shape[ra - 1]!;
    const batch = out.size / (M * N);
    const bShared = rb === 2;
    for (let p = 0; p < batch; p++) {
      const ao = p * M * K, bo = bShared ? 0 : p * K * N, oo = p * M * N;
      for (let i = 0; i < M; i++) {
        for (let j = 0; j < N; j++) {
          let s = 0;
          for (let k = 0; k < K; k++) {
            const av = transA ? A[ao + k * M + i]! : A[ao + i * K + k]!;
            const bv = transB ? B[bo + j * K + k]! : B[bo + k * N + j]!;
            s += av * bv;
          }
          O[oo + i * N + j] = s;
        }
      }
    }
  }

  conv2d(x: Tensor, w: Tensor, bias: Tensor | null, y: Tensor, stride: number, addend: Tensor | null, pre: ConvPre | null): void {
    let X = this.f(x);
    if (pre) {
      // the spec: the transformed input as its own f32 array, then the plain convolution
      X = new Float32Array(x.size);
      this.channelAffineInto(x, pre.scale, pre.shift, pre.silu, X);
    }
    this.conv2dOnly(X, x.shape, w, bias, y, stride);
    if (addend) this.binary("add", y, addend, y);
  }

  private conv2dOnly(X: Float32Array, xShape: readonly number[], w: Tensor, bias: Tensor | null, y: Tensor, stride: number): void {
    const Wt = this.f(w), Y = this.f(y), Bi = bias ? this.f(bias) : null;
    const [B, Cin, H, W] = xShape as [number, number, number, number];
    const [, Cout, Ho, Wo] = y.shape as [number, number, number, number];
    for (let b = 0; b < B; b++)
      for (let co = 0; co < Cout; co++)
        for (let oh = 0; oh < Ho; oh++)
          for (let ow = 0; ow < Wo; ow++) {
            let s = Bi ? Bi[co]! : 0;
            for (let ci = 0; ci < Cin; ci++)
              for (let kh = 0; kh < 3; kh++) {
                const ih = oh * stride + kh - 1;
                if (ih < 0 || ih >= H) continue;
                for (let kw = 0; kw < 3; kw++) {
                  const iw = ow * stride + kw - 1;
                  if (iw < 0 || iw >= W) continue;
                  s += X[((b * Cin + ci) * H + ih) * W + iw]! * Wt[((co * Cin + ci) * 3 + kh) * 3 + kw]!;
                }
              }
            Y[((b * Cout + co) * Ho + oh) * Wo + ow] = s;
          }
  }

  conv2dBackward(x: Tensor, w: Tensor, dy: Tensor, dx: Tensor | null, dw: Tensor, db: Tensor | null, stride: number): void {
    const X = this.f(x), Wt = this.f(w), G = this.f(dy);
    const [B, Cin, H, W] = x.shape as [number, number, number, number];
    const [, Cout, Ho, Wo] = dy.shape as [number, number, number, number];
    const DX = dx ? new Float64Array(dx.size) : null;
    const DW = new Float64Array(dw.size);
    const DB = new Float64Array(Cout);
    for (let b = 0; b < B; b++)
      for (let co = 0; co < Cout; co++)
        for (let oh = 0; oh < Ho; oh++)
          for (let ow = 0; ow < Wo; ow++) {
            const g = G[((b * Cout + co) * Ho + oh) * Wo + ow]!;
            DB[co]! += g;
            for (let ci = 0; ci < Cin; ci++)
              for (let kh = 0; kh < 3; kh++) {
                const ih = oh * stride + kh - 1;
                if (ih < 0 || ih >= H) continue;
                for (let kw = 0; kw < 3; kw++) {
                  const iw = ow * stride + kw - 1;
                  if (iw < 0 || iw >= W) continue;
                  const xi = ((b * Cin + ci) * H + ih) * W + iw;
                  const wi = ((co * Cin + ci) * 3 + kh) * 3 + kw;
                  DW[wi]! += g * X[xi]!;
                  if (DX) DX[xi]! += g * Wt[wi]!;
                }
              }
          }
    this.f(dw).set(DW);
    if (db) this.f(db).set(DB);
    if (dx && DX) this.f(dx).set(DX);
  }

  upsample2x(x: Tensor, y: Tensor): void {
    const X = this.f(x), Y = this.f(y);
    const [N, C, H, W] = x.shape as [number, number, number, number];
    const taps = (n: number) => (o: number): [number, number, number] => {
      const src = Math.max((o + 0.5) / 2 - 0.5, 0);
      const i0 = Math.floor(src);
      const i1 = Math.min(i0 + 1, n - 1);
      return [i0, i1, src - i0];
    };
    const th = taps(H), tw = taps(W);
    for (let p = 0; p < N * C; p++)
      for (let oh = 0; oh < 2 * H; oh++) {
        const [h0, h1, lh] = th(oh);
        for (let ow = 0; ow < 2 * W; ow++) {
          const [w0, w1, lw] = tw(ow);
          const base = p * H * W;
          const v =
            (1 - lh) * ((1 - lw) * X[base + h0 * W + w0]! + lw * X[base + h0 * W + w1]!) +
            lh * ((1 - lw) * X[base + h1 * W + w0]! + lw * X[base + h1 * W + w1]!);
          Y[(p * 2 * H + oh) * 2 * W + ow] = v;
        }
      }
  }

  upsample2xBackward(dy: Tensor, dx: Tensor): void {
    const G = this.f(dy);
    const [N, C, H, W] = dx.shape as [number, number, number, number];
    const D = new Float64Array(dx.size);
    const taps = (n: number, o: number): [number, number, number] => {
      const src = Math.max((o + 0.5) / 2 - 0.5, 0);
      const i0 = Math.floor(src);
      return [i0, Math.min(i0 + 1, n - 1), src - i0];
    };
    for (let p = 0; p < N * C; p++)
      for (let oh = 0; oh < 2 * H; oh++) {
        const [h0, h1, lh] = taps(H, oh);
        for (let ow = 0; ow < 2 * W; ow++) {
          const [w0, w1, lw] = taps(W, ow);
          const g = G[(p * 2 * H + oh) * 2 * W + ow]!;
          const base = p * H * W;
          D[base + h0 * W + w0]! += (1 - lh) * (1 - lw) * g;
          D[base + h0 * W + w1]! += (1 - lh) * lw * g;
          D[base + h1 * W + w0]! += lh * (1 - lw) * g;
          D[base + h1 * W + w1]! += lh * lw * g;
        }
      }
    this.f(dx).set(D);
  }

  bnTrain(x: Tensor, gamma: Tensor, beta: Tensor, y: Tensor, mean: Tensor, varb: Tensor, invstd: Tensor, eps: number): void {
    const X = this.f(x), Y = this.f(y), G = this.f(gamma), Bt = this.f(beta);
    const [B, C] = x.shape as [number, number];
    const HW = x.size / (B * C);
    const n = B * HW;
    for (let c = 0; c < C; c++) {
      let s = 0;
      for (let b = 0; b < B; b++) for (let i = 0; i < HW; i++) s += X[(b * C + c) * HW + i]!;
      const mu = s / n;
      let q = 0;
      for (let b = 0; b < B; b++) for (let i = 0; i < HW; i++) q += (X[(b * C + c) * HW + i]! - mu) ** 2;
      const v = q / n;
      const is = 1 / Math.sqrt(v + eps);
      this.f(mean)[c] = mu;
      this.f(varb)[c] = v;
      this.f(invstd)[c] = is;
      for (let b = 0; b < B; b++)
        for (let i = 0; i < HW; i++) {
          const k = (b * C + c) * HW + i;
          Y[k] = (X[k]! - mu) * is * G[c]! + Bt[c]!;
        }
    }
  }

  bnTrainBackward(x: Tensor, dy: Tensor, gamma: Tensor, mean: Tensor, invstd: Tensor, dx: Tensor, dgamma: Tensor, dbeta: Tensor): void {
    const X = this.f(x), D = this.f(dy), G = this.f(gamma), M = this.f(mean), IS = this.f(invstd), DX = this.f(dx);
    const [B, C] = x.shape as [number, number];
    const HW = x.size / (B * C);
    const n = B * HW;
    for (let c = 0; c < C; c++) {
      let sdy = 0, sdyx = 0;
      for (let b = 0; b < B; b++)
        for (let i = 0; i < HW; i++) {
          const k = (b * C + c) * HW + i;
          sdy += D[k]!;
          sdyx += D[k]! * (X[k]! - M[c]!) * IS[c]!;
        }
      this.f(dgamma)[c] = sdyx;
      this.f(dbeta)[c] = sdy;
      for (let b = 0; b < B; b++)
        for (let i = 0; i < HW; i++) {
          const k = (b * C + c) * HW + i;
          const xh = (X[k]! - M[c]!) * IS[c]!;
          DX[k] = (G[c]! * IS[c]! / n) * (n * D[k]! - sdy - xh * sdyx);
        }
    }
  }

  embedding(weight: Tensor, idx: Tensor, out: Tensor): void {
    const Wt = this.f(weight), I = this.i(idx), O = this.f(out);
    const D = weight.shape[1]!;
    for (let r = 0; r < I.length; r++) O.set(Wt.subarray(I[r]! * D, I[r]! * D + D), r * D);
  }

  embeddingBackward(idx: Tensor, gy: Tensor, gw: Tensor): void {
    const I = this.i(idx), G = this.f(gy), O = this.f(gw);
    const D = gw.shape[1]!;
    O.fill(0);
    for (let r = 0; r < I.length; r++) for (let d = 0; d < D; d++) O[I[r]! * D + d]! += G[r * D + d]!;
  }

  permute(x: Tensor, perm: readonly number[], out: Tensor): void {
    const X = this.f(x), O = this.f(out);
    const xs = stridesOf(x.shape);
    const os = out.shape;
    const src = perm.map((p) => xs[p]!);
    const idx = new Array<number>(os.length).fill(0);
    let s = 0;
    for (let k = 0; k < out.size; k++) {
      O[k] = X[s]!;
      for (let d = os.length - 1; d >= 0; d--) {
        idx[d]!++;
        s += src[d]!;
        if (idx[d]! < os[d]!) break;
        s -= src[d]! * os[d]!;
        idx[d] = 0;
      }
    }
  }

  concat(xs: readonly Tensor[], axis: number, out: Tensor): void {
    const O = this.f(out);
    const outer = out.shape.slice(0, axis).reduce((a, b) => a * b, 1);
    const inner = out.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
    const total = out.shape[axis]! * inner;
    let off = 0;
    for (const x of xs) {
      const X = this.f(x);
      const chunk = x.shape[axis]! * inner;
      for (let o = 0; o < outer; o++) O.set(X.subarray(o * chunk, o * chunk + chunk), o * total + off);
      off += chunk;
    }
  }

  slice(x: Tensor, starts: readonly number[], out: Tensor): void {
    this.window(x, out, starts, "read");
  }

  pad(x: Tensor, before: readonly number[], value: number, out: Tensor): void {
    this.f(out).fill(value);
    this.window(out, x, before, "write");
  }

  /** Copies between `small` and the window of `big` at `starts` (read: big→small, write: small→big). */
  private window(big: Tensor, small: Tensor, starts: readonly number[], dir: "read" | "write"): void {
    const Bg = this.f(big), S = this.f(small);
    const bs = stridesOf(big.shape);
    const sh = small.shape;
    const idx = new Array<number>(sh.length).fill(0);
    let b = starts.reduce((acc, s, d) => acc + s * bs[d]!, 0);
    for (let k = 0; k < small.size; k++) {
      if (dir === "read") S[k] = Bg[b]!;
      else Bg[b] = S[k]!;
      for (let d = sh.length - 1; d >= 0; d--) {
        idx[d]!++;
        b += bs[d]!;
        if (idx[d]! < sh[d]!) break;
        b -= bs[d]! * sh[d]!;
        idx[d] = 0;
      }
    }
  }

  copy(x: Tensor, out: Tensor): void {
    const from = x.ptr;
    this.heap.u8.copyWithin(out.ptr, from, from + x.size * 4);
  }

  adam(p: Tensor, g: Tensor, m: Tensor, v: Tensor, h: AdamHyper): void {
    const P = this.f(p), G = this.f(g), Mm = this.f(m), V = this.f(v);
    const f = Math.fround;
    const b1 = f(h.beta1), b2 = f(h.beta2);
    const bc1 = f(1 - h.beta1 ** h.step), bc2s = f(Math.sqrt(1 - h.beta2 ** h.step));
    const step = f(f(h.lr) / bc1);
    for (let k = 0; k < P.length; k++) {
      const gi = G[k]!;
      const mi = f(f(b1 * Mm[k]!) + f(f(1 - b1) * gi));
      const vi = f(f(b2 * V[k]!) + f(f(f(1 - b2) * gi) * gi));
      Mm[k] = mi;
      V[k] = vi;
      P[k] = f(P[k]! - f(f(step * mi) / f(f(f(Math.sqrt(vi)) / bc2s) + f(h.eps))));
    }
  }
}
