// The unshared-memory engine (for pages without cross-origin isolation) computes exactly what the
// shared one does on one thread, also when the heap has to grow mid-run (which detaches old buffers).
import { test, after } from "node:test";
import assert from "node:assert/strict";
import * as T from "./index.js";
import { initNodeEngine } from "./node.js";
import { initUNet, unetForward } from "../nn/unet.js";
import { parameters } from "../nn/state-dict.js";

after(() => T.shutdownEngine());

/** A small U-Net's loss and gradient checksums after a forward and backward pass. */
function unetRun(): { loss: number; grads: number[] } {
  const net = initUNet({ channels: [8, 16], numResidualLayers: 1, tEmbedDim: 8, yEmbedDim: 8, numClasses: 10 }, 3);
  const params = [...parameters(net.params).values()];
  const out = T.tidy(() => {
    const rng = new T.Rng(5);
    const x = T.randn([6, 1, 32, 32], rng); // x: [B, 1, 32, 32]
    const t = T.rand([6, 1, 1, 1], rng);
    const y = T.intTensor([0, 1, 2, 3, 10, 10]);
    const loss = T.mean(T.square(unetForward(net, x, t, y, "train")));
    const grads = T.grad(loss, params);
    return { loss: loss.item(), grads: grads.map((g) => Array.from(g.data).reduce((a, v) => a + v * 1.0001, 0)) };
  });
  return out;
}

async function withEngine<R>(opts: T.EngineOptions, fn: () => R): Promise<{ result: R; shared: boolean; grew: boolean }> {
  const e = await initNodeEngine(opts);
  const before = e.heap.memory.buffer.byteLength;
  try {
    const result = fn();
    return { result, shared: e.sharedMemory, grew: e.heap.memory.buffer.byteLength > before };
  } finally {
    T.shutdownEngine();
  }
}

test("an unshared engine matches the shared one bit for bit, through heap growth", async () => {
  for (const kernels of ["simd", "relaxed"] as const) {
    const a = await withEngine({ threads: 1, kernels, initialMiB: 2 }, unetRun);
    const b = await withEngine({ threads: 1, kernels, initialMiB: 2, sharedMemory: false }, unetRun);
    assert.equal(a.shared, true);
    assert.equal(b.shared, false);
    assert.ok(b.grew, "the run should have grown the heap (to cover detached buffers)");
    assert.ok(Number.isFinite(b.result.loss));
    assert.deepEqual(b.result, a.result, `${kernels} kernels`);
  }
});

test("an unshared engine refuses more than one thread, with a clear message", async () => {
  await assert.rejects(initNodeEngine({ threads: 2, sharedMemory: false }), /unshared memory runs on one thread, got threads = 2/);
  T.shutdownEngine();
});
