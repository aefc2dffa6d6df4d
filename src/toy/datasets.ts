// Toy 2-D data sets with classes, where a flow can be watched: two moons, a mixture of Gaussians and a
// checkerboard. Each samples points with labels and says which class a point belongs to and how far it
// is from the data's support (to check where a sampler's particles land).
import { Rng } from "../tensor/random.js";

/** A labelled 2-D data set: a sampler, each point's class region and its distance to the data. */
export interface ToySet {
  readonly name: ToySetName;
  readonly title: string;
  readonly numClasses: number;
  /** n points [n, 2] (x, y interleaved) and their classes. */
  sample(n: number, rng: Rng): { points: Float32Array; labels: Int32Array };
  /** The class whose part of the data is nearest to (x, y). */
  classOf(x: number, y: number): number;
  /** The distance from (x, y) to the data's support (0 inside it). */
  distance(x: number, y: number): number;
}

/** The moons: two half circles of radius R, noise σ. */
const MOON = { r: 1.6, sigma: 0.08, c0: [-0.8, -0.4], c1: [0.8, 0.4] } as const;

/** Distance from p to the half circle of radius r around c whose angles lie in [a0, a0 + π]. */
function arcDistance(x: number, y: number, cx: number, cy: number, r: number, a0: number): number {
  const dx = x - cx, dy = y - cy;
  let a = Math.atan2(dy, dx) - a0;
  a = ((a % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI);
  if (a <= Math.PI) return Math.abs(Math.hypot(dx, dy) - r);
  const e = (b: number) => Math.hypot(x - (cx + r * Math.cos(b)), y - (cy + r * Math.sin(b)));
  return Math.min(e(a0), e(a0 + Math.PI));
}

const moons: ToySet = {
  name: "moons",
  title: "two moons",
  numClasses: 2,
  sample(n, rng) {
    const points = new Float32Array(n * 2), labels = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const c = rng.int(2), a = Math.PI * rng.uniform() + (c === 0 ? 0 : Math.PI);
      const [cx, cy] = c === 0 ? MOON.c0 : MOON.c1;
      points[2 * i] = cx + MOON.r * Math.cos(a) + MOON.sigma * rng.normal();
      points[2 * i + 1] = cy + MOON.r * Math.sin(a) + MOON.sigma * rng.normal();
      labels[i] = c;
    }
    return { points, labels };
  },
  classOf: (x, y) => (arcDistance(x, y, MOON.c0[0], MOON.c0[1], MOON.r, 0) <= arcDistance(x, y, MOON.c1[0], MOON.c1[1], MOON.r, Math.PI) ? 0 : 1),
  distance: (x, y) => Math.max(0, Math.min(arcDistance(x, y, MOON.c0[0], MOON.c0[1], MOON.r, 0), arcDistance(x, y, MOON.c1[0], MOON.c1[1], MOON.r, Math.PI)) - 3 * MOON.sigma),
};

/** Four Gaussians on a circle, one class each. */
const MIX = { radius: 1.8, sigma: 0.25, k: 4 } as const;
const mixCentre = (c: number): [number, number] => {
  const a = Math.PI / 4 + (c * 2 * Math.PI) / MIX.k;
  return [MIX.radius * Math.cos(a), MIX.radius * Math.sin(a)];
};
const gaussians: ToySet = {
  name: "gaussians",
  title: "a mixture of Gaussians",
  numClasses: MIX.k,
  sample(n, rng) {
    const points = new Float32Array(n * 2), labels = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const c = rng.int(MIX.k), [cx, cy] = mixCentre(c);
      points[2 * i] = cx + MIX.sigma * rng.normal();
      points[2 * i + 1] = cy + MIX.sigma * rng.normal();
      labels[i] = c;
    }
    return { points, labels };
  },
  classOf(x, y) {
    let best = 0, bd = Infinity;
    for (let c = 0; c < MIX.k; c++) {
      const [cx, cy] = mixCentre(c), d = Math.hypot(x - cx, y - cy);
      if (d < bd) [best, bd] = [c, d];
    }
    return best;
  },
  distance(x, y) {
    const [cx, cy] = mixCentre(this.classOf(x, y));
    return Math.max(0, Math.hypot(x - cx, y - cy) - 3 * MIX.sigma);
  },
};

/** A 4 × 4 checkerboard on [−2, 2]², the squares with i + j even filled; class 0 left of x = 0, 1 right. */
const BOARD = { n: 4, half: 2 } as const;
const checkerboard: ToySet = {
  name: "checkerboard",
  title: "a checkerboard",
  numClasses: 2,
  sample(n, rng) {
    const points = new Float32Array(n * 2), labels = new Int32Array(n);
    const side = (2 * BOARD.half) / BOARD.n;
    for (let i = 0; i < n; i++) {
      // a filled square: row r, a column of the same parity
      const r = rng.int(BOARD.n), col = 2 * rng.int(BOARD.n / 2) + (r % 2);
      const x = -BOARD.half + (col + rng.uniform()) * side, y = -BOARD.half + (r + rng.uniform()) * side;
      points[2 * i] = x;
      points[2 * i + 1] = y;
      labels[i] = x < 0 ? 0 : 1;
    }
    return { points, labels };
  },
  classOf: (x) => (x < 0 ? 0 : 1),
  distance(x, y) {
    const side = (2 * BOARD.half) / BOARD.n;
    let best = Infinity;
    for (let r = 0; r < BOARD.n; r++) {
      for (let col = r % 2; col < BOARD.n; col += 2) {
        const x0 = -BOARD.half + col * side, y0 = -BOARD.half + r * side;
        const dx = Math.max(x0 - x, 0, x - (x0 + side)), dy = Math.max(y0 - y, 0, y - (y0 + side));
        best = Math.min(best, Math.hypot(dx, dy));
      }
    }
    return best;
  },
};

/** The toy data sets by name. */
export const TOY_SETS = { moons, gaussians, checkerboard } as const;
/** A toy data set's name: "moons", "gaussians" or "checkerboard". */
export type ToySetName = keyof typeof TOY_SETS;
/** The toy data sets' names, in the order the page offers them. */
export const TOY_SET_NAMES = Object.keys(TOY_SETS) as ToySetName[];
