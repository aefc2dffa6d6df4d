// Embedding lookup: out[i] = weight[idx[i]]; the weight gradient accumulates repeated indices.
import type { Tensor } from "../tensor.js";
import { apply, type OpDef } from "./op.js";
import { empty, assertF32 } from "./create.js";
import { shapeError, fmtShape } from "../errors.js";
import { engine } from "../engine.js";

export const embeddingDef: OpDef<null> = {
  name: "embedding",
  forward(be, [weight, idx]) {
    assertF32("embedding", weight!, "weight");
    if (weight!.rank !== 2) throw shapeError("embedding", `weight must be [num, dim], got ${fmtShape(weight!.shape)}`);
    if (idx!.dtype !== "i32" || idx!.rank !== 1) throw shapeError("embedding", `indices must be i32 [N], got ${idx!.dtype} ${fmtShape(idx!.shape)}`);
    const num = weight!.shape[0]!;
    // indices computed on the GPU (CFG's concatenated labels) are not checked here: the shader reads in bounds
    const I = idx!.onHost ? idx!.idata : new Int32Array(0);
    for (let i = 0; i < I.length; i++) {
      if (I[i]! < 0 || I[i]! >= num) throw new RangeError(`embedding: index ${I[i]} at position ${i} is outside 0..${num - 1}`);
    }
    const out = empty([idx!.shape[0]!, weight!.shape[1]!]);
    be.embedding(weight!, idx!, out);
    return { out };
  },
  backward(gy, { inputs: [weight, idx] }) {
    const gw = empty(weight!.shape);
    engine().backend.embeddingBackward(idx!, gy, gw);
    return [gw, null];
  },
};

/** Rows of `weight` picked by i32 indices: [N] → [N, D]. */
export const embedding = (weight: Tensor, idx: Tensor): Tensor => apply(embeddingDef, [weight, idx], null);
