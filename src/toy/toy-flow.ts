// Flow matching on a toy 2-D set: a trainer (x_t = t·z + (1 − t)·ε, target z − ε, labels dropped to ∅
// one time in ten, Adam) and the sampler's particles and vector field under guidance w.
import * as T from "../tensor/index.js";
import { adam, type AdamState, type Optimizer } from "../train/adam.js";
import { parameters, type StateDict } from "../nn/state-dict.js";
import { TOY_SETS, type ToySet, type ToySetName } from "./datasets.js";
import { guidedToyVelocity, initToyNet, toyVelocity, type ToyNet } from "./toy-net.js";

/** The toy trainer's settings. */
export const TOY_TRAIN_DEFAULTS = Object.freeze({ batch: 256, lr: 1e-2, pDrop: 0.1, seed: 0 });
/** The toy trainer's settings: batch size, Adam's rate, the label-drop probability and the seed. */
export type ToyTrainOptions = typeof TOY_TRAIN_DEFAULTS;

/** Trains a ToyNet on one toy set by conditional flow matching with label dropout (for CFG). */
export class ToyTrainer {
  readonly set: ToySet;
  readonly net: ToyNet;
  readonly options: ToyTrainOptions;
  step = 0;
  private readonly rng: T.Rng;
  private readonly params: StateDict;
  private readonly opt: Optimizer<AdamState>;
  private readonly adamState: AdamState;

  constructor(set: ToySetName, options: Partial<ToyTrainOptions> = {}) {
    this.options = { ...TOY_TRAIN_DEFAULTS, ...options };
    this.set = TOY_SETS[set];
    this.rng = new T.Rng(this.options.seed);
    this.net = initToyNet(this.set.numClasses, this.rng);
    this.params = parameters(this.net.params);
    this.opt = adam({ lr: this.options.lr });
    this.adamState = this.opt.init(this.params);
  }

  /** One Adam step on a fresh batch; returns the loss mean_b ‖u_θ(x_t, t, y) − (z − ε)‖². */
  trainStep(): number {
    const { batch: B, pDrop } = this.options;
    const { points, labels } = this.set.sample(B, this.rng);
    const K = this.set.numClasses;
    const y = Int32Array.from(labels, (c) => (this.rng.uniform() < pDrop ? K : c));
    const ts = new Float32Array(B), eps = new Float32Array(2 * B);
    this.rng.fillUniform(ts);
    this.rng.fillNormal(eps);
    const xt = new Float32Array(2 * B), target = new Float32Array(2 * B);
    for (let i = 0; i < 2 * B; i++) {
      const t = ts[i >> 1]!;
      xt[i] = t * points[i]! + (1 - t) * eps[i]!;
      target[i] = points[i]! - eps[i]!;
    }
    const loss = T.tidy(() => {
      const pred = toyVelocity(this.net, T.tensor(xt, [B, 2]), T.tensor(ts, [B, 1]), T.intTensor(y)); // [B, 2]
      const l = T.mean(T.sum(T.square(T.sub(pred, T.tensor(target, [B, 2]))), [1]));
      const value = l.item();
      this.opt.update(this.params, T.grad(l, [...this.params.values()]), this.adamState);
      return value;
    });
    this.step++;
    return loss;
  }

  /** Frees the MLP's parameters and Adam's moments. */
  dispose(): void {
    T.disposeAll([this.params, this.adamState.m, this.adamState.v]);
  }
}

/** What to draw: n particles of label y (numClasses = ∅) at guidance w, by `steps` midpoint steps. */
export interface ToySampleOptions {
  n: number;
  y: number;
  w: number;
  steps: number;
  seed: number;
}

/** The particles' positions at t = k/steps, k = 0..steps: steps + 1 frames of [n, 2]. */
export function toyParticles(net: ToyNet, o: ToySampleOptions): Float32Array[] {
  const x0 = new Float32Array(2 * o.n);
  new T.Rng(o.seed).fillNormal(x0);
  const frames: Float32Array[] = [x0];
  const h = 1 / o.steps;
  T.tidy(() => {
    let x = T.tensor(x0, [o.n, 2]);
    for (let k = 0; k < o.steps; k++) {
      const t = k * h;
      const mid = T.add(x, T.affine(guidedToyVelocity(net, x, t, o.y, o.w), h / 2));
      x = T.add(x, T.affine(guidedToyVelocity(net, mid, t + h / 2, o.y, o.w), h));
      frames.push(x.toFloat32Array());
    }
  });
  return frames;
}

/** The guided field at time t on the given points [m, 2] (e.g. a grid for arrows): [m, 2]. */
export function toyField(net: ToyNet, points: Float32Array, t: number, y: number, w: number): Float32Array {
  return T.tidy(() => guidedToyVelocity(net, T.tensor(points, [points.length / 2, 2]), t, y, w).toFloat32Array());
}
