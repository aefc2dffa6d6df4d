// The memorisation picture's search: copies of training images find themselves (index, distance 0) and
// count as closer than held-out images; new images do not.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { setup } from "../testing/helpers.js";
import { Rng } from "../tensor/random.js";
import { nearestTrain, memorisationRealSide } from "./memorisation.js";
import { nearestFigure } from "./nearest-figure.js";

before(() => setup(1));

const g = { channels: 3, size: 32, pixels: 3 * 1024 };
function images(n: number, seed: number): Float32Array {
  const out = new Float32Array(n * g.pixels);
  new Rng(seed).fillNormal(out, 0.3);
  return out;
}

test("nearestTrain finds each copied training image of the same class; the figure counts copies as memorised", async () => {
  const train = images(8, 1), trainLabels = Int32Array.from([0, 0, 0, 0, 1, 1, 1, 1]);
  const pick = [6, 1, 3]; // copies of training images 6 (class 1), 1 and 3 (class 0)
  const copies = new Float32Array(3 * g.pixels);
  pick.forEach((t, r) => copies.set(train.subarray(t * g.pixels, (t + 1) * g.pixels), r * g.pixels));
  const labels = Int32Array.from([1, 0, 0]);
  const { index, distance } = nearestTrain(copies, labels, train, trainLabels);
  assert.deepEqual(Array.from(index), pick);
  for (const d of distance) assert.ok(d < 1e-2, `a copy is at distance ${d}`);
  const memo = memorisationRealSide(train, trainLabels, images(4, 2), Int32Array.from([0, 0, 1, 1]));
  const f = await nearestFigure({ images: copies, labels, memo, geometry: g, classNames: ["a", "b"] });
  assert.equal(f.closer, 1);
  const fresh = images(3, 3).map((v) => 2 * v); // new images, farther from training than held-out ones
  assert.equal((await nearestFigure({ images: fresh, labels, memo, geometry: g })).closer, 0);
  assert.deepEqual(Array.from(f.png.subarray(1, 4)), [0x50, 0x4e, 0x47]);
});
