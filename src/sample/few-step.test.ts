// The few-step sampler: one step is x0 + u(x0, 0, y, w, 1) computed by hand, two steps chain the update
// at d = 1/2, NFE is one per step, and bad input (steps, w, solver, guidance) is refused with a clear error.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { setup } from "../testing/helpers.js";
import * as T from "../tensor/index.js";
import { initUNet, unetForward, type UNet } from "../nn/unet.js";
import { imageShape, type UNetConfig } from "../nn/config.js";
import { stateDict } from "../nn/state-dict.js";
import { generate } from "./generate.js";
const INTERVAL = { kind: "interval", lo: 0.2, hi: 0.8 } as const;

before(() => setup(2));

const TINY: UNetConfig = { channels: [4, 8], numResidualLayers: 1, tEmbedDim: 8, yEmbedDim: 4, numClasses: 3, fewStep: { wMin: 1, wMax: 5, steps: [1, 2, 4] } };
const row = (n: number, v: number) => T.full([n, 1, 1, 1], v);

/** A tiny few-step model whose w and d embeddings matter (their last layers are not zero). */
function tinyModel(): UNet {
  const net = initUNet(TINY, 5);
  const rng = new T.Rng(9);
  for (const [k, p] of stateDict(net.params)) if (/^[wd]_embedder\.3\./.test(k)) p.data.set(T.randn(p.shape, rng, 0.5).data);
  return net;
}

test("--steps 1 is one application of x + d·u(x, t, y, w, d) at t = 0, d = 1, computed by hand", () => {
  const net = tinyModel();
  const classes = [0, 2, 3], w = 2.5;
  const g = generate(net, { classes, perClass: 2, w, steps: 1, seed: 4 });
  const labels = classes.flatMap((c) => [c, c]);
  const want = T.tidy(() => {
    const x0 = T.randn(imageShape(6), new T.Rng(4));
    const u = unetForward(net, x0, row(6, 0), T.intTensor(labels), "eval", { w: row(6, w), d: row(6, 1) });
    return T.add(x0, u).toFloat32Array();
  });
  assert.deepEqual(g.images.toFloat32Array(), want);
  assert.equal(g.nfe, 1);
  g.images.dispose();
});

test("--steps 2 chains two updates at d = 1/2 (t = 0, then 1/2); NFE counts one per step; w changes the output", () => {
  const net = tinyModel();
  const g = generate(net, { classes: [1], perClass: 3, w: 4, steps: 2, seed: 2 });
  const want = T.tidy(() => {
    let x = T.randn(imageShape(3), new T.Rng(2));
    const y = T.intTensor([1, 1, 1]);
    for (const t of [0, 0.5]) x = T.add(x, T.affine(unetForward(net, x, row(3, t), y, "eval", { w: row(3, 4), d: row(3, 0.5) }), 0.5));
    return x.toFloat32Array();
  });
  const got = g.images.toFloat32Array();
  let max = 0;
  for (let i = 0; i < want.length; i++) max = Math.max(max, Math.abs(got[i]! - want[i]!));
  assert.ok(max < 1e-5, `max |diff| ${max}`);
  assert.equal(g.nfe, 2);
  const other = generate(net, { classes: [1], perClass: 3, w: 1, steps: 2, seed: 2 });
  assert.notDeepEqual(other.images.toFloat32Array(), got, "w is an input");
  T.disposeAll([g.images, other.images]);
});

const BAD: [string, Parameters<typeof generate>[1], RegExp][] = [
  ["steps 0", { classes: [0], steps: 0, w: 3 }, /steps must be ≥ 1, got 0/],
  ["steps 3 (not trained)", { classes: [0], steps: 3, w: 3 }, /steps 3: this few-step model was trained for 1, 2, 4 steps/],
  ["w above the range", { classes: [0], steps: 1, w: 5.5 }, /w = 5.5 is outside this few-step model's trained range \[1, 5\]/],
  ["w below the range", { classes: [0], steps: 1, w: 0 }, /w = 0 is outside/],
  ["a solver", { classes: [0], steps: 1, w: 3, solver: "heun" }, /solver "heun": a few-step model steps with its own update/],
  ["a guidance method", { classes: [0], steps: 1, w: 3, guidance: INTERVAL }, /guidance "interval": a few-step model takes w as an input/],
];
for (const [what, opts, re] of BAD) test(`few-step generate refuses ${what}`, () => {
  assert.throws(() => generate(tinyModel(), opts), re);
});
