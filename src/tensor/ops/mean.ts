// mean over axes: a sum scaled by 1/n (its gradient comes from sum's and affine's).
import type { Tensor } from "../tensor.js";
import { normAxes, sum } from "./reduce.js";
import { affine } from "./elementwise.js";

/** Mean over axes (all by default). */
export function mean(x: Tensor, axes?: number | readonly number[], keepDims = false): Tensor {
  const ax = normAxes("mean", x.shape, axes);
  const n = ax.reduce((acc, a) => acc * x.shape[a]!, 1);
  return affine(sum(x, ax, keepDims), 1 / n);
}
