// A second feature space, independent of the judge: a fixed, seeded random conv network (never
// trained). Its first layer's 3×3 filters are zero-mean (high-pass); each layer's features are, per
// channel, the log energy (led by strokes) and the mean log magnitude (led by the many background
// pixels, where clean black gives log ε and grain far more), so grain, blur and contrast move them.
import * as T from "../tensor/index.js";
import { IMAGE, imageShape } from "../nn/config.js";

/** The texture network's architecture as data: channels per layer and strides. */
export const TEXTURE_NET = Object.freeze({ seed: 20240, channels: [16, 32, 32], strides: [1, 2, 2] });

interface Layer {
  weight: T.Tensor; // [C_out, C_in, 3, 3]
  stride: number;
}

let cached: Layer[] | null = null;

/** The fixed random layers (same seed → same weights on every machine and build). */
function layers(): Layer[] {
  if (cached) return cached;
  const rng = new T.Rng(TEXTURE_NET.seed);
  let cin = 1;
  cached = TEXTURE_NET.channels.map((c, li) => {
    const w = new Float32Array(c * cin * 9);
    rng.fillNormal(w, 1 / Math.sqrt(cin * 9));
    if (li === 0)
      for (let o = 0; o < c; o++) {
        // zero-mean 3×3 filters: blind to flat regions, sensitive to grain and edges
        const f = w.subarray(o * 9, o * 9 + 9);
        const m = f.reduce((a, b) => a + b, 0) / 9;
        for (let i = 0; i < 9; i++) f[i]! -= m;
      }
    const layer = { weight: T.tensor(w, [c, cin, 3, 3]).keep(), stride: TEXTURE_NET.strides[li]! };
    cin = c;
    return layer;
  });
  return cached;
}

/** The floor of the log magnitude: 0.02, about one grey level of 256 through a unit filter. */
const EPS = 0.02;

/** The feature count: per layer and channel, a log energy and a mean log magnitude. */
export const TEXTURE_FEATURES = TEXTURE_NET.channels.reduce((a, c) => a + 2 * c, 0);

/** Texture features [N, TEXTURE_FEATURES] of images [N, 1, 32, 32] in [−1, 1]. */
export function textureFeatures(images: Float32Array, batch = 250): Float32Array {
  const N = images.length / IMAGE.pixels;
  const out = new Float32Array(N * TEXTURE_FEATURES);
  const net = layers();
  for (let s = 0; s < N; s += batch) {
    const n = Math.min(batch, N - s);
    T.tidy(() =>
      T.noGrad(() => {
        let h = T.tensor(images.subarray(s * IMAGE.pixels, (s + n) * IMAGE.pixels), imageShape(n));
        let col = 0;
        for (const l of net) {
          const z = T.conv2d(h, l.weight, null, l.stride); // [n, C, 32|16|8, …]
          const [, C, H, W] = z.shape as [number, number, number, number];
          const d = z.data, P = H * W;
          for (let b = 0; b < n; b++)
            for (let c = 0; c < C; c++) {
              const o = (b * C + c) * P;
              let e = 0, m = 0;
              for (let i = 0; i < P; i++) {
                const v = d[o + i]!;
                e += v * v;
                m += Math.log(Math.abs(v) + EPS);
              }
              out[(s + b) * TEXTURE_FEATURES + col + c] = Math.log(e / P + 1e-6);
              out[(s + b) * TEXTURE_FEATURES + col + C + c] = m / P;
            }
          col += 2 * C;
          h = T.silu(z);
        }
      }),
    );
  }
  return out;
}
