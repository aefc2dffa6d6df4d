// The judge's hold-out: per class, seeded, disjoint and complete; the same seed gives the same split.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { datasetFromArrays, type ImageDataset } from "../data/dataset.js";
import { holdOut } from "./split.js";
import { Rng } from "../tensor/random.js";
import { setup } from "../testing/helpers.js";

before(() => setup(1));

const counts = [10, 3, 5];
const labels = Int32Array.from(counts.flatMap((n, k) => Array<number>(n).fill(k)));
const images = Float32Array.from({ length: labels.length * 3 * 4 }, (_, i) => Math.floor(i / 12)); // image i is filled with i
const all = datasetFromArrays("t", images, labels, { size: 2, channels: 3, numClasses: 3, classNames: ["a", "b", "c"] });
const ids = (d: { images: Float32Array; count: number }) => Array.from({ length: d.count }, (_, r) => d.images[r * 12]!);

test("holdOut keeps round(fraction · n) (at least 1, at most n − 1) of each class, disjoint from training, by seed", () => {
  const { train, reference } = holdOut(all, 0.2, 0);
  assert.deepEqual([0, 1, 2].map((k) => Array.from(reference.labels).filter((l) => l === k).length), [2, 1, 1]);
  assert.deepEqual([...ids(train), ...ids(reference)].sort((a, b) => a - b), Array.from({ length: 18 }, (_, i) => i));
  for (const [d, ls] of [[train, train.labels], [reference, reference.labels]] as const) ids(d).forEach((id, r) => assert.equal(ls[r], labels[id]!, "labels travel with their images"));
  assert.deepEqual(ids(holdOut(all, 0.2, 0).reference), ids(reference), "same seed, same split");
  assert.notDeepEqual(ids(holdOut(all, 0.2, 1).reference), ids(reference), "another seed, another split");
  assert.deepEqual(reference.classNames, ["a", "b", "c"]);
  const more = holdOut(all, 0.3, 0).reference.labels; // 10 → 3, 3 → 0.9 → 1, 5 → 1.5 → 2
  assert.deepEqual([0, 1, 2].map((k) => Array.from(more).filter((l) => l === k).length), [3, 1, 2]);
});

test("holdOut names a class with fewer than 2 images", () => {
  const one = datasetFromArrays("t", images.subarray(0, 11 * 12), labels.subarray(0, 11), { size: 2, channels: 3, numClasses: 2, classNames: ["a", "b"] });
  assert.throws(() => holdOut(one, 0.2, 0), /class "b" has 1 image; holding some out/);
});

test("holdOut keeps the data's flips on the training part only (flowlab train --flip --holdout F)", () => {
  // image i holds 100·i + x in column x of a 2×2 grey image, so a mirrored row reads 100·i + 1, 100·i + 0
  const n = 6, S = 2;
  const px = Float32Array.from({ length: n * S * S }, (_, j) => 100 * Math.floor(j / 4) + (j % 2));
  const lab = Int32Array.from({ length: n }, (_, i) => i % 2);
  const mirrored = (d: ImageDataset) => {
    const rng = new Rng(5);
    let m = 0;
    for (let k = 0; k < 20; k++) {
      const { z, y } = d.sample(2, rng);
      for (let b = 0; b < 2; b++) if (z.data[b * 4]! > z.data[b * 4 + 1]!) m++;
      z.dispose();
      y?.dispose();
    }
    return m;
  };
  for (const flip of [true, false]) {
    const { train, reference } = holdOut(datasetFromArrays("f", px, lab, { size: S, channels: 1, numClasses: 2, flip }), 0.3, 0);
    assert.equal(train.flip === true, flip, `train.flip with flip ${flip}`);
    assert.equal(mirrored(train) > 0, flip, `the training part ${flip ? "mirrors" : "does not mirror"} drawn images`);
    assert.equal(mirrored(reference), 0, "the reference is never mirrored");
  }
});
