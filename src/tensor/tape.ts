// Reverse-mode autodiff: ops record a TapeNode on outputs whose inputs require grad;
// grad() walks the graph in reverse topological order and sums the gradients of shared inputs.
import { Tensor, type TapeNode } from "./tensor.js";
import { fmtShape } from "./errors.js";

let gradEnabled = true;

export function isGradEnabled(): boolean {
  return gradEnabled;
}

/** Runs fn with grad mode set to `on`, restoring the previous mode afterwards. */
function inGradMode<T>(on: boolean, fn: () => T): T {
  const prev = gradEnabled;
  gradEnabled = on;
  try {
    return fn();
  } finally {
    gradEnabled = prev;
  }
}

/** Runs fn without recording the tape (inference, optimizer updates, gradient rules). */
export function noGrad<T>(fn: () => T): T {
  return inGradMode(false, fn);
}

/** Runs fn with the tape recording, even inside noGrad (a divergence taken within a solver step). */
export function withGrad<T>(fn: () => T): T {
  return inGradMode(true, fn);
}

/** Attaches a tape node to out when grad mode is on and any input requires grad. */
export function record(out: Tensor, op: string, inputs: readonly Tensor[], backward: TapeNode["backward"]): Tensor {
  if (!gradEnabled) return out;
  if (!inputs.some((t) => t.requiresGrad)) return out;
  out.requiresGrad = true;
  out.node = { op, inputs, backward };
  return out;
}

/** Marks a leaf tensor as a variable to differentiate with respect to. */
export function variable(t: Tensor): Tensor {
  if (t.dtype !== "f32") throw new Error(`variable: only f32 tensors can require grad, got ${t.dtype}`);
  t.requiresGrad = true;
  return t;
}

export type AddFn = (a: Tensor, b: Tensor) => Tensor;
export type OnesLike = (t: Tensor) => Tensor;

/**
 * d out / d wrt for a scalar `out` (or with a seed gradient of out's shape).
 * Returns one gradient per wrt tensor; an unreachable one gets zeros.
 */
export function gradWith(
  add: AddFn,
  seedFn: OnesLike,
  zerosLike: OnesLike,
  out: Tensor,
  wrt: readonly Tensor[],
  seed?: Tensor,
): Tensor[] {
  if (!seed && out.size !== 1) throw new Error(`grad: output must be a scalar or a seed must be given, got ${fmtShape(out.shape)}`);
  return noGrad(() => {
    // topological order by DFS (iterative, graphs can be deep)
    const order: Tensor[] = [];
    const seen = new Set<Tensor>();
    const stack: [Tensor, number][] = [[out, 0]];
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const [t, i] = top;
      if (i === 0) {
        if (seen.has(t)) {
          stack.pop();
          continue;
        }
        seen.add(t);
      }
      const inputs = t.node?.inputs ?? [];
      if (i < inputs.length) {
        top[1] = i + 1;
        const child = inputs[i]!;
        if (child.requiresGrad && !seen.has(child)) stack.push([child, 0]);
      } else {
        stack.pop();
        order.push(t);
      }
    }
    const grads = new Map<Tensor, Tensor>();
    const wanted = new Set(wrt);
    // Gradients made during this call are freed as soon as nothing refers to them, which bounds
    // backward's memory. refs counts the map entries that point at each gradient tensor.
    const firstId = Tensor.nextId();
    const refs = new Map<Tensor, number>();
    const owned = (g: Tensor) => g.id >= firstId && g !== seed;
    const release = (g: Tensor) => {
      const n = (refs.get(g) ?? 0) - 1;
      if (n > 0) {
        refs.set(g, n);
        return;
      }
      refs.delete(g);
      if (owned(g)) g.dispose();
    };
    const setGrad = (t: Tensor, g: Tensor) => {
      refs.set(g, (refs.get(g) ?? 0) + 1);
      const old = grads.get(t);
      grads.set(t, g);
      if (old) release(old);
    };
    setGrad(out, seed ?? seedFn(out));
    for (let k = order.length - 1; k >= 0; k--) {
      const t = order[k]!;
      const g = grads.get(t);
      if (!g || !t.node) continue;
      const gs = t.node.backward(g);
      t.node.inputs.forEach((inp, j) => {
        const gi = gs[j];
        if (!gi) return;
        if (!inp.requiresGrad) {
          if (owned(gi) && gi !== g && !refs.has(gi) && !gs.some((o, q) => q > j && o === gi)) gi.dispose();
          return;
        }
        if (gi.shape.length !== inp.shape.length || gi.shape.some((d, q) => d !== inp.shape[q])) {
          throw new Error(`grad of ${t.node!.op}: input ${j} has shape ${fmtShape(inp.shape)} but its gradient has ${fmtShape(gi.shape)}`);
        }
        const prev = grads.get(inp);
        if (prev) {
          setGrad(inp, add(prev, gi));
          if (owned(gi) && !refs.has(gi) && gi !== g && !gs.some((o, q) => q > j && o === gi)) gi.dispose();
        } else {
          setGrad(inp, gi);
        }
      });
      if (!wanted.has(t)) {
        grads.delete(t);
        release(g);
      }
    }
    return wrt.map((w) => grads.get(w) ?? zerosLike(w));
  });
}
