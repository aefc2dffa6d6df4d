// Elementwise ops with NumPy broadcasting, and their gradients (broadcast dims are summed back).
import type { Tensor } from "../tensor.js";
import type { BinaryOp, UnaryOp } from "../backend.js";
import { apply, type OpDef } from "./op.js";
import { empty, assertF32 } from "./create.js";
import { broadcastShapes } from "../ref/strides.js";
import { sumTo } from "./reduce.js";
import { engine } from "../engine.js";

function binaryDef(name: BinaryOp, grad: (gy: Tensor, a: Tensor, b: Tensor, out: Tensor) => [Tensor, Tensor]): OpDef<null> {
  return {
    name,
    forward(be, [a, b]) {
      assertF32(name, a!, "left operand");
      assertF32(name, b!, "right operand");
      const out = empty(broadcastShapes(name, a!.shape, b!.shape));
      be.binary(name, a!, b!, out);
      return { out };
    },
    backward(gy, { inputs: [a, b], out }) {
      const [ga, gb] = grad(gy, a!, b!, out);
      return [sumTo(ga, a!.shape), sumTo(gb, b!.shape)];
    },
  };
}

export const addDef = binaryDef("add", (gy) => [gy, gy]);
export const subDef = binaryDef("sub", (gy) => [gy, neg(gy)]);
export const mulDef = binaryDef("mul", (gy, a, b) => [mul(gy, b), mul(gy, a)]);
export const divDef = binaryDef("div", (gy, _a, b, out) => [div(gy, b), neg(div(mul(gy, out), b))]);

/** a + b, with NumPy broadcasting. */
export const add = (a: Tensor, b: Tensor): Tensor => apply(addDef, [a, b], null);
/** a − b, with NumPy broadcasting. */
export const sub = (a: Tensor, b: Tensor): Tensor => apply(subDef, [a, b], null);
/** a · b elementwise, with NumPy broadcasting. */
export const mul = (a: Tensor, b: Tensor): Tensor => apply(mulDef, [a, b], null);
/** a / b elementwise, with NumPy broadcasting. */
export const div = (a: Tensor, b: Tensor): Tensor => apply(divDef, [a, b], null);

function unaryDef(name: UnaryOp, grad: (gy: Tensor, x: Tensor, out: Tensor) => Tensor): OpDef<null> {
  return {
    name,
    forward(be, [x]) {
      assertF32(name, x!);
      const out = empty(x!.shape);
      be.unary(name, x!, out);
      return { out };
    },
    backward(gy, { inputs: [x], out }) {
      return [grad(gy, x!, out)];
    },
  };
}

export const negDef = unaryDef("neg", (gy) => neg(gy));
export const expDef = unaryDef("exp", (gy, _x, out) => mul(gy, out));
export const logDef = unaryDef("log", (gy, x) => div(gy, x));
export const sqrtDef = unaryDef("sqrt", (gy, _x, out) => div(affine(gy, 0.5), out));
export const sinDef = unaryDef("sin", (gy, x) => mul(gy, cos(x)));
export const cosDef = unaryDef("cos", (gy, x) => neg(mul(gy, sin(x))));
export const squareDef = unaryDef("square", (gy, x) => mul(gy, affine(x, 2)));
export const sigmoidDef = unaryDef("sigmoid", (gy, _x, out) => mul(gy, mul(out, affine(out, -1, 1))));
export const siluDef = unaryDef("silu", (gy, x) => {
  const dx = empty(x.shape);
  engine().backend.siluBackward(x, gy, dx);
  return dx;
});

/** −x. */
export const neg = (x: Tensor): Tensor => apply(negDef, [x], null);
/** eˣ elementwise. */
export const exp = (x: Tensor): Tensor => apply(expDef, [x], null);
/** Natural logarithm elementwise. */
export const log = (x: Tensor): Tensor => apply(logDef, [x], null);
/** Square root elementwise. */
export const sqrt = (x: Tensor): Tensor => apply(sqrtDef, [x], null);
/** sin x elementwise. */
export const sin = (x: Tensor): Tensor => apply(sinDef, [x], null);
/** cos x elementwise. */
export const cos = (x: Tensor): Tensor => apply(cosDef, [x], null);
/** x² elementwise. */
export const square = (x: Tensor): Tensor => apply(squareDef, [x], null);
/** 1 / (1 + e⁻ˣ) elementwise. */
export const sigmoid = (x: Tensor): Tensor => apply(sigmoidDef, [x], null);
/** SiLU (swish): x · sigmoid(x). */
export const silu = (x: Tensor): Tensor => apply(siluDef, [x], null);

export const affineDef: OpDef<{ scale: number; shift: number }> = {
  name: "affine",
  forward(be, [x], { scale, shift }) {
    assertF32("affine", x!);
    if (!Number.isFinite(scale) || !Number.isFinite(shift)) throw new RangeError(`affine: scale and shift must be finite, got ${scale}, ${shift}`);
    const out = empty(x!.shape);
    be.affine(x!, scale, shift, out);
    return { out };
  },
  backward(gy, { attrs }) {
    return [affine(gy, attrs.scale)];
  },
};

/** x·scale + shift with scalar constants. */
export const affine = (x: Tensor, scale: number, shift = 0): Tensor => apply(affineDef, [x], { scale, shift });
/** x · s for a number s. */
export const scale = (x: Tensor, s: number): Tensor => affine(x, s, 0);
