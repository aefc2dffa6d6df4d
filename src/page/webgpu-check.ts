// The browser side of the webgpu tests (src/tensor/webgpu/webgpu.test.ts loads it in Chromium): starts
// the engine on the page's thread with the webgpu backend and runs the conformance suite.
import { initBrowserEngine } from "../tensor/browser.js";
import { engineInfo, type EngineInfo } from "../tensor/engine.js";
import { runConformance, type Check } from "../tensor/webgpu/suite.js";

const build = (name: string) => new URL(`../../build/${name}`, import.meta.url).href;

/** Starts the engine (one thread, unshared memory) with `backend`; returns what it runs. */
export async function start(backend: "webgpu" | "auto" | "wasm"): Promise<EngineInfo> {
  await initBrowserEngine({
    threads: 1,
    sharedMemory: false,
    backend,
    wasmUrls: { simd: build("kernels.wasm"), relaxed: build("kernels-relaxed.wasm") },
    unsharedWasmUrls: { simd: build("kernels-unshared.wasm"), relaxed: build("kernels-relaxed-unshared.wasm") },
    makeWorker: () => {
      throw new Error("one thread: no pool workers");
    },
  });
  return engineInfo();
}

/** The conformance checks (see suite.ts), `only` a regular expression source over case names. */
export function conformance(only?: string): Promise<Check[]> {
  return runConformance(only === undefined ? undefined : new RegExp(only));
}

/** What the residency rules do, step by step (webgpu.test.ts checks each line). */
export async function residency(): Promise<string[]> {
  const { tensor, add, setBackend } = await import("../tensor/index.js");
  const seen: string[] = [];
  const tryRead = (f: () => unknown) => {
    try {
      return `value ${JSON.stringify(f())}`;
    } catch (e) {
      return `throws: ${(e as Error).message}`;
    }
  };
  setBackend("webgpu");
  const a = tensor([1, 2, 3]);
  const b = add(a, a);
  seen.push(`input on the host after a kernel read it: ${tryRead(() => a.toArray())}`);
  seen.push(`output before read(): ${tryRead(() => b.toArray())}`);
  seen.push(`read(): ${JSON.stringify(Array.from(await b.read()))}`);
  seen.push(`output after read(): ${tryRead(() => b.toArray())}`);
  a.data[0] = 10;
  const c = add(a, a);
  seen.push(`after a host write the next kernel sees it: ${JSON.stringify(Array.from(await c.read()))}`);
  setBackend("wasm");
  const d = add(b, b);
  seen.push(`a read-back tensor on wasm: ${tryRead(() => d.toArray())}`);
  setBackend("webgpu");
  const e = add(c, c);
  setBackend("wasm");
  seen.push(`a GPU-newer tensor on wasm: ${tryRead(() => add(e, e))}`);
  for (const t of [a, b, c, d, e]) t.dispose();
  return seen;
}
