// Adam as {init, update}: state is the step count and first/second moments per parameter name.
import * as T from "../tensor/index.js";
import type { StateDict } from "../nn/state-dict.js";

/** Adam's hyper-parameters. */
export interface AdamOptions {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
}

/** PyTorch's Adam defaults: lr 1e-3, betas 0.9 and 0.999, eps 1e-8. */
export const ADAM_DEFAULTS: Readonly<AdamOptions> = Object.freeze({ lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8 });

/** Adam's step count and moments, by parameter key. */
export interface AdamState {
  step: number;
  m: StateDict;
  v: StateDict;
}

/** An optimizer as data and two functions. */
export interface Optimizer<S> {
  /** The optimizer's initial state for these parameters. */
  init(params: StateDict): S;
  /** Updates params in place from grads (same order as params); `lr` overrides the rate (schedules). */
  update(params: StateDict, grads: readonly T.Tensor[], state: S, lr?: number): void;
}

/** Adam (PyTorch's form) as {init, update}. */
export function adam(opts: Partial<AdamOptions> = {}): Optimizer<AdamState> & { options: AdamOptions } {
  const o = { ...ADAM_DEFAULTS, ...opts };
  if (!(o.lr > 0) || !(o.beta1 >= 0 && o.beta1 < 1) || !(o.beta2 >= 0 && o.beta2 < 1) || !(o.eps > 0)) {
    throw new RangeError(`adam: invalid hyperparameters ${JSON.stringify(o)}`);
  }
  return {
    options: o,
    init(params) {
      const zeros = () => new Map([...params].map(([k, p]) => [k, T.zeros(p.shape).keep()]));
      return { step: 0, m: zeros(), v: zeros() };
    },
    update(params, grads, state, lr = o.lr) {
      state.step++;
      let i = 0;
      for (const [k, p] of params) {
        const g = grads[i++];
        if (!g) throw new Error(`adam: no gradient for ${k}`);
        T.adamUpdate(p, g, state.m.get(k)!, state.v.get(k)!, { lr, beta1: o.beta1, beta2: o.beta2, eps: o.eps, step: state.step });
      }
    },
  };
}
