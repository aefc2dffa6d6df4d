// Engine benchmarks: SGEMM 512³ on 1 and 2 threads, 3×3 conv forward and forward+backward.
import * as T from "../tensor/index.js";
import { medianMs, withThreads, withWaitNote, type BenchResult } from "./harness.js";

export function sgemmBench(threads: number, runs: number): BenchResult {
  return withWaitNote(() => sgemm(threads, runs));
}

function sgemm(threads: number, runs: number): BenchResult {
  const rng = new T.Rng(1);
  const n = 512;
  return T.tidy(() => {
    const a = T.randn([n, n], rng), b = T.randn([n, n], rng);
    const ms = withThreads(threads, () => medianMs(() => T.matmul(a, b).dispose(), runs, 3));
    return {
      name: `sgemm_512_t${threads}_gflops`,
      value: (2 * n ** 3) / (ms * 1e6),
      unit: "GFLOP/s",
    };
  });
}

/** Runs fn with the wasm backend's stride-1 convolution algorithm set (no-op on the reference backend). */
function withConvAlgo<R>(algo: "winograd" | "im2col", fn: () => R): R {
  const be = T.engine().backend as { winograd?: boolean };
  const prev = be.winograd;
  if (prev === undefined) return fn();
  be.winograd = algo === "winograd";
  try {
    return fn();
  } finally {
    be.winograd = prev;
  }
}

/** 3×3 conv, B=32, C=32, 32×32. GFLOP/s counts direct-convolution FLOPs, so Winograd's figure is "effective". */
export function convBench(withBackward: boolean, runs: number, algo: "winograd" | "im2col" = "winograd", threads = 2): BenchResult {
  return withWaitNote(() => conv(withBackward, runs, algo, threads));
}

function conv(withBackward: boolean, runs: number, algo: "winograd" | "im2col", threads: number): BenchResult {
  const rng = new T.Rng(2);
  const [B, C, H] = [32, 32, 32];
  const flop = 2 * B * H * H * C * C * 9 * (withBackward ? 3 : 1);
  return T.tidy(() => {
    const x = T.variable(T.randn([B, C, H, H], rng));
    const w = T.variable(T.randn([C, C, 3, 3], rng, 0.1));
    const b = T.variable(T.randn([C], rng));
    const gy = T.randn([B, C, H, H], rng);
    const ms = withConvAlgo(algo, () => withThreads(threads, () =>
      medianMs(() =>
        T.tidy(() => {
          if (!withBackward) return void T.noGrad(() => T.conv2d(x, w, b, 1));
          const y = T.conv2d(x, w, b, 1);
          T.grad(y, [x, w, b], gy);
        }),
      runs, 2),
    ));
    return {
      name: `conv3x3_b32c32h32_${withBackward ? "fwdbwd" : "fwd"}${algo === "im2col" ? "_im2col" : ""}_t${threads}_gflops`,
      value: flop / (ms * 1e6),
      unit: "GFLOP/s",
    };
  });
}
