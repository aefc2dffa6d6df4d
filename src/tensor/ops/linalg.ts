// matmul (batched over leading dims; the right operand may be a shared 2-D matrix) and linear.
import type { Tensor } from "../tensor.js";
import { apply, type OpDef } from "./op.js";
import { empty, assertF32 } from "./create.js";
import { shapeError, fmtShape } from "../errors.js";
import { reshape } from "./shape.js";
import { sum } from "./reduce.js";

/** matmul's attributes on the tape. */
export interface MM {
  transA: boolean;
  transB: boolean;
}

function mmShape(a: Tensor, b: Tensor, { transA, transB }: MM): number[] {
  const err = (why: string) => shapeError("matmul", `${fmtShape(a.shape)}${transA ? "ᵀ" : ""} · ${fmtShape(b.shape)}${transB ? "ᵀ" : ""}: ${why}`);
  if (a.rank < 2 || b.rank < 2) throw err("both operands need rank ≥ 2");
  const M = transA ? a.shape[a.rank - 1]! : a.shape[a.rank - 2]!;
  const Ka = transA ? a.shape[a.rank - 2]! : a.shape[a.rank - 1]!;
  const Kb = transB ? b.shape[b.rank - 1]! : b.shape[b.rank - 2]!;
  const N = transB ? b.shape[b.rank - 2]! : b.shape[b.rank - 1]!;
  if (Ka !== Kb) throw err(`inner dims ${Ka} and ${Kb} differ`);
  const batchA = a.shape.slice(0, -2);
  if (b.rank > 2) {
    const batchB = b.shape.slice(0, -2);
    if (batchB.length !== batchA.length || batchB.some((d, i) => d !== batchA[i])) throw err("batch dims differ (the right operand may also be 2-D)");
  }
  return [...batchA, M, N];
}

export const matmulDef: OpDef<MM> = {
  name: "matmul",
  forward(be, [a, b], attrs) {
    assertF32("matmul", a!);
    assertF32("matmul", b!);
    const out = empty(mmShape(a!, b!, attrs));
    be.matmul(a!, b!, out, attrs.transA, attrs.transB);
    return { out };
  },
  backward(gy, { inputs: [a, b], attrs: { transA, transB } }) {
    // C = op(A)·op(B):  dop(A) = G·op(B)ᵀ,  dop(B) = op(A)ᵀ·G
    const ga = transA ? matmul(b!, gy, transB, true) : matmul(gy, b!, false, !transB);
    let gb: Tensor;
    if (b!.rank === 2 && a!.rank > 2) {
      const a2 = reshape(a!, [-1, a!.shape[a!.rank - 1]!]);
      const g2 = reshape(gy, [-1, gy.shape[gy.rank - 1]!]);
      if (transA) throw shapeError("matmul", "transA with a shared 2-D right operand is not differentiable here");
      gb = transB ? matmul(g2, a2, true, false) : matmul(a2, g2, true, false);
    } else {
      gb = transB ? matmul(gy, a!, true, transA) : matmul(a!, gy, !transA, false);
    }
    return [ga, gb];
  },
};

/** Matrix product over the last two dims, batched over leading dims; b may be a shared 2-D matrix. */
export function matmul(a: Tensor, b: Tensor, transA = false, transB = false): Tensor {
  return apply(matmulDef, [a, b], { transA, transB });
}

export const linearDef: OpDef<null> = {
  name: "linear",
  forward(be, [x, w, b]) {
    assertF32("linear", x!);
    if (x!.rank !== 2 || w!.rank !== 2 || x!.shape[1] !== w!.shape[1] || (b && (b.rank !== 1 || b.shape[0] !== w!.shape[0]))) {
      throw shapeError("linear", `x ${fmtShape(x!.shape)}, weight ${fmtShape(w!.shape)}, bias ${b ? fmtShape(b.shape) : "none"}: expected x [N, in], weight [out, in], bias [out]`);
    }
    const out = empty([x!.shape[0]!, w!.shape[0]!]);
    be.matmul(x!, w!, out, false, true);
    if (b) be.binary("add", out, b, out);
    return { out };
  },
  backward(gy, { inputs: [x, w, b] }) {
    return [matmul(gy, w!), matmul(gy, x!, true, false), b ? sum(gy, 0) : null];
  },
};

/** y = x·Wᵀ + b, as torch.nn.functional.linear. x [N, in], W [out, in], b [out]. */
export function linear(x: Tensor, w: Tensor, b?: Tensor | null): Tensor {
  return apply(linearDef, b ? [x, w, b] : [x, w], null);
}

