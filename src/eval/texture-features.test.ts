// The texture network on colour: every channel is read (grain in green alone moves the features), and
// grey images keep the lab's one-channel network.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { setup } from "../testing/helpers.js";
import { Rng } from "../tensor/random.js";
import { textureFeatures, TEXTURE_FEATURES } from "./texture-features.js";

before(() => setup(1));

test("texture features read all three channels of colour images", () => {
  const g = { channels: 3, size: 32, pixels: 3 * 1024 };
  const clean = new Float32Array(2 * g.pixels).fill(0.5);
  const grain = Float32Array.from(clean);
  const rng = new Rng(1);
  for (let n = 0; n < 2; n++) for (let i = 0; i < 1024; i++) grain[n * g.pixels + 1024 + i]! += 0.1 * rng.normal(); // green plane only
  const a = textureFeatures(clean, g), b = textureFeatures(grain, g);
  assert.equal(a.length, 2 * TEXTURE_FEATURES);
  let moved = 0;
  for (let i = 0; i < a.length; i++) moved = Math.max(moved, Math.abs(a[i]! - b[i]!));
  assert.ok(moved > 0.5, `grain in green moves the features (max change ${moved})`);
  const grey = textureFeatures(new Float32Array(1024).fill(0.5));
  assert.equal(grey.length, TEXTURE_FEATURES);
});
