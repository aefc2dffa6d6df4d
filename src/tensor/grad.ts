// grad() and valueAndGrad(): the user-facing side of the tape.
import type { Tensor } from "./tensor.js";
import { gradWith } from "./tape.js";
import { add } from "./ops/elementwise.js";
import { onesLike, zerosLike } from "./ops/create.js";

/** Gradients of the scalar `out` with respect to each tensor in wrt (zeros where unreachable). */
export function grad(out: Tensor, wrt: readonly Tensor[], seed?: Tensor): Tensor[] {
  return gradWith(add, onesLike, zerosLike, out, wrt, seed);
}

/** Runs f and returns its scalar value and the gradients with respect to wrt. */
export function valueAndGrad(f: () => Tensor, wrt: readonly Tensor[]): { value: Tensor; grads: Tensor[] } {
  const value = f();
  return { value, grads: grad(value, wrt) };
}
