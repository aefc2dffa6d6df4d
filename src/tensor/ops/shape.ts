// Shape ops: reshape, permute, concat, slice, pad. All copy (tensors never alias), so dispose stays simple.
import type { Tensor, Shape } from "../tensor.js";
import { sizeOf } from "../tensor.js";
import { apply, type OpDef } from "./op.js";
import { empty } from "./create.js";
import { shapeError, fmtShape } from "../errors.js";

export const reshapeDef: OpDef<{ shape: number[] }> = {
  name: "reshape",
  forward(be, [x], { shape }) {
    const out = empty(shape, x!.dtype);
    be.copy(x!, out);
    return { out };
  },
  backward(gy, { inputs: [x] }) {
    return [reshape(gy, x!.shape)];
  },
};

/** Same data, new shape; one dim may be -1. */
export function reshape(x: Tensor, shape: Shape): Tensor {
  const s = [...shape];
  const infer = s.indexOf(-1);
  if (infer >= 0) {
    const rest = s.reduce((a, d, i) => (i === infer ? a : a * d), 1);
    s[infer] = rest === 0 ? 0 : x.size / rest;
  }
  if (s.some((d) => !Number.isInteger(d) || d < 0) || sizeOf(s) !== x.size) {
    throw shapeError("reshape", `cannot reshape ${fmtShape(x.shape)} (${x.size} elements) to ${fmtShape(shape)}`);
  }
  if (s.length === x.rank && s.every((d, i) => d === x.shape[i])) return x;
  return apply(reshapeDef, [x], { shape: s });
}

export const permuteDef: OpDef<{ perm: number[] }> = {
  name: "permute",
  forward(be, [x], { perm }) {
    const out = empty(perm.map((p) => x!.shape[p]!), x!.dtype);
    be.permute(x!, perm, out);
    return { out };
  },
  backward(gy, { attrs }) {
    const inv = new Array<number>(attrs.perm.length);
    attrs.perm.forEach((p, i) => (inv[p] = i));
    return [permute(gy, inv)];
  },
};

/** x with its dims reordered: output dim i is input dim perm[i]. */
export function permute(x: Tensor, perm: readonly number[]): Tensor {
  const ok = perm.length === x.rank && [...perm].sort((a, b) => a - b).every((p, i) => p === i);
  if (!ok) throw shapeError("permute", `perm [${perm.join(", ")}] is not a permutation of the ${x.rank} dims of ${fmtShape(x.shape)}`);
  return apply(permuteDef, [x], { perm: [...perm] });
}

export const concatDef: OpDef<{ axis: number }> = {
  name: "concat",
  forward(be, xs, { axis }) {
    const first = xs[0]!;
    const shape = [...first.shape];
    shape[axis] = xs.reduce((a, t) => a + t.shape[axis]!, 0);
    const out = empty(shape, first.dtype);
    be.concat(xs, axis, out);
    return { out };
  },
  backward(gy, { inputs, attrs }) {
    let off = 0;
    return inputs.map((t) => {
      const starts = t.shape.map((_, i) => (i === attrs.axis ? off : 0));
      off += t.shape[attrs.axis]!;
      return slice(gy, starts, t.shape);
    });
  },
};

/** Tensors joined along an axis. */
export function concat(xs: readonly Tensor[], axis = 0): Tensor {
  const first = xs[0];
  if (!first) throw shapeError("concat", "needs at least one tensor");
  const ax = axis < 0 ? axis + first.rank : axis;
  if (ax < 0 || ax >= first.rank) throw shapeError("concat", `axis ${axis} out of range for ${fmtShape(first.shape)}`);
  for (const t of xs) {
    if (t.dtype !== first.dtype || t.rank !== first.rank || t.shape.some((d, i) => i !== ax && d !== first.shape[i])) {
      throw shapeError("concat", `shapes ${xs.map((x) => fmtShape(x.shape) + x.dtype).join(", ")} differ outside axis ${ax}`);
    }
  }
  return apply(concatDef, xs, { axis: ax });
}

export const sliceDef: OpDef<{ starts: number[]; sizes: number[] }> = {
  name: "slice",
  forward(be, [x], { starts, sizes }) {
    const out = empty(sizes, x!.dtype);
    be.slice(x!, starts, out);
    return { out };
  },
  backward(gy, { inputs: [x], attrs }) {
    return [pad(gy, attrs.starts, x!.shape)];
  },
};

/** x[starts[i] : starts[i] + sizes[i]] along every dim. */
export function slice(x: Tensor, starts: readonly number[], sizes: readonly number[]): Tensor {
  if (starts.length !== x.rank || sizes.length !== x.rank || starts.some((s, i) => s < 0 || sizes[i]! < 0 || s + sizes[i]! > x.shape[i]!)) {
    throw shapeError("slice", `window at [${starts.join(", ")}] of size [${sizes.join(", ")}] is outside ${fmtShape(x.shape)}`);
  }
  return apply(sliceDef, [x], { starts: [...starts], sizes: [...sizes] });
}

export const padDef: OpDef<{ before: number[]; shape: number[]; value: number }> = {
  name: "pad",
  forward(be, [x], { before, shape, value }) {
    const out = empty(shape, x!.dtype);
    be.pad(x!, before, value, out);
    return { out };
  },
  backward(gy, { inputs: [x], attrs }) {
    return [slice(gy, attrs.before, x!.shape)];
  },
};

/** Places x at offset `before` inside a tensor of `shape` filled with `value`. */
export function pad(x: Tensor, before: readonly number[], shape: readonly number[], value = 0): Tensor {
  if (before.length !== x.rank || shape.length !== x.rank || before.some((b, i) => b < 0 || b + x.shape[i]! > shape[i]!)) {
    throw shapeError("pad", `${fmtShape(x.shape)} at offset [${before.join(", ")}] does not fit in ${fmtShape(shape)}`);
  }
  return apply(padDef, [x], { before: [...before], shape: [...shape], value });
}
