// Bilinear ×2 upsampling with PyTorch semantics (align_corners=False), forward and backward.
import type { Tensor } from "../tensor.js";
import { apply, type OpDef } from "./op.js";
import { empty, assertF32 } from "./create.js";
import { shapeError, fmtShape } from "../errors.js";
import { engine } from "../engine.js";

export const upsample2xDef: OpDef<null> = {
  name: "upsample2x",
  forward(be, [x]) {
    assertF32("upsample2x", x!);
    if (x!.rank !== 4) throw shapeError("upsample2x", `expected [N, C, H, W], got ${fmtShape(x!.shape)}`);
    const [N, C, H, W] = x!.shape as [number, number, number, number];
    const out = empty([N, C, 2 * H, 2 * W]);
    be.upsample2x(x!, out);
    return { out };
  },
  backward(gy, { inputs: [x] }) {
    const dx = empty(x!.shape);
    engine().backend.upsample2xBackward(gy, dx);
    return [dx];
  },
};

/** Bilinear ×2 upsampling of [N, C, H, W] (PyTorch's align_corners=False). */
export const upsample2x = (x: Tensor): Tensor => apply(upsample2xDef, [x], null);
