// Adam's in-place update kernel (not differentiable: it runs outside the tape).
import type { Tensor } from "../tensor.js";
import type { AdamHyper } from "../backend.js";
import { engine } from "../engine.js";
import { shapeError, fmtShape } from "../errors.js";

export function adamUpdate(p: Tensor, g: Tensor, m: Tensor, v: Tensor, h: AdamHyper): void {
  for (const [name, t] of [["grad", g], ["m", m], ["v", v]] as const) {
    if (t.size !== p.size || t.dtype !== "f32") throw shapeError("adam", `${name} ${fmtShape(t.shape)} does not match parameter ${fmtShape(p.shape)}`);
  }
  if (!(h.step >= 1)) throw new RangeError(`adam: step must be ≥ 1, got ${h.step}`);
  engine().backend.adam(p, g, m, v, h);
}
