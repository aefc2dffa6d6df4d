// channelAffine: y[b, c, …] = act(x[b, c, …])·scale[c] + shift[c], act = identity or SiLU, in one pass.
// It is eval-mode BatchNorm (and the lab's SiLU → BatchNorm pair) without the extra passes over x.
import type { Tensor } from "../tensor.js";
import { apply, type OpDef } from "./op.js";
import { empty, assertF32 } from "./create.js";
import { shapeError, fmtShape } from "../errors.js";
import { engine } from "../engine.js";
import { mul, silu as siluOp } from "./elementwise.js";
import { sum } from "./reduce.js";
import { reshape } from "./shape.js";

export const channelAffineDef: OpDef<{ silu: boolean }> = {
  name: "channelAffine",
  forward(be, [x, scale, shift], { silu }) {
    assertF32("channelAffine", x!);
    const C = x!.shape[1];
    if (x!.rank < 2 || C === undefined) throw shapeError("channelAffine", `expected x [B, C, …], got ${fmtShape(x!.shape)}`);
    for (const p of [scale!, shift!]) if (p.rank !== 1 || p.shape[0] !== C) throw shapeError("channelAffine", `scale/shift ${fmtShape(p.shape)} do not match ${C} channels of x ${fmtShape(x!.shape)}`);
    const out = empty(x!.shape);
    be.channelAffine(x!, scale!, shift!, out, silu);
    return { out };
  },
  backward(gy, { inputs: [x, scale], attrs: { silu } }) {
    const C = x!.shape[1]!;
    const bshape = x!.shape.map((d, i) => (i === 1 ? d : 1)); // [1, C, 1, …]
    const axes = x!.shape.map((_, i) => i).filter((i) => i !== 1);
    const a = silu ? siluOp(x!) : x!; // act(x)
    const da = mul(gy, reshape(scale!, bshape));
    let dx = da;
    if (silu) {
      dx = empty(x!.shape);
      engine().backend.siluBackward(x!, da, dx);
    }
    const dscale = reshape(sum(mul(gy, a), axes), [C]);
    const dshift = reshape(sum(gy, axes), [C]);
    return [dx, dscale, dshift];
  },
};

/** act(x)·scale[c] + shift[c] per channel (axis 1); act = SiLU when `silu`. */
export function channelAffine(x: Tensor, scale: Tensor, shift: Tensor, silu = false): Tensor {
  return apply(channelAffineDef, [x, scale, shift], { silu });
}
