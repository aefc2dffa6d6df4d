// The webgpu backend: every kernel of the closed set as a WGSL compute shader (wgsl/), on tensors
// whose values live in GPU buffers (device.ts). Same semantics as ref/; reads back only on read().
/// <reference types="@webgpu/types" />
import type { DeviceBackend, BinaryOp, UnaryOp, AdamHyper, ConvPre } from "../backend.js";
import type { Tensor } from "../tensor.js";
import { stridesOf, broadcastStrides } from "../ref/strides.js";
import { Gpu, Params, groups1d, MAX_GROUPS, type Binding } from "./device.js";
import { BINARY, BINARY_CODE, UNARY, UNARY_CODE, AFFINE, SILU_BACKWARD, CHANNEL_AFFINE, ADAM, MAX_RANK } from "./wgsl/elementwise.js";
import { MATMUL, CONV_FORWARD, CONV_DX, CONV_DW, TILE } from "./wgsl/gemm.js";
import { SUM, BN_FORWARD, BN_BACKWARD } from "./wgsl/reduce.js";
import { PERMUTE, CONCAT_PART, WINDOW, FILL, EMBEDDING, EMBEDDING_BACKWARD, UPSAMPLE, UPSAMPLE_BACKWARD } from "./wgsl/layout.js";

/** The weight gradient's K (= B·Ho·Wo) is split into chunks of about this many, summed afterwards. */
const DW_CHUNK = 4096;
const MAX_SPLITS = 64;

const r = (buffer: GPUBuffer): Binding => ({ buffer, write: false });
const w = (buffer: GPUBuffer): Binding => ({ buffer, write: true });

export class WebGpuBackend implements DeviceBackend {
  readonly name = "webgpu" as const;
  /** A 4-byte stand-in for an absent optional input (WGSL bindings cannot be left out). */
  private readonly dummy: GPUBuffer;

  constructor(readonly gpu: Gpu) {
    this.dummy = gpu.acquire(4);
  }

  finish(): Promise<void> {
    return this.gpu.finish();
  }

  get deviceError(): string | null {
    return this.gpu.error;
  }

  destroy(): void {
    this.gpu.device.destroy();
  }

  binary(op: BinaryOp, a: Tensor, b: Tensor, out: Tensor): void {
    const shape = out.shape;
    if (shape.length > MAX_RANK) throw new Error(`webgpu binary: rank ${shape.length} exceeds ${MAX_RANK}`);
    const p = new Params().u(out.size, BINARY_CODE[op], shape.length).list(shape, 8).list(broadcastStrides(a.shape, shape), 8).list(broadcastStrides(b.shape, shape), 8);
    this.gpu.run(BINARY, [r(this.gpu.input(a)), r(this.gpu.input(b)), w(this.gpu.output(out))], p, groups1d(out.size));
  }

  unary(op: UnaryOp, x: Tensor, out: Tensor): void {
    this.gpu.run(UNARY, [r(this.gpu.input(x)), w(this.gpu.output(out))], new Params().u(x.size, UNARY_CODE[op]), groups1d(x.size));
  }

  affine(x: Tensor, scale: number, shift: number, out: Tensor): void {
    this.gpu.run(AFFINE, [r(this.gpu.input(x)), w(this.gpu.output(out))], new Params().u(x.size).f(scale, shift), groups1d(x.size));
  }

  siluBackward(x: Tensor, dy: Tensor, dx: Tensor): void {
    this.gpu.run(SILU_BACKWARD, [r(this.gpu.input(x)), r(this.gpu.input(dy)), w(this.gpu.output(dx))], new Params().u(x.size), groups1d(x.size));
  }

  channelAffine(x: Tensor, scale: Tensor, shift: Tensor, out: Tensor, silu: boolean): void {
    const C = x.shape[1]!, inner = x.size / (x.shape[0]! * C);
    const g = this.gpu;
    g.run(CHANNEL_AFFINE, [r(g.input(x)), r(g.input(scale)), r(g.input(shift)), w(g.output(out))], new Params().u(x.size, C, inner, silu ? 1 : 0), groups1d(x.size));
  }

  sum(x: Tensor, axes: readonly number[], out: Tensor): void {
    this.sumBuffer(this.gpu.input(x), x.shape, axes, this.gpu.output(out));
  }

  /** out = x (a buffer of `shape`) summed over `axes`. */
  private sumBuffer(x: GPUBuffer, shape: readonly number[], axes: readonly number[], out: GPUBuffer): void {
    const st = stridesOf(shape);
    const kept = shape.map((_, d) => d).filter((d) => !axes.includes(d));
    const red = [...axes];
    if (shape.length > MAX_RANK) throw new Error(`webgpu sum: rank ${shape.length} exceeds ${MAX_RANK}`);
    const outSize = kept.reduce((a, d) => a * shape[d]!, 1);
    const R = red.reduce((a, d) => a * shape[d]!, 1);
    const p = new Params().u(outSize, R, kept.length, red.length)
      .list(kept.map((d) => shape[d]!), 8).list(kept.map((d) => st[d]!), 8)
      .list(red.map((d) => shape[d]!), 8).list(red.map((d) => st[d]!), 8);
    this.gpu.run(SUM, [r(x), w(out)], p, groups1d(outSize, 1));
  }

  matmul(a: Tensor, b: Tensor, out: Tensor, transA: boolean, transB: boolean): void {
    const M = out.shape[out.rank - 2]!, N = out.shape[out.rank - 1]!;
    const K = transA ? a.shape[a.rank - 2]! : a.shape[a.rank - 1]!;
    const batch = out.size / (M * N);
    if (M * N === 0) return;
    const g = this.gpu;
    const p = new Params().u(M, N, K, 0, transA ? 1 : 0, transB ? 1 : 0, b.rank === 2 ? 1 : 0);
    g.run(MATMUL, [r(g.input(a)), r(g.input(b)), w(g.output(out))], p, [Math.ceil(N / TILE), Math.ceil(M / TILE), batch]);
  }

  conv2d(x: Tensor, wt: Tensor, bias: Tensor | null, y: Tensor, stride: number, addend: Tensor | null, pre: ConvPre | null): void {
    const [B, Cin, H, W] = x.shape as [number, number, number, number];
    const [, Cout, Ho, Wo] = y.shape as [number, number, number, number];
    const g = this.gpu;
    const addMode = addend === null ? 0 : addend.shape[2] === Ho && addend.shape[3] === Wo && Ho * Wo !== 1 ? 1 : 2;
    const p = new Params().u(Cout, B * Ho * Wo, Cin * 9, 0, B, Cin, H, W, Cout, Ho, Wo, stride, bias ? 1 : 0, addMode, pre ? (pre.silu ? 2 : 1) : 0);
    const opt = (t: Tensor | null | undefined) => r(t ? g.input(t) : this.dummy);
    const bindings = [r(g.input(x)), r(g.input(wt)), opt(bias), w(g.output(y)), opt(addend), opt(pre?.scale), opt(pre?.shift)];
    g.run(CONV_FORWARD, bindings, p, [this.tiles(B * Ho * Wo), Math.ceil(Cout / TILE), 1]);
  }

  conv2dBackward(x: Tensor, wt: Tensor, dy: Tensor, dx: Tensor | null, dw: Tensor, db: Tensor | null, stride: number): void {
    const [B, Cin, H, W] = x.shape as [number, number, number, number];
    const [, Cout, Ho, Wo] = dy.shape as [number, number, number, number];
    const g = this.gpu;
    const geo = [B, Cin, H, W, Cout, Ho, Wo, stride];
    const xb = g.input(x), wb = g.input(wt), dyb = g.input(dy);
    if (dx) {
      const p = new Params().u(Cin, B * H * W, Cout * 9, 0, ...geo);
      g.run(CONV_DX, [r(wb), r(dyb), w(g.output(dx))], p, [this.tiles(B * H * W), Math.ceil(Cin / TILE), 1]);
    }
    const K = B * Ho * Wo, MN = Cout * Cin * 9;
    const splits = Math.max(1, Math.min(MAX_SPLITS, Math.ceil(K / DW_CHUNK)));
    const chunk = Math.ceil(K / splits / TILE) * TILE;
    const used = Math.ceil(K / chunk);
    const dwb = g.output(dw);
    const part = used === 1 ? dwb : g.acquire(used * MN * 4);
    const p = new Params().u(Cout, Cin * 9, K, chunk, ...geo);
    g.run(CONV_DW, [r(xb), r(dyb), w(part)], p, [Math.ceil((Cin * 9) / TILE), Math.ceil(Cout / TILE), used]);
    if (used > 1) {
      this.sumBuffer(part, [used, MN], [0], dwb);
      g.release(part);
    }
    if (db) this.sumBuffer(dyb, dy.shape, [0, 2, 3], g.output(db));
  }

  /** Workgroups along a GEMM's N, refusing sizes past the dispatch limit with a clear message. */
  private tiles(n: number): number {
    const t = Math.ceil(n / TILE);
    if (t > MAX_GROUPS) throw new RangeError(`webgpu conv2d: ${n} output positions exceed ${MAX_GROUPS * TILE} per dispatch; use a smaller batch`);
    return t;
  }

  upsample2x(x: Tensor, y: Tensor): void {
    const [, , H, W] = x.shape as [number, number, number, number];
    this.gpu.run(UPSAMPLE, [r(this.gpu.input(x)), w(this.gpu.output(y))], new Params().u(y.size, H, W), groups1d(y.size));
  }

  upsample2xBackward(dy: Tensor, dx: Tensor): void {
    const [, , H, W] = dx.shape as [number, number, number, number];
    this.gpu.run(UPSAMPLE_BACKWARD, [r(this.gpu.input(dy)), w(this.gpu.output(dx))], new Params().u(dx.size, H, W), groups1d(dx.size));
  }

  bnTrain(x: Tensor, gamma: Tensor, beta: Tensor, y: Tensor, mean: Tensor, varb: Tensor, invstd: Tensor, eps: number): void {
    const [B, C] = x.shape as [number, number];
    const g = this.gpu;
    const bindings = [r(g.input(x)), r(g.input(gamma)), r(g.input(beta)), w(g.output(y)), w(g.output(mean)), w(g.output(varb)), w(g.output(invstd))];
    g.run(BN_FORWARD, bindings, new Params().u(C, B, x.size / (B * C)).f(eps), groups1d(C, 1));
  }

  bnTrainBackward(x: Tensor, dy: Tensor, gamma: Tensor, mean: Tensor, invstd: Tensor, dx: Tensor, dgamma: Tensor, dbeta: Tensor): void {
    const [B, C] = x.shape as [number, number];
    const g = this.gpu;
    const bindings = [r(g.input(x)), r(g.input(dy)), r(g.input(gamma)), r(g.input(mean)), r(g.input(invstd)), w(g.output(dx)), w(g.output(dgamma)), w(g.output(dbeta))];
    g.run(BN_BACKWARD, bindings, new Params().u(C, B, x.size / (B * C)), groups1d(C, 1));
  }

  embedding(weight: Tensor, idx: Tensor, out: Tensor): void {
    const g = this.gpu;
    g.run(EMBEDDING, [r(g.input(weight)), r(g.input(idx)), w(g.output(out))], new Params().u(out.size, weight.shape[1]!, weight.shape[0]!), groups1d(out.size));
  }

  embeddingBackward(idx: Tensor, gy: Tensor, gw: Tensor): void {
    const g = this.gpu;
    g.run(EMBEDDING_BACKWARD, [r(g.input(idx)), r(g.input(gy)), w(g.output(gw))], new Params().u(gw.size, gw.shape[1]!, idx.size), groups1d(gw.size));
  }

  permute(x: Tensor, perm: readonly number[], out: Tensor): void {
    const xs = stridesOf(x.shape);
    const p = new Params().u(out.size, out.rank).list(out.shape, 8).list(perm.map((d) => xs[d]!), 8);
    this.gpu.run(PERMUTE, [r(this.gpu.input(x)), w(this.gpu.output(out))], p, groups1d(out.size));
  }

  concat(xs: readonly Tensor[], axis: number, out: Tensor): void {
    const inner = out.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
    const total = out.shape[axis]! * inner;
    const g = this.gpu;
    const inputs = xs.map((x) => g.input(x));
    const ob = g.output(out);
    let off = 0;
    xs.forEach((x, i) => {
      const chunk = x.shape[axis]! * inner;
      g.run(CONCAT_PART, [r(inputs[i]!), w(ob)], new Params().u(x.size, Math.max(chunk, 1), total, off), groups1d(x.size));
      off += chunk;
    });
  }

  slice(x: Tensor, starts: readonly number[], out: Tensor): void {
    this.window(this.gpu.input(x), x.shape, starts, this.gpu.output(out), out.shape, 0);
  }

  pad(x: Tensor, before: readonly number[], value: number, out: Tensor): void {
    const g = this.gpu;
    const xb = g.input(x);
    const ob = g.output(out);
    const bits = new Uint32Array(new Float32Array([value]).buffer)[0]!;
    g.run(FILL, [w(ob)], new Params().u(out.size, bits), groups1d(out.size));
    this.window(ob, out.shape, before, xb, x.shape, 1);
  }

  /** Copies between the window of `big` at `starts` and `small` (0: big→small, 1: small→big). */
  private window(big: GPUBuffer, bigShape: readonly number[], starts: readonly number[], small: GPUBuffer, smallShape: readonly number[], write: 0 | 1): void {
    const bs = stridesOf(bigShape);
    const n = smallShape.reduce((a, d) => a * d, 1);
    const base = starts.reduce((acc, s, d) => acc + s * bs[d]!, 0);
    const p = new Params().u(n, smallShape.length, write, base).list(smallShape, 8).list(bs, 8);
    this.gpu.run(WINDOW, [{ buffer: big, write: write === 1 }, { buffer: small, write: write === 0 }], p, groups1d(n));
  }

  copy(x: Tensor, out: Tensor): void {
    const xb = this.gpu.input(x);
    this.gpu.copy(xb, this.gpu.output(out), x.size * 4);
  }

  adam(p: Tensor, g: Tensor, m: Tensor, v: Tensor, h: AdamHyper): void {
    const f = Math.fround;
    const b1 = f(h.beta1), b2 = f(h.beta2);
    const bc1 = f(1 - h.beta1 ** h.step), bc2s = f(Math.sqrt(1 - h.beta2 ** h.step));
    const step = f(f(h.lr) / bc1);
    const gpu = this.gpu;
    const gb = gpu.input(g);
    const pb = gpu.input(p), mb = gpu.input(m), vb = gpu.input(v);
    gpu.output(p);
    gpu.output(m);
    gpu.output(v);
    const params = new Params().u(p.size).f(b1, f(1 - b1), b2, f(1 - b2), step, bc2s, f(h.eps));
    gpu.run(ADAM, [w(pb), r(gb), w(mb), w(vb)], params, groups1d(p.size));
  }
}
