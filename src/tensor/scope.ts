// tidy(): every tensor made inside fn is disposed when fn returns, except those it returns or kept ones.
// Scopes nest; surviving tensors move to the enclosing scope. This is flowlab's memory discipline.
/** What a scope tracks: anything with a kept flag and a dispose() (tensors). */
export interface Scoped {
  readonly kept: boolean;
  dispose(): void;
}

const scopes: Set<Scoped>[] = [];

export function track(t: Scoped): void {
  const top = scopes[scopes.length - 1];
  if (top) top.add(t);
}

/** Tensors are recognised by shape (this module does not import them). */
function isScoped(v: object): v is Scoped {
  return "ptr" in v && "shape" in v && "dtype" in v && "kept" in v && typeof (v as { dispose?: unknown }).dispose === "function";
}

function collect(value: unknown, out: Set<Scoped>, depth = 0): void {
  if (value === null || typeof value !== "object" || depth > 4) return;
  if (isScoped(value)) {
    out.add(value);
    return;
  }
  if (Array.isArray(value)) for (const v of value) collect(v, out, depth + 1);
  else if (value instanceof Map) for (const v of value.values()) collect(v, out, depth + 1);
  else if (Object.getPrototypeOf(value) === Object.prototype) for (const v of Object.values(value)) collect(v, out, depth + 1);
}

/** Runs fn in a scope; returns its result, disposing every other tensor fn made. */
export function tidy<T>(fn: () => T): T {
  const scope = new Set<Scoped>();
  scopes.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    scopes.pop();
    for (const t of scope) if (!t.kept) t.dispose();
    throw e;
  }
  scopes.pop();
  const survivors = new Set<Scoped>();
  collect(result, survivors);
  const parent = scopes[scopes.length - 1];
  for (const t of scope) {
    if (survivors.has(t) || t.kept) parent?.add(t);
    else t.dispose();
  }
  return result;
}

/** Disposes every tensor in a value (tensor, array, map or plain object). */
export function disposeAll(value: unknown): void {
  const s = new Set<Scoped>();
  collect(value, s);
  for (const t of s) t.dispose();
}
