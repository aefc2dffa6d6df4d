// The judge's file: a colour 64 px judge round-trips with its geometry, an MNIST-era file (no geometry)
// reads as grey 32×32, and a config the classifier cannot build is refused naming the file.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { setup, repoRoot } from "../testing/helpers.js";
import { initClassifier, classifierImage, JUDGE_CONFIG } from "../nn/classifier.js";
import { encodeJudge, decodeJudge, judge, judgeConfigFor } from "./judge.js";
import { parseSafetensors, serializeSafetensors } from "../io/safetensors.js";

before(() => setup(1));

test("a colour 64 px judge in 5 classes round-trips with its geometry and judges [N, 3, 64, 64]", () => {
  const config = judgeConfigFor({ channels: 3, size: 64, numClasses: 5 });
  assert.deepEqual(config, { ...JUDGE_CONFIG, numClasses: 5, channelsIn: 3, imageSize: 64 });
  const net = initClassifier(config, 1);
  const back = decodeJudge(encodeJudge(net, { data: "folder:x" }), "j.safetensors");
  assert.deepEqual(classifierImage(back.net.config), { channels: 3, size: 64, pixels: 3 * 64 * 64 });
  const images = new Float32Array(2 * 3 * 64 * 64).map((_, i) => Math.sin(i));
  const a = judge(net, images), b = judge(back.net, images);
  assert.equal(a.predictions.length, 2);
  assert.deepEqual(Array.from(b.features), Array.from(a.features));
  assert.throws(() => judge(net, new Float32Array(1024)), /not whole images of \[3, 64, 64\]/);
});

test("the shipped MNIST judge has no geometry in its file and reads as grey 32×32 in 10 classes; MNIST's config is unchanged", () => {
  const file = path.join(repoRoot, "models/judge.safetensors");
  const cfg = JSON.parse(parseSafetensors(readFileSync(file), file).metadata["judge_config"]!) as Record<string, unknown>;
  assert.ok(!("channelsIn" in cfg) && !("imageSize" in cfg));
  const { net } = decodeJudge(readFileSync(file), file);
  assert.deepEqual([classifierImage(net.config).channels, classifierImage(net.config).size, net.config.numClasses], [1, 32, 10]);
  assert.deepEqual(judgeConfigFor({ channels: 1, size: 32, numClasses: 10 }), { ...JUDGE_CONFIG });
});

test("a judge file whose config the classifier cannot build is refused in one line naming the file", () => {
  const good = parseSafetensors(encodeJudge(initClassifier(JUDGE_CONFIG), {}), "x");
  for (const [patch, why] of [[{ channelsIn: 2 }, /channelsIn must be 1 or 3, got 2/], [{ imageSize: 48 }, /imageSize must be 32 or 64, got 48/], [{ numClasses: 1 }, /numClasses must be an integer ≥ 2/]] as const) {
    const bytes = serializeSafetensors(good.tensors, { ...good.metadata, judge_config: JSON.stringify({ ...JUDGE_CONFIG, ...patch }) });
    assert.throws(() => decodeJudge(bytes, "bad.safetensors"), (e: Error) => /^bad\.safetensors: bad judge_config metadata: judge config: /.test(e.message) && why.test(e.message));
  }
});
