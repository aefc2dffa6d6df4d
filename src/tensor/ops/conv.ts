// conv2d: 3×3 kernels, padding 1, stride 1 or 2, any channel counts; optionally fused with an input
// transform act(x)·scale[c] + shift[c] (eval BatchNorm, after SiLU) and an addend (a residual
// [B, Cout, Ho, Wo] or a per-image shift [B, Cout, 1, 1]). Every input has its gradient.
import type { Tensor } from "../tensor.js";
import { apply, type OpDef } from "./op.js";
import { empty, assertF32 } from "./create.js";
import { shapeError, fmtShape } from "../errors.js";
import { engine } from "../engine.js";
import { sumTo } from "./reduce.js";
import { channelAffineDef } from "./channel-affine.js";
import type { ConvPre } from "../backend.js";

type PreKind = "none" | "affine" | "silu";
/** conv2d's attributes on the tape. */
export interface ConvAttrs {
  stride: number;
  bias: boolean;
  addend: boolean;
  pre: PreKind;
}

/** inputs = [x, w, bias?, addend?, scale?, shift?] → named parts. */
function parts(inputs: readonly Tensor[], a: ConvAttrs) {
  let i = 2;
  const b = a.bias ? inputs[i++]! : null;
  const add = a.addend ? inputs[i++]! : null;
  const pre: ConvPre | null = a.pre !== "none" ? { scale: inputs[i]!, shift: inputs[i + 1]!, silu: a.pre === "silu" } : null;
  return { x: inputs[0]!, w: inputs[1]!, b, add, pre };
}

export const conv2dDef: OpDef<ConvAttrs> = {
  name: "conv2d",
  forward(be, inputs, attrs) {
    const { stride } = attrs;
    const { x, w, b, add: a, pre } = parts(inputs, attrs);
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
    if (pre) for (const p of [pre.scale, pre.shift]) if (p.rank !== 1 || p.shape[0] !== Cin) throw shapeError("conv2d", `input scale/shift ${fmtShape(p.shape)} must be [${Cin}]`);
    const out = empty([B, Cout, Ho, Wo]);
    be.conv2d(x, w, b, out, stride, a, pre);
    return { out };
  },
  backward(gy, { inputs, out, attrs }) {
    const { x, w, b, add: a, pre } = parts(inputs, attrs);
    const be = engine().backend;
    // the convolution saw act(x)·scale + shift: recompute it, differentiate the conv, then the transform
    let xin = x;
    if (pre) {
      xin = empty(x.shape);
      be.channelAffine(x, pre.scale, pre.shift, xin, pre.silu);
    }
    const dxin = pre || x.requiresGrad ? empty(x.shape) : null;
    const dw = empty(w.shape);
    const db = b ? empty(b.shape) : null;
    be.conv2dBackward(xin, w, gy, dxin, dw, db, attrs.stride);
    let dx: Tensor | null = dxin, dscale: Tensor | null = null, dshift: Tensor | null = null;
    if (pre) {
      [dx, dscale, dshift] = channelAffineDef.backward(dxin!, { inputs: [x, pre.scale, pre.shift], out, saved: [], attrs: { silu: pre.silu } }) as [Tensor, Tensor, Tensor];
      xin.dispose();
      dxin!.dispose();
    }
    const grads: (Tensor | null)[] = [dx, dw];
    if (b) grads.push(db);
    if (a) grads.push(sumTo(gy, a.shape));
    if (pre) grads.push(dscale, dshift);
    return grads;
  },
};

/**
 * PyTorch's conv2d(x, w, b, stride, padding=1) for 3×3 kernels, plus `addend` when given; with `pre`
 * the convolution sees act(x)·scale[c] + shift[c] (SiLU when pre.silu), all fused where the backend can.
 */
export function conv2d(x: Tensor, w: Tensor, b: Tensor | null = null, stride = 1, addend: Tensor | null = null, pre: ConvPre | null = null): Tensor {
  const inputs = [x, w];
  if (b) inputs.push(b);
  if (addend) inputs.push(addend);
  if (pre) inputs.push(pre.scale, pre.shift);
  return apply(conv2dDef, inputs, { stride, bias: b !== null, addend: addend !== null, pre: pre ? (pre.silu ? "silu" : "affine") : "none" });
}
