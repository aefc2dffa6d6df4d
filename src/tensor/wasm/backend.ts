// The wasm backend: WebAssembly SIMD kernels split over the thread pool, with the reference
// backend for the cheap, shape-only kernels, as kernel-table.ts lists. Tests compare every kernel here with ref/.
import type { Backend, BinaryOp, UnaryOp, AdamHyper, ConvPre } from "../backend.js";
import type { Heap } from "../heap.js";
import type { Tensor } from "../tensor.js";
import type { ThreadPool } from "../pool.js";
import { named, type KernelExports } from "../kernel-args.js";
import { BinaryCode, ConvAddend, ConvInput } from "../kernel-abi.js";
import type { RefBackend } from "../ref/backend.js";
import { rowView, sameShape } from "./patterns.js";
import { REFERENCE_METHODS, type ReferenceMethod } from "./kernel-table.js";

const OPCODE: Record<BinaryOp, BinaryCode> = { add: BinaryCode.Add, sub: BinaryCode.Sub, mul: BinaryCode.Mul, div: BinaryCode.Div };
/** The scratch-size exports the backend asks before a call. */
const SIZE_EXPORTS = ["conv2d_im2col_scratch_bytes", "conv2d_winograd_scratch_bytes", "conv2d_winograd_weights_floats", "conv2d_winograd_dw_scratch_bytes", "upsample2x_scratch_floats"] as const;
/** Below this many elements a kernel runs on the calling thread only. */
const PAR_MIN = 1 << 15;

/** The methods KERNEL_TABLE marks "reference": the constructor takes them from the reference backend. */
export interface WasmBackend extends Pick<Backend, ReferenceMethod> {}
export class WasmBackend implements Backend {
  readonly name = "wasm" as const;
  private readonly gemmScratchBytes: number;
  private gemmScratch = 0;
  /** The kernels' scratch-size functions, typed as assembly/ declares them. */
  private readonly size: Pick<KernelExports, (typeof SIZE_EXPORTS)[number]>;
  /** Stride-1 convolutions (forward and input gradient) through Winograd F(4×4, 3×3); false = im2col + GEMM. */
  winograd = true;

  constructor(
    private readonly heap: Heap,
    private readonly pool: ThreadPool,
    exports: WebAssembly.Exports,
    private readonly ref: RefBackend,
  ) {
    const g = exports["GEMM_SCRATCH_BYTES"];
    this.gemmScratchBytes = g instanceof WebAssembly.Global ? Number(g.value) : 0;
    if (this.gemmScratchBytes <= 0) throw new Error("kernels.wasm lacks GEMM_SCRATCH_BYTES; rebuild it with npm run build:wasm");
    for (const name of SIZE_EXPORTS) {
      if (typeof exports[name] !== "function") throw new Error(`kernels.wasm lacks export ${name}; rebuild it with npm run build:wasm`);
    }
    this.size = exports as unknown as Pick<KernelExports, (typeof SIZE_EXPORTS)[number]>;
    for (const m of REFERENCE_METHODS) Object.defineProperty(this, m, { value: ref[m].bind(ref), enumerable: false });
  }

  private tasks(n: number, cap = this.pool.threads): number {
    return n < PAR_MIN ? 1 : this.pool.cap(cap);
  }

  private scratchForGemm(): number {
    if (this.gemmScratch === 0) this.gemmScratch = this.heap.alloc(this.gemmScratchBytes * this.pool.threads);
    return this.gemmScratch;
  }

  binary(op: BinaryOp, a: Tensor, b: Tensor, out: Tensor): void {
    const code = OPCODE[op];
    if (sameShape(a.shape, out.shape) && sameShape(b.shape, out.shape)) {
      this.pool.run("binary_task", [code, a.ptr, b.ptr, out.ptr, out.size], this.tasks(out.size));
      return;
    }
    if (sameShape(a.shape, out.shape)) {
      const v = rowView(b.shape, out.shape);
      if (v) return this.rowbcast(code, a, b, out, v.O * v.M, v.M, v.I, 0);
    }
    if (sameShape(b.shape, out.shape)) {
      const v = rowView(a.shape, out.shape);
      if (v) return this.rowbcast(code, b, a, out, v.O * v.M, v.M, v.I, 1);
    }
    this.ref.binary(op, a, b, out);
  }

  private rowbcast(code: number, full: Tensor, small: Tensor, out: Tensor, R: number, M: number, I: number, swap: number): void {
    this.pool.run("rowbcast_task", named("rowbcast_task", { op: code, a: full.ptr, b: small.ptr, out: out.ptr, R, M, I, swap }), this.tasks(out.size, R));
  }

  unary(op: UnaryOp, x: Tensor, out: Tensor): void {
    if (op === "silu") {
      this.pool.run("silu_task", [x.ptr, out.ptr, x.size], this.tasks(x.size));
      return;
    }
    this.ref.unary(op, x, out);
  }

  channelAffine(x: Tensor, scale: Tensor, shift: Tensor, out: Tensor, silu: boolean): void {
    this.channelAffineTo(x, scale, shift, out.ptr, silu);
  }

  /** channelAffine into any buffer of x's size at outPtr. */
  private channelAffineTo(x: Tensor, scale: Tensor, shift: Tensor, outPtr: number, silu: boolean): void {
    const C = x.shape[1]!, rows = x.shape[0]! * C;
    const args = named("channel_affine_task", { x: x.ptr, s: scale.ptr, h: shift.ptr, y: outPtr, rows, C, n: x.size / rows, silu: silu ? 1 : 0 });
    this.pool.run("channel_affine_task", args, this.tasks(x.size, rows));
  }

  siluBackward(x: Tensor, dy: Tensor, dx: Tensor): void {
    this.pool.run("silu_bwd_task", [x.ptr, dy.ptr, dx.ptr, x.size], this.tasks(x.size));
  }

  sum(x: Tensor, axes: readonly number[], out: Tensor): void {
    const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
    const v = rowView(kept, x.shape);
    if (v) {
      this.pool.run("rowsum_task", [x.ptr, out.ptr, v.O, v.M, v.I], this.tasks(x.size, v.M));
      return;
    }
    this.ref.sum(x, axes, out);
  }

  matmul(a: Tensor, b: Tensor, out: Tensor, transA: boolean, transB: boolean): void {
    const M = out.shape[out.rank - 2]!, N = out.shape[out.rank - 1]!;
    const K = transA ? a.shape[a.rank - 2]! : a.shape[a.rank - 1]!;
    const batch = out.size / (M * N);
    const bShared = b.rank === 2;
    const scratch = this.scratchForGemm();
    const nT = M * N * K < PAR_MIN * 16 ? 1 : this.pool.cap(this.pool.threads);
    const [rsA, csA] = transA ? [1, M] : [K, 1];
    const [rsB, csB] = transB ? [1, K] : [N, 1];
    for (let p = 0; p < batch; p++) {
      const a0 = a.ptr + p * M * K * 4;
      const b0 = b.ptr + (bShared ? 0 : p * K * N * 4);
      const c0 = out.ptr + p * M * N * 4;
      this.pool.run("gemm_task", named("gemm_task", { M, N, K, a: a0, rsA, csA, b: b0, rsB, csB, c: c0, ldc: N, beta: 0, scratch }), nT);
    }
  }

  /**
   * y = conv3×3(x) (stride 1, padding 1) by Winograd F(4×4, 3×3). flip = false: w is [Cout, Cin, 3, 3];
   * flip = true: w is [Cin, Cout, 3, 3] and the kernel is its 180° rotation (the input gradient).
   */
  private winogradConv(x: Tensor, w: Tensor, bias: Tensor | null, y: Tensor, flip: boolean, addend: Tensor | null = null, pre: ConvPre | null = null): void {
    const [B, Cin, H, W] = x.shape as [number, number, number, number];
    const Cout = y.shape[1]!;
    const uBytes = this.size.conv2d_winograd_weights_floats(Cout, Cin) * 4;
    const U = this.heap.alloc(uBytes);
    const nT = this.pool.cap(B);
    const sBytes = this.size.conv2d_winograd_scratch_bytes(Cin, Cout, H, W) * nT;
    const scratch = this.heap.alloc(sBytes);
    try {
      this.pool.run("conv2d_winograd_weights_task", [w.ptr, Cout, Cin, flip ? 1 : 0, U], Cout * Cin >= 1024 ? this.pool.threads : 1);
      const addMode = !addend ? ConvAddend.None : addend.size === y.size ? ConvAddend.Residual : ConvAddend.Shift;
      const preMode = !pre ? ConvInput.Plain : pre.silu ? ConvInput.SiluAffine : ConvInput.Affine;
      const args = named("conv2d_winograd_task", {
        x: x.ptr, U, bias: bias ? bias.ptr : 0, y: y.ptr, B, Cin, H, W, Cout, scratch,
        addend: addend ? addend.ptr : 0, addMode, preMode, preScale: pre ? pre.scale.ptr : 0, preShift: pre ? pre.shift.ptr : 0,
      });
      this.pool.run("conv2d_winograd_task", args, nT);
    } finally {
      this.heap.release(scratch, sBytes);
      this.heap.release(U, uBytes);
    }
  }

  conv2d(x: Tensor, w: Tensor, bias: Tensor | null, y: Tensor, stride: number, addend: Tensor | null, pre: ConvPre | null): void {
    if (stride === 1 && this.winograd) return this.winogradConv(x, w, bias, y, false, addend, pre);
    // im2col: the transformed input goes to a temporary first
    const tBytes = pre ? x.size * 4 : 0;
    const xp = pre ? this.heap.alloc(tBytes) : x.ptr;
    try {
      if (pre) this.channelAffineTo(x, pre.scale, pre.shift, xp, pre.silu);
      this.conv2dIm2col(xp, x.shape, w, bias, y, stride);
    } finally {
      if (pre) this.heap.release(xp, tBytes);
    }
    if (addend) this.binary("add", y, addend, y);
  }

  private conv2dIm2col(xPtr: number, xShape: readonly number[], w: Tensor, bias: Tensor | null, y: Tensor, stride: number): void {
    const [B, Cin, H, W] = xShape as [number, number, number, number];
    const [, Cout, Ho, Wo] = y.shape as [number, number, number, number];
    const nT = this.pool.cap(B);
    const bytes = this.size.conv2d_im2col_scratch_bytes(Cin, Ho, Wo) * nT;
    const scratch = this.heap.alloc(bytes);
    try {
      const args = named("conv2d_im2col_task", { x: xPtr, w: w.ptr, bias: bias ? bias.ptr : 0, y: y.ptr, B, Cin, H, W, Cout, s: stride, Ho, Wo, scratch });
      this.pool.run("conv2d_im2col_task", args, nT);
    } finally {
      this.heap.release(scratch, bytes);
    }
  }

  conv2dBackward(x: Tensor, w: Tensor, dy: Tensor, dx: Tensor | null, dw: Tensor, db: Tensor | null, stride: number): void {
    const [B, Cin, H, W] = x.shape as [number, number, number, number];
    const [, Cout, Ho, Wo] = dy.shape as [number, number, number, number];
    const wino = stride === 1 && this.winograd;
    // dx = conv3×3(dy) with the 180°-rotated, transposed kernel
    if (wino && dx) this.winogradConv(dy, w, null, dx, true);
    const nT = this.pool.cap(B);
    const sBytes = (wino ? this.size.conv2d_winograd_dw_scratch_bytes(Cin, Cout, H, W) : this.size.conv2d_im2col_scratch_bytes(Cin, Ho, Wo)) * nT;
    const K = Cin * 9;
    const pBytes = nT * (Cout * K + Cout) * 4;
    const scratch = this.heap.alloc(sBytes);
    const parts = this.heap.alloc(pBytes);
    const dbPart = parts + nT * Cout * K * 4;
    try {
      if (wino) this.pool.run("conv2d_winograd_dw_task", named("conv2d_winograd_dw_task", { x: x.ptr, dy: dy.ptr, dwPart: parts, dbPart, B, Cin, H, W, Cout, scratch }), nT);
      else {
        const args = named("conv2d_im2col_bwd_task", { x: x.ptr, w: w.ptr, dy: dy.ptr, dx: dx ? dx.ptr : 0, dwPart: parts, dbPart, B, Cin, H, W, Cout, s: stride, Ho, Wo, scratch });
        this.pool.run("conv2d_im2col_bwd_task", args, nT);
      }
      // reduce the per-task partial sums in task order (deterministic for a given thread count)
      const f = this.heap.f32;
      const dwo = dw.ptr >>> 2, po = parts >>> 2, n = Cout * K;
      for (let i = 0; i < n; i++) {
        let s = f[po + i]!;
        for (let t = 1; t < nT; t++) s += f[po + t * n + i]!;
        f[dwo + i] = s;
      }
      if (db) {
        const dbo = db.ptr >>> 2, bo = dbPart >>> 2;
        for (let i = 0; i < Cout; i++) {
          let s = f[bo + i]!;
          for (let t = 1; t < nT; t++) s += f[bo + t * Cout + i]!;
          f[dbo + i] = s;
        }
      }
    } finally {
      this.heap.release(scratch, sBytes);
      this.heap.release(parts, pBytes);
    }
  }

  upsample2x(x: Tensor, y: Tensor): void {
    const [N, C, H, W] = x.shape as [number, number, number, number];
    const nT = this.tasks(y.size, N * C);
    const bytes = this.size.upsample2x_scratch_floats(W) * 4 * nT;
    const scratch = this.heap.alloc(bytes);
    try {
      this.pool.run("upsample2x_task", [x.ptr, y.ptr, N * C, H, W, scratch], nT);
    } finally {
      this.heap.release(scratch, bytes);
    }
  }

  upsample2xBackward(dy: Tensor, dx: Tensor): void {
    const [N, C, H, W] = dx.shape as [number, number, number, number];
    this.pool.run("upsample2x_bwd_task", [dy.ptr, dx.ptr, N * C, H, W], this.tasks(dy.size, N * C));
  }

  bnTrain(x: Tensor, gamma: Tensor, beta: Tensor, y: Tensor, mean: Tensor, varb: Tensor, invstd: Tensor, eps: number): void {
    const [B, C] = x.shape as [number, number];
    const HW = x.size / (B * C);
    const args = named("bn_fwd_task", { x: x.ptr, y: y.ptr, B, C, HW, gamma: gamma.ptr, beta: beta.ptr, mean: mean.ptr, varb: varb.ptr, invstd: invstd.ptr, eps });
    this.pool.run("bn_fwd_task", args, this.tasks(x.size, C));
  }

  bnTrainBackward(x: Tensor, dy: Tensor, gamma: Tensor, mean: Tensor, invstd: Tensor, dx: Tensor, dgamma: Tensor, dbeta: Tensor): void {
    const [B, C] = x.shape as [number, number];
    const HW = x.size / (B * C);
    const args = named("bn_bwd_task", { x: x.ptr, dy: dy.ptr, dx: dx.ptr, B, C, HW, gamma: gamma.ptr, mean: mean.ptr, invstd: invstd.ptr, dgamma: dgamma.ptr, dbeta: dbeta.ptr });
    this.pool.run("bn_bwd_task", args, this.tasks(x.size, C));
  }

  adam(p: Tensor, g: Tensor, m: Tensor, v: Tensor, h: AdamHyper): void {
    const bc1 = Math.fround(1 - h.beta1 ** h.step);
    const bc2s = Math.fround(Math.sqrt(1 - h.beta2 ** h.step));
    const args = named("adam_task", { p: p.ptr, g: g.ptr, m: m.ptr, v: v.ptr, n: p.size, lr: h.lr, b1: h.beta1, b2: h.beta2, eps: h.eps, bc1, bc2sqrt: bc2s });
    this.pool.run("adam_task", args, this.tasks(p.size));
  }
}
