// The background view on grey-on-black, colour-on-white and backgroundless data: which model each gets,
// that grain on the background raises the level, and that no background is reported, not guessed.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { setup } from "../testing/helpers.js";
import { Rng } from "../tensor/random.js";
import { backgroundModel, backgroundUnder } from "./background.js";

before(() => setup(1));

const COLOUR = { channels: 3, size: 32, pixels: 3 * 32 * 32 }, GREY = { channels: 1, size: 32, pixels: 32 * 32 };

/** n images [C, 32, 32]: `bg` outside a centre square whose colour varies per image, inside it. */
function set(n: number, C: number, bg: number, seed: number): Float32Array {
  const rng = new Rng(seed), A = 32 * 32, out = new Float32Array(n * C * A);
  for (let i = 0; i < n; i++) for (let c = 0; c < C; c++) {
    const v = rng.uniform() * 2 - 1;
    for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) out[(i * C + c) * A + y * 32 + x] = x >= 8 && x < 24 && y >= 8 && y < 24 ? v : bg;
  }
  return out;
}

test("background models: colour on white finds the constant border; grey on black keeps the stroke method; pure noise has none", () => {
  const colour = backgroundModel(set(40, 3, 1, 1), COLOUR);
  assert.equal(colour.kind, "constant");
  if (colour.kind === "constant") assert.ok(Math.abs(colour.fraction - 0.75) < 1e-9, `the border is 3/4 of the positions, got ${colour.fraction}`);
  assert.equal(backgroundModel(set(40, 1, -1, 2), GREY).kind, "black");
  assert.equal(backgroundModel(set(40, 3, -1, 2).map((v) => (v === -1 ? -1 : Math.max(0.2, Math.abs(v)))), COLOUR).kind, "constant", "colour on black: the constant positions, not the grey stroke method");
  const noise = new Float32Array(40 * COLOUR.pixels);
  new Rng(3).fillNormal(noise, 0.5);
  const none = backgroundModel(noise, COLOUR);
  assert.equal(none.kind, "none");
  if (none.kind === "none") assert.match(none.why, /not applicable/);
  assert.ok(Number.isNaN(backgroundUnder(set(5, 3, 1, 4), none).level.value), "no background: NaN, never a figure");
});

test("grain on a white colour background raises the level well beyond clean images of the same set", () => {
  const model = backgroundModel(set(40, 3, 1, 5), COLOUR);
  const clean = set(30, 3, 1, 6), grainy = clean.map((v, i) => (v === 1 && i % 2 ? 0.9 : v));
  const a = backgroundUnder(clean, model).level, b = backgroundUnder(grainy, model).level;
  assert.ok(a.value < 1e-6, `clean level ${a.value}`);
  assert.ok(b.value > 0.03 && b.value - a.value > 3 * Math.hypot(a.se, b.se), `grain level ${b.value} against clean ${a.value}`);
});
