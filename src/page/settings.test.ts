// The page's settings: field checks give one clear message (blank, fraction, range), and the URL query
// round-trips every setting.
import { test } from "node:test";
import assert from "node:assert/strict";
import { DEFAULTS, FIELDS, W_LIST, fromQuery, parseInteger, parseNumberList, toQuery, type Settings } from "./settings.js";

const intCases: [string, string, number | RegExp][] = [
  ["12", "Steps", 12],
  [" 7 ", "Steps", 7],
  ["", "Steps", /^Steps is empty: enter a whole number from 1 to 200\.$/],
  ["3.7", "Steps", /^Steps: 3\.7 is not a whole number/],
  ["abc", "Steps", /^Steps: "abc" is not a number/],
  ["0", "Steps", /^Steps: 0 is out of range/],
  ["201", "Steps", /out of range/],
];
for (const [text, , want] of intCases) {
  test(`parseInteger(${JSON.stringify(text)}) for Steps`, () => {
    const r = parseInteger(text, FIELDS.steps);
    if (typeof want === "number") assert.deepEqual(r, { ok: true, value: want });
    else assert.ok(!r.ok && want.test(r.message), JSON.stringify(r));
  });
}

test("a fractional real-digit number gets a message naming the field", () => {
  const r = parseInteger("3.7", FIELDS.pathDigit);
  assert.ok(!r.ok && r.message.startsWith("Real digit #: 3.7 is not a whole number"));
});

const listCases: [string, number[] | RegExp][] = [
  ["0, 1, 3, 5, 10", [0, 1, 3, 5, 10]],
  ["2.5", [2.5]],
  ["", /is empty/],
  ["1, x", /"x" is not a number/],
  ["1, 1", /appears twice/],
  ["0,1,2,3,4,5,6", /7 values/],
  ["-1", /out of range/],
];
for (const [text, want] of listCases) {
  test(`parseNumberList(${JSON.stringify(text)})`, () => {
    const r = parseNumberList(text, W_LIST);
    if (Array.isArray(want)) assert.deepEqual(r, { ok: true, value: want });
    else assert.ok(!r.ok && want.test(r.message), JSON.stringify(r));
  });
}

test("every setting survives a URL round-trip; defaults give an empty query", () => {
  assert.equal(toQuery({ ...DEFAULTS }), "");
  const s: Settings = {
    classes: [7, 10], ws: [0, 2.5], perClass: 3, steps: 25, solver: "heun", guidance: "interval", seed: 42, follow: 2, followW: 1, frame: 4,
    pathDigit: 13, pathT: 0.25, schedule: "cosine", trainSteps: 120, trainBatch: 16, sampleEvery: 20, theme: "dark",
    liveW: 4.5, liveSteps: 2, open: ["fewstep", "anatomy"], toySet: "checkerboard", toyClass: 2, toyW: 1.5, toySteps: 7, toyT: 0.25,
  };
  const back = fromQuery(toQuery(s));
  assert.deepEqual(back, { settings: s, ignored: [] });
});

test("bad values in a link keep their defaults and are reported", () => {
  const { settings, ignored } = fromQuery("steps=abc&solver=magic&w=1,1&t=2&classes=1.5&liveSteps=3&liveW=x&open=fewstep,nope&toySet=spiral&toyT=2");
  assert.equal(settings.steps, DEFAULTS.steps);
  assert.equal(settings.solver, DEFAULTS.solver);
  assert.deepEqual(settings.ws, DEFAULTS.ws);
  assert.equal(settings.pathT, DEFAULTS.pathT);
  assert.deepEqual(settings.classes, DEFAULTS.classes);
  assert.equal(settings.liveSteps, DEFAULTS.liveSteps);
  assert.equal(settings.liveW, DEFAULTS.liveW);
  assert.deepEqual(settings.open, DEFAULTS.open);
  assert.equal(settings.toySet, DEFAULTS.toySet);
  assert.equal(settings.toyT, DEFAULTS.toyT);
  assert.equal(ignored.length, 10, ignored.join("\n"));
});
