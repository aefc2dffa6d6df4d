// conv2d: 3×3 kernels, padding 1, stride 1 or 2, any channel counts; input, weight and bias gradients.
import type { Tensor } from "../tensor.js";
import { apply, type OpDef } from "./op.js";
import { empty, assertF32 } from "./create.js";
import { shapeError, fmtShape } from "../errors.js";
import { engine } from "../engine.js";

export const conv2dDef: OpDef<{ stride: number }> = {
  name: "conv2d",
  forward(be, [x, w, b], { stride }) {
    assertF32("conv2d", x!);
    const [B, Cin, H, W] = x!.shape as [number, number, number, number];
    const expected = `x [B, Cin, H, W], weight [Cout, Cin, 3, 3], bias [Cout]`;
    if (x!.rank !== 4 || w!.rank !== 4 || w!.shape[1] !== Cin || w!.shape[2] !== 3 || w!.shape[3] !== 3 || (b && (b.rank !== 1 || b.shape[0] !== w!.shape[0]))) {
      throw shapeError("conv2d", `got x ${fmtShape(x!.shape)}, weight ${fmtShape(w!.shape)}, bias ${b ? fmtShape(b.shape) : "none"}; expected ${expected}`);
    }
    if (stride !== 1 && stride !== 2) throw shapeError("conv2d", `stride must be 1 or 2, got ${stride}`);
    const Ho = Math.floor((H + 2 - 3) / stride) + 1;
    const Wo = Math.floor((W + 2 - 3) / stride) + 1;
    const out = empty([B, w!.shape[0]!, Ho, Wo]);
    be.conv3(x!, w!, b ?? null, out, stride);
    return { out };
  },
  backward(gy, { inputs: [x, w, b], attrs }) {
    const dx = x!.requiresGrad ? empty(x!.shape) : null;
    const dw = empty(w!.shape);
    const db = b ? empty(b.shape) : null;
    engine().backend.conv3Backward(x!, w!, gy, dx, dw, db, attrs.stride);
    return [dx, dw, db];
  },
};

/** PyTorch's conv2d(x, w, b, stride, padding=1) for 3×3 kernels. */
export function conv2d(x: Tensor, w: Tensor, b: Tensor | null = null, stride = 1): Tensor {
  return apply(conv2dDef, b ? [x, w, b] : [x, w], { stride });
}
