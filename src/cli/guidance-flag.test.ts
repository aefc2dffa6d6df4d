// --guidance: every method's text, its defaults, and bad settings (one clear line each).
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { setup } from "../testing/helpers.js";
import { parseGuidanceFlag, parseGuidanceText } from "./guidance-flag.js";
import { parseSampleFlags } from "./sample.js";
import { parseEvalFlags } from "./eval.js";
import { GUIDANCE_DEFAULTS } from "../flow/guidance-methods.js";
import { defaultModel } from "../io/package-files.js";

before(() => setup(2));

const good: [string | undefined, object][] = [
  [undefined, { kind: "cfg" }],
  ["cfg", { kind: "cfg" }],
  ["interval", { kind: "interval", ...GUIDANCE_DEFAULTS.interval }],
  ["interval:0.2:0.9", { kind: "interval", lo: 0.2, hi: 0.9 }],
  ["rescale", { kind: "rescale", phi: 0.7 }],
  ["rescale:0", { kind: "rescale", phi: 0 }],
  ["zero-star", { kind: "zero-star", zeroUntil: 0.04 }],
  ["zero-star:0.1", { kind: "zero-star", zeroUntil: 0.1 }],
];
for (const [text, want] of good) {
  test(`--guidance ${text ?? "(none)"} parses`, () => assert.deepEqual(parseGuidanceFlag(text, 10).method, want));
}

const bad: [string, RegExp][] = [
  ["cgf", /--guidance must be cfg, interval\[:LO:HI\], rescale\[:PHI\], zero-star\[:T0\] or auto:CKPT, got "cgf"/],
  ["interval:0.8:0.2", /--guidance interval:0.8:0.2: lo 0.8 is above hi 0.2/],
  ["interval:0.5", /--guidance interval:0.5: expected interval:LO:HI/],
  ["rescale:x", /--guidance rescale:x: "x" is not a number/],
  ["rescale:2", /--guidance rescale:2: φ must be in \[0, 1\], got 2/],
  ["zero-star:-1", /zeroUntil must be in \[0, 1\], got -1/],
  ["auto", /--guidance auto:CKPT needs the weak model's checkpoint/],
  ["auto:/nonexistent.safetensors", /checkpoint \/nonexistent\.safetensors does not exist/],
];
for (const [text, msg] of bad) {
  test(`--guidance ${text} is refused with one line`, () => assert.throws(() => parseGuidanceFlag(text, 10), (e: Error) => e.name === "UsageError" && msg.test(e.message) && !e.message.includes("\n")));
}

test("--guidance auto:CKPT loads the weak model and checks its classes", () => {
  const g = parseGuidanceFlag(`auto:${defaultModel}`, 10);
  assert.equal(g.method.kind, "auto");
  g.dispose();
  assert.throws(() => parseGuidanceFlag(`auto:${defaultModel}`, 5), /the weak model has 10 classes, the model 5/);
});

test("a bad --guidance fails while the flags are parsed, before any checkpoint or judge is read", () => {
  assert.throws(() => parseSampleFlags(["--guidance", "cgf", "--png", "x.png"]), /--guidance must be cfg/);
  assert.throws(() => parseEvalFlags(["--guidance", "rescale:2"]), /φ must be in \[0, 1\]/);
  assert.deepEqual(parseGuidanceText("auto:/nonexistent.safetensors"), { kind: "auto", file: "/nonexistent.safetensors" }, "the text parses without reading the file");
});
