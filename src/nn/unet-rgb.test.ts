// PyTorch interop for colour: a 3-channel, 5-class lab U-Net made by PyTorch (test/golden/unet_rgb.safetensors,
// from make_unet_rgb.py) loads strictly with its architecture inferred, matches PyTorch's eval output, and
// goes back out as a state dict with PyTorch's exact keys, shapes and dtypes (what load_state_dict(strict=True) checks).
import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as T from "../tensor/index.js";
import { setup, golden, gt, assertClose } from "../testing/helpers.js";
import { inferUNetConfig, unetFromStateDict, stateDict, toSafetensorsEntries } from "./state-dict.js";
import { unetForward } from "./unet.js";
import { encodeCheckpoint } from "../train/checkpoint.js";
import { parseSafetensors, type StTensor } from "../io/safetensors.js";

const FILE = "unet_rgb.safetensors";
const weights = (): Map<string, StTensor> => new Map([...golden(FILE).tensors].filter(([k]) => !k.startsWith("io.")));

before(() => setup(2));

test("a 3-channel PyTorch U-Net: architecture inferred (channels in/out 3, 5 classes)", () => {
  assert.deepEqual(inferUNetConfig(weights()), { channels: [8, 16, 32], numResidualLayers: 1, tEmbedDim: 40, yEmbedDim: 40, numClasses: 5, channelsIn: 3, channelsOut: 3 });
});

test("a 3-channel PyTorch U-Net loads strictly and its eval output matches PyTorch", () => {
  const net = unetFromStateDict(weights(), FILE);
  T.tidy(() => {
    const out = T.noGrad(() => unetForward(net, gt(FILE, "io.x"), gt(FILE, "io.t"), gt(FILE, "io.y"), "eval")); // [4, 3, 16, 16]
    assert.deepEqual(out.shape, [4, 3, 16, 16]);
    assertClose(out, gt(FILE, "io.out_eval"), 1e-4, "out_eval");
  });
  T.disposeAll(net.params);
});

test("and back: flowlab writes the 3-channel model with PyTorch's keys, shapes, dtypes and values", () => {
  const net = unetFromStateDict(weights(), FILE);
  const file = parseSafetensors(encodeCheckpoint({ net, ema: null, adam: null, record: null }), "rgb.safetensors");
  const torch = weights();
  assert.deepEqual([...file.tensors.keys()].sort(), [...torch.keys()].sort());
  for (const [k, t] of torch) {
    const f = file.tensors.get(k)!;
    assert.deepEqual([f.dtype, f.shape], [t.dtype, t.shape], k);
    assert.deepEqual(Array.from(f.data as ArrayLike<number | bigint>, Number), Array.from(t.data as ArrayLike<number | bigint>, Number), k);
  }
  assert.equal(toSafetensorsEntries(stateDict(net.params)).length, torch.size);
  T.disposeAll(net.params);
});

test("a grey model cannot take colour input, and a colour model refuses grey", () => {
  const net = unetFromStateDict(weights(), FILE);
  T.tidy(() => {
    assert.throws(() => unetForward(net, T.zeros([2, 1, 16, 16]), T.full([2, 1, 1, 1], 0.5), T.intTensor([0, 1]), "eval"), /x must be f32 \[B, 3, H, W\]/);
  });
  T.disposeAll(net.params);
});
