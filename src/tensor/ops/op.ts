// The op protocol: a forward that allocates its output and runs a backend kernel, and the gradient
// rule beside it. apply() runs the forward and records the rule on the tape.
import { engine } from "../engine.js";
import type { Backend } from "../backend.js";
import type { Tensor } from "../tensor.js";
import { record } from "../tape.js";

export interface Ctx<A> {
  readonly inputs: readonly Tensor[];
  readonly out: Tensor;
  readonly saved: readonly Tensor[];
  readonly attrs: A;
}

export interface OpDef<A> {
  /** The op's key in the registry (ops/registry.ts); a test checks they agree. */
  readonly name: string;
  forward(be: Backend, inputs: readonly Tensor[], attrs: A): { out: Tensor; saved?: Tensor[] };
  /** Gradients of the inputs given the output's gradient gy (null where an input has none). */
  backward(gy: Tensor, ctx: Ctx<A>): readonly (Tensor | null)[];
}

export function apply<A>(def: OpDef<A>, inputs: readonly Tensor[], attrs: A): Tensor {
  const { out, saved } = def.forward(engine().backend, inputs, attrs);
  const s = saved ?? [];
  record(out, def.name, inputs, (gy) => def.backward(gy, { inputs, out, saved: s, attrs }));
  if (!out.node) for (const t of s) t.dispose();
  return out;
}
