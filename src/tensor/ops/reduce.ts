// Sums over axes and the broadcast pair sumTo / broadcastTo used by gradients.
import type { Tensor, Shape } from "../tensor.js";
import { apply, type OpDef } from "./op.js";
import { empty, assertF32 } from "./create.js";
import { shapeError, fmtShape } from "../errors.js";
import { reshape } from "./shape.js";

/** Axes as a sorted, unique list of non-negative indices (all axes when undefined). */
export function normAxes(op: string, shape: Shape, axes: number | readonly number[] | undefined): number[] {
  const list = axes === undefined ? shape.map((_, i) => i) : typeof axes === "number" ? [axes] : [...axes];
  const out = list.map((a) => (a < 0 ? a + shape.length : a));
  for (const a of out) {
    if (!Number.isInteger(a) || a < 0 || a >= shape.length) throw shapeError(op, `axis ${a} out of range for shape ${fmtShape(shape)}`);
  }
  return [...new Set(out)].sort((a, b) => a - b);
}

export const sumDef: OpDef<{ axes: number[]; keepDims: boolean }> = {
  name: "sum",
  forward(be, [x], { axes, keepDims }) {
    assertF32("sum", x!);
    const shape = keepDims ? x!.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : x!.shape.filter((_, i) => !axes.includes(i));
    const out = empty(shape);
    be.sum(x!, axes, out);
    return { out };
  },
  backward(gy, { inputs: [x], attrs }) {
    const kept = x!.shape.map((d, i) => (attrs.axes.includes(i) ? 1 : d));
    return [broadcastTo(reshape(gy, kept), x!.shape)];
  },
};

/** Sum over axes (all by default). */
export function sum(x: Tensor, axes?: number | readonly number[], keepDims = false): Tensor {
  return apply(sumDef, [x], { axes: normAxes("sum", x.shape, axes), keepDims });
}

export const broadcastToDef: OpDef<{ shape: number[] }> = {
  name: "broadcastTo",
  forward(be, [x], { shape }) {
    assertF32("broadcastTo", x!);
    const k = shape.length - x!.rank;
    if (k < 0 || x!.shape.some((d, i) => d !== 1 && d !== shape[i + k])) {
      throw shapeError("broadcastTo", `cannot broadcast ${fmtShape(x!.shape)} to ${fmtShape(shape)}`);
    }
    const out = empty(shape);
    const zero = empty([1]);
    zero.data[0] = 0;
    be.binary("add", x!, zero, out);
    zero.dispose();
    return { out };
  },
  backward(gy, { inputs: [x] }) {
    return [sumTo(gy, x!.shape)];
  },
};

/** x repeated along its size-1 (or missing leading) dims to `shape`. */
export function broadcastTo(x: Tensor, shape: Shape): Tensor {
  if (x.shape.length === shape.length && x.shape.every((d, i) => d === shape[i])) return x;
  return apply(broadcastToDef, [x], { shape: [...shape] });
}

/** Sums g over the dims along which `shape` was broadcast to g's shape. */
export function sumTo(g: Tensor, shape: Shape): Tensor {
  if (g.shape.length === shape.length && g.shape.every((d, i) => d === shape[i])) return g;
  const k = g.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.rank; i++) if (i < k || (shape[i - k] === 1 && g.shape[i] !== 1)) axes.push(i);
  return reshape(sum(g, axes, false), shape);
}
