// The lab's CFG flow-matching loss: squared error summed over pixels, averaged over the batch.
import * as T from "../tensor/index.js";

/** pred, target: [B, C, H, W] → scalar mean_b Σ_{c,h,w} (pred − target)² */
export function flowMatchingLoss(pred: T.Tensor, target: T.Tensor): T.Tensor {
  if (pred.rank !== 4 || pred.shape.some((d, i) => d !== target.shape[i]) || target.rank !== 4) {
    throw new T.ShapeError(`flowMatchingLoss: prediction [${pred.shape.join(", ")}] and target [${target.shape.join(", ")}] must both be [B, C, H, W]`);
  }
  return T.mean(T.sum(T.square(T.sub(pred, target)), [1, 2, 3]));
}
