// conv2d: 3×3 kernels, padding 1, stride 1 or 2, any channel counts; optionally fused with an addend
// (a residual [B, Cout, Ho, Wo] or a per-image shift [B, Cout, 1, 1]); input, weight, bias and addend gradients.
import type { Tensor } from "../tensor.js";
import { apply, type OpDef } from "./op.js";
import { empty, assertF32 } from "./create.js";
import { shapeError, fmtShape } from "../errors.js";
import { engine } from "../engine.js";
import { sumTo } from "./reduce.js";

export const conv2dDef: OpDef<{ stride: number; bias: boolean; addend: boolean }> = {
  name: "conv2d",
  forward(be, inputs, { stride, bias, addend }) {
    const [x, w] = inputs as [Tensor, Tensor];
    const b = bias ? inputs[2]! : null;
    const a = addend ? inputs[bias ? 3 : 2]! : null;
    assertF32("conv2d", x);
    const [B, Cin, H, W] = x.shape as [number, number, number, number];
    const expected = `x [B, Cin, H, W], weight [Cout, Cin, 3, 3], bias [Cout]`;
    if (x.rank !== 4 || w.rank !== 4 || w.shape[1] !== Cin || w.shape[2] !== 3 || w.shape[3] !== 3 || (b && (b.rank !== 1 || b.shape[0] !== w.shape[0]))) {
      throw shapeError("conv2d", `got x ${fmtShape(x.shape)}, weight ${fmtShape(w.shape)}, bias ${b ? fmtShape(b.shape) : "none"}; expected ${expected}`);
    }
    if (stride !== 1 && stride !== 2) throw shapeError("conv2d", `stride must be 1 or 2, got ${stride}`);
    const Ho = Math.floor((H + 2 - 3) / stride) + 1;
    const Wo = Math.floor((W + 2 - 3) / stride) + 1;
    const Cout = w.shape[0]!;
    if (a) {
      assertF32("conv2d", a);
      const s = a.shape;
      const ok = a.rank === 4 && s[0] === B && s[1] === Cout && ((s[2] === Ho && s[3] === Wo) || (s[2] === 1 && s[3] === 1));
      if (!ok) throw shapeError("conv2d", `addend ${fmtShape(s)} must be [${B}, ${Cout}, ${Ho}, ${Wo}] or [${B}, ${Cout}, 1, 1]`);
    }
    const out = empty([B, Cout, Ho, Wo]);
    be.conv3(x, w, b, out, stride, a);
    return { out };
  },
  backward(gy, { inputs, attrs }) {
    const [x, w] = inputs as [Tensor, Tensor];
    const b = attrs.bias ? inputs[2]! : null;
    const a = attrs.addend ? inputs[attrs.bias ? 3 : 2]! : null;
    const dx = x.requiresGrad ? empty(x.shape) : null;
    const dw = empty(w.shape);
    const db = b ? empty(b.shape) : null;
    engine().backend.conv3Backward(x, w, gy, dx, dw, db, attrs.stride);
    const grads: (Tensor | null)[] = [dx, dw];
    if (b) grads.push(db);
    if (a) grads.push(sumTo(gy, a.shape));
    return grads;
  },
};

/** PyTorch's conv2d(x, w, b, stride, padding=1) for 3×3 kernels, plus `addend` (fused) when given. */
export function conv2d(x: Tensor, w: Tensor, b: Tensor | null = null, stride = 1, addend: Tensor | null = null): Tensor {
  const inputs = [x, w];
  if (b) inputs.push(b);
  if (addend) inputs.push(addend);
  return apply(conv2dDef, inputs, { stride, bias: b !== null, addend: addend !== null });
}
