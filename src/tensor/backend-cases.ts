// The cases every fast backend is checked on against ref/: each op on random, awkward shapes (size-1
// dims, odd sizes, tiles cut by the border, stride 2), with its tolerance. backends.suite.ts runs
// them on wasm in Node; webgpu/suite.ts runs them on webgpu in a browser.
import * as T from "./index.js";

/** One case: inputs from a seeded generator, the function of them, and the relative tolerance. */
export interface BackendCase {
  name: string;
  make: (r: T.Rng) => T.Tensor[];
  f: (xs: T.Tensor[]) => T.Tensor;
  rel: number;
}

const CONV_SHAPES: [number, number, number, number, number][] = [
  // B, Cin, H, W, Cout
  [1, 1, 7, 7, 1],
  [1, 3, 7, 7, 5],
  [2, 1, 32, 32, 32],
  [3, 3, 9, 5, 7],
  [5, 17, 8, 8, 13],
  [4, 32, 16, 16, 64],
  [2, 64, 8, 8, 128],
  // Winograd edge cases: many images per tile block, tiles cut by the border, 1×1 images
  [70, 3, 4, 4, 6],
  [9, 2, 1, 1, 3],
  [33, 5, 2, 3, 9],
  [3, 4, 13, 17, 5],
];
const FUSED_SHAPES = [[3, 4, 8, 8, 5], [70, 3, 4, 4, 6], [3, 4, 13, 17, 5], [2, 32, 16, 16, 32]] as const;

export function backendCases(): BackendCase[] {
  const cases: BackendCase[] = [];
  const add = (name: string, make: BackendCase["make"], f: BackendCase["f"], rel = 1e-5) => cases.push({ name, make, f, rel });

  for (const [B, Cin, H, W, Cout] of CONV_SHAPES) {
    for (const stride of [1, 2]) {
      add(`conv2d B=${B} Cin=${Cin} ${H}×${W} Cout=${Cout} stride ${stride}`, (r) => [T.randn([B, Cin, H, W], r), T.randn([Cout, Cin, 3, 3], r, 0.2), T.randn([Cout], r)], ([x, w, b]) => T.conv2d(x!, w!, b!, stride), 2e-5);
    }
  }
  // the fused addend: a residual and a per-image shift, on shapes with full and border-cut tiles
  for (const [B, Cin, H, W, Cout] of FUSED_SHAPES) {
    for (const kind of ["residual", "shift"] as const) {
      for (const stride of [1, 2]) {
        const Ho = Math.floor((H - 1) / stride) + 1, Wo = Math.floor((W - 1) / stride) + 1;
        add(`conv2d + ${kind} B=${B} Cin=${Cin} ${H}×${W} Cout=${Cout} stride ${stride}`,
          (r) => [T.randn([B, Cin, H, W], r), T.randn([Cout, Cin, 3, 3], r, 0.2), T.randn([Cout], r), T.randn(kind === "residual" ? [B, Cout, Ho, Wo] : [B, Cout, 1, 1], r)],
          ([x, w, b, a]) => T.conv2d(x!, w!, b!, stride, a!), 2e-5);
      }
    }
  }
  // the fused input transform (eval BatchNorm after SiLU) with an addend
  for (const [B, Cin, H, W, Cout] of FUSED_SHAPES) {
    for (const silu of [false, true]) {
      for (const stride of [1, 2]) {
        add(`conv2d with fused input (silu=${silu}) B=${B} Cin=${Cin} ${H}×${W} Cout=${Cout} stride ${stride}`,
          (r) => [T.randn([B, Cin, H, W], r), T.randn([Cout, Cin, 3, 3], r, 0.2), T.randn([Cout], r), T.randn([B, Cout, 1, 1], r), T.randn([Cin], r), T.randn([Cin], r)],
          ([x, w, b, a, s, h]) => T.conv2d(x!, w!, b!, stride, a!, { scale: s!, shift: h!, silu }), 2e-5);
      }
    }
  }
  for (const [M, K, N] of [[1, 1, 1], [3, 5, 7], [13, 17, 9], [64, 300, 129], [130, 70, 260]] as const) {
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      add(`matmul ${M}×${K}·${K}×${N} transA=${ta} transB=${tb}`, (r) => [T.randn(ta ? [K, M] : [M, K], r), T.randn(tb ? [N, K] : [K, N], r)], ([a, b]) => T.matmul(a!, b!, ta, tb), 2e-5);
    }
  }
  for (const s of [[1, 1, 7, 7], [3, 5, 9, 1], [4, 32, 16, 16], [2, 6]]) {
    for (const silu of [false, true]) {
      add(`channelAffine ${s.join("×")} silu=${silu}`, (r) => [T.randn(s, r, 2), T.randn([s[1]!], r), T.randn([s[1]!], r)], ([x, a, b]) => T.channelAffine(x!, a!, b!, silu), 2e-5);
    }
  }
  for (const s of [[1, 1, 7, 7], [2, 3, 5, 5], [3, 7, 9, 1], [8, 32, 16, 16]]) {
    add(`batchNormTrain ${s.join("×")}`, (r) => [T.randn(s, r, 2), T.rand([s[1]!], r, 0.5, 1.5), T.randn([s[1]!], r)], ([x, g, b]) => T.batchNormTrain(x!, g!, b!, null), 2e-5);
  }
  const ew: [string, number[], number[]][] = [
    ["same shape odd", [3, 5, 7], [3, 5, 7]],
    ["channel bcast", [4, 32, 16, 16], [1, 32, 1, 1]],
    ["batch-channel bcast", [4, 32, 16, 16], [4, 32, 1, 1]],
    ["scalar", [3, 7], [1]],
    ["left bcast", [1, 3, 1, 1], [2, 3, 5, 5]],
    ["big same", [64, 32, 32, 8], [64, 32, 32, 8]],
  ];
  for (const [name, a, b] of ew) {
    for (const op of [T.add, T.sub, T.mul, T.div]) {
      add(`${op.name} ${name}`, (r) => [T.randn(a, r), T.rand(b, r, 0.5, 2)], ([x, y]) => op(x!, y!));
    }
  }
  add("silu", (r) => [T.randn([3, 5, 7, 9], r, 3)], ([x]) => T.silu(x!));
  add("silu big", (r) => [T.randn([64, 32, 32, 17], r, 3)], ([x]) => T.silu(x!));
  add("upsample", (r) => [T.randn([2, 3, 5, 7], r)], ([x]) => T.upsample2x(x!));
  add("upsample 1×1", (r) => [T.randn([3, 2, 1, 1], r)], ([x]) => T.upsample2x(x!));
  add("upsample threaded", (r) => [T.randn([8, 32, 16, 16], r)], ([x]) => T.upsample2x(x!));
  add("upsample threaded, ragged rows", (r) => [T.randn([9, 17, 9, 13], r)], ([x]) => T.upsample2x(x!));
  add("sum", (r) => [T.randn([4, 5, 6, 7], r)], ([x]) => T.sum(x!, [0, 2, 3]));
  return cases;
}

/** Cases for the kernels wasm hands to ref/ (shape moves, embeddings, the other unary ops), which a backend with its own kernels must match too. */
export function layoutCases(): BackendCase[] {
  const cases: BackendCase[] = [];
  const add = (name: string, make: BackendCase["make"], f: BackendCase["f"], rel = 1e-5) => cases.push({ name, make, f, rel });
  for (const op of [T.neg, T.exp, T.sqrt, T.log, T.sin, T.cos, T.square, T.sigmoid]) {
    add(`${op.name} [3, 17]`, (r) => [T.rand([3, 17], r, 0.5, 2)], ([x]) => op(x!), 1e-5);
  }
  add("affine [5, 7]", (r) => [T.randn([5, 7], r)], ([x]) => T.affine(x!, -1.5, 0.25));
  add("permute [2, 3, 4, 5] → [3, 0, 2, 1]", (r) => [T.randn([2, 3, 4, 5], r)], ([x]) => T.permute(x!, [3, 0, 2, 1]));
  add("concat axis 1 of three", (r) => [T.randn([2, 3, 4], r), T.randn([2, 1, 4], r), T.randn([2, 5, 4], r)], ([a, b, c]) => T.concat([a!, b!, c!], 1));
  add("concat axis 0, size-1 parts", (r) => [T.randn([1, 7], r), T.randn([1, 7], r)], ([a, b]) => T.concat([a!, b!], 0));
  add("slice [5, 6, 7] window", (r) => [T.randn([5, 6, 7], r)], ([x]) => T.slice(x!, [1, 2, 3], [3, 1, 4]));
  add("pad [2, 3] into [4, 6] with 0.5", (r) => [T.randn([2, 3], r)], ([x]) => T.pad(x!, [1, 2], [4, 6], 0.5));
  add("reshape [2, 3, 4] → [4, 6]", (r) => [T.randn([2, 3, 4], r)], ([x]) => T.reshape(x!, [4, 6]));
  add("broadcastTo [3, 1] → [2, 3, 4]", (r) => [T.randn([3, 1], r)], ([x]) => T.broadcastTo(x!, [2, 3, 4]));
  add("sum over axes 1, 3 of [2, 3, 4, 5]", (r) => [T.randn([2, 3, 4, 5], r)], ([x]) => T.sum(x!, [1, 3]));
  add("sum of all of [1000, 37]", (r) => [T.randn([1000, 37], r)], ([x]) => T.sum(x!), 1e-4);
  add("batched matmul [3, 5, 7]·[3, 7, 2]", (r) => [T.randn([3, 5, 7], r), T.randn([3, 7, 2], r)], ([a, b]) => T.matmul(a!, b!));
  add("matmul with a shared 2-D right [3, 5, 7]·[7, 2]", (r) => [T.randn([3, 5, 7], r), T.randn([7, 2], r)], ([a, b]) => T.matmul(a!, b!));
  add("linear [4, 7]·[5, 7]ᵀ + [5]", (r) => [T.randn([4, 7], r), T.randn([5, 7], r), T.randn([5], r)], ([x, w, b]) => T.linear(x!, w!, b!));
  add("embedding (repeated indices)", (r) => [T.randn([11, 6], r), T.intTensor([1, 3, 1, 0, 10, 3, 3])], ([w, i]) => T.embedding(w!, i!));
  return cases;
}
