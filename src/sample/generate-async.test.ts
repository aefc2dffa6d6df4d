// generateAsync() (the webgpu path) against generate() on wasm: the same samples, NFE, trajectory and
// per-step reports bit for bit, for every solver, guidance method and a few-step model; nothing leaks.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as T from "../tensor/index.js";
import { setup } from "../testing/helpers.js";
import { initUNet, type UNet } from "../nn/unet.js";
import type { UNetConfig } from "../nn/config.js";
import { stateDict } from "../nn/state-dict.js";
import { generate, generateAsync, type GenerateOptions, type Generated, type StepInfo } from "./generate.js";
import { guidanceByName } from "../flow/guidance-methods.js";

before(async () => {
  await setup(2);
  // the first run allocates the engine's lasting scratch blocks, which the leak checks below must not count
  const net = initUNet(PLAIN, 3);
  generate(net, { classes: [1], steps: 1 }).images.dispose();
  T.disposeAll(net.params);
});

const PLAIN: UNetConfig = { channels: [4, 8], numResidualLayers: 1, tEmbedDim: 4, yEmbedDim: 4, numClasses: 10 };
const FEW: UNetConfig = { channels: [4, 8], numResidualLayers: 1, tEmbedDim: 8, yEmbedDim: 4, numClasses: 3, fewStep: { wMin: 1, wMax: 5, steps: [1, 2, 4] } };

/** A few-step model whose w and d embeddings matter (their last layers are not zero). */
function fewStepModel(): UNet {
  const net = initUNet(FEW, 5);
  const rng = new T.Rng(9);
  for (const [k, p] of stateDict(net.params)) if (/^[wd]_embedder\.3\./.test(k)) p.data.set(T.randn(p.shape, rng, 0.5).data);
  return net;
}

const cases: { name: string; config: "plain" | "few"; opts: Omit<GenerateOptions, "onStep"> }[] = [
  { name: "euler, cfg, w = 3, trajectory", config: "plain", opts: { classes: [2, 10], perClass: 2, w: 3, steps: 3, solver: "euler", guidance: guidanceByName("cfg"), seed: 5, recordEvery: 1 } },
  { name: "midpoint, interval, w = 2", config: "plain", opts: { classes: [0, 7], perClass: 1, w: 2, steps: 4, solver: "midpoint", guidance: guidanceByName("interval"), seed: 1 } },
  { name: "heun, rescale, w = 4, every 2nd step recorded", config: "plain", opts: { classes: [3], perClass: 3, w: 4, steps: 3, solver: "heun", guidance: guidanceByName("rescale"), seed: 2, recordEvery: 2 } },
  { name: "rk4, zero-star, w = 1.5", config: "plain", opts: { classes: [9, 10], perClass: 1, w: 1.5, steps: 2, solver: "rk4", guidance: guidanceByName("zero-star"), seed: 3 } },
  { name: "euler, w = 1 (conditional field only)", config: "plain", opts: { classes: [4], perClass: 2, w: 1, steps: 2, solver: "euler", seed: 4 } },
  { name: "few-step model, 2 steps, w = 2.5", config: "few", opts: { classes: [0, 2], perClass: 2, w: 2.5, steps: 2, seed: 6 } },
];

interface Seen {
  done: number;
  total: number;
  t: number;
  values: (Float32Array | null)[];
}

const record = (seen: Seen[]) => (s: StepInfo) => seen.push({ done: s.done, total: s.total, t: s.t, values: [s.x, s.drift, s.cond, s.guiding].map((t) => (t ? t.toFloat32Array() : null)) });

function release(g: Generated): void {
  g.images.dispose();
  g.trajectory?.frames.forEach((f) => f.dispose());
}

for (const c of cases) {
  for (const reporting of [true, false]) {
    test(`generateAsync = generate bit for bit on wasm (${c.name}${reporting ? ", with onStep" : ""})`, async () => {
      const net = c.config === "few" ? fewStepModel() : initUNet(PLAIN, 3);
      const before = T.engine().heap.liveBytes;
      const seenSync: Seen[] = [], seenAsync: Seen[] = [];
      const sync = generate(net, { ...c.opts, ...(reporting ? { onStep: record(seenSync) } : {}) });
      const async_ = await generateAsync(net, { ...c.opts, ...(reporting ? { onStep: record(seenAsync) } : {}) });
      assert.deepEqual(async_.images.shape, sync.images.shape);
      assert.deepEqual(async_.images.toFloat32Array(), sync.images.toFloat32Array(), "images");
      assert.deepEqual(async_.labels, sync.labels);
      assert.equal(async_.nfe, sync.nfe);
      assert.ok(sync.nfe > 0 && async_.seconds > 0);
      assert.equal(async_.trajectory === undefined, sync.trajectory === undefined);
      if (sync.trajectory) {
        assert.deepEqual(async_.trajectory!.times, sync.trajectory.times);
        assert.deepEqual(async_.trajectory!.frames.map((f) => f.toFloat32Array()), sync.trajectory.frames.map((f) => f.toFloat32Array()), "trajectory");
      }
      assert.equal(seenSync.length, reporting ? c.opts.steps : 0);
      assert.deepEqual(seenAsync, seenSync, "the per-step reports (x, drift and its parts)");
      release(sync);
      release(async_);
      assert.equal(T.engine().heap.liveBytes, before, "tensors left behind");
      T.disposeAll(net.params);
    });
  }
}

for (const which of ["generate", "generateAsync"] as const) {
  test(`${which}: an onStep that throws stops the run, and the step's tensors, the noise and the labels are released`, async () => {
    const net = initUNet(PLAIN, 3);
    const before = T.engine().heap.liveBytes;
    let calls = 0;
    const onStep = () => {
      if (++calls === 2) throw new Error("stop here");
    };
    const opts: GenerateOptions = { classes: [1, 10], perClass: 1, w: 3, steps: 4, solver: "midpoint", seed: 0, onStep };
    await assert.rejects(async () => (which === "generate" ? generate(net, opts) : await generateAsync(net, opts)), /stop here/);
    assert.equal(calls, 2);
    assert.equal(T.engine().heap.liveBytes, before, "tensors left behind");
    T.disposeAll(net.params);
  });
}
