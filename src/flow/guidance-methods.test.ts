// Guidance methods: each reduces to plain CFG at its neutral setting and to the conditional field at
// w = 1; the interval's edges, CFG-rescale's std matching, CFG-Zero*'s projection and zero-init,
// autoguidance with the model itself; evaluations are counted as they happen.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as T from "../tensor/index.js";
import { setup, maxAbsDiff } from "../testing/helpers.js";
import { guidedField } from "./guidance.js";
import { CFG, GUIDANCE_DEFAULTS, validateGuidance, type ConditionalField, type GuidanceMethod } from "./guidance-methods.js";
import { initUNet, unetForward } from "../nn/unet.js";
import { generate } from "../sample/generate.js";

before(() => setup(2));

const NULL = 10;
/** A U-Net's conditional field, counting the rows it evaluates. */
function field(seed = 3): { u: ConditionalField; rows: () => number } {
  const net = initUNet({ channels: [4, 8], numResidualLayers: 1, tEmbedDim: 4, yEmbedDim: 4, numClasses: 10 }, seed);
  let rows = 0;
  return { u: (x, t, y) => ((rows += x.shape[0]!), unetForward(net, x, t, y, "eval")), rows: () => rows };
}
const inputs = () => ({ x: T.randn([3, 1, 8, 8], new T.Rng(1)), y: T.intTensor([2, 5, 7]) });
const at = (t: number) => T.full([3, 1, 1, 1], t);
const guided = (u: ConditionalField, w: number, t: number, method: GuidanceMethod) => {
  const { x, y } = inputs();
  return guidedField(u, x, at(t), y, w, NULL, { method }).toFloat32Array();
};

test("plain CFG is (1 − w)·u(x, t, ∅) + w·u(x, t, y)", () =>
  T.tidy(() => {
    const { u } = field();
    const { x, y } = inputs();
    const want = T.add(T.affine(u(x, at(0.4), T.intTensor([NULL, NULL, NULL])), -2), T.affine(u(x, at(0.4), y), 3)).toFloat32Array();
    assert.ok(maxAbsDiff(guided(u, 3, 0.4, CFG), want) < 1e-5);
  }));

const neutral: [string, GuidanceMethod][] = [
  ["interval [0, 1]", { kind: "interval", lo: 0, hi: 1 }],
  ["rescale φ = 0", { kind: "rescale", phi: 0 }],
];
for (const [name, m] of neutral) {
  test(`${name} equals plain CFG at every t`, () =>
    T.tidy(() => {
      const { u } = field();
      for (const t of [0, 0.3, 1]) assert.ok(maxAbsDiff(guided(u, 2.5, t, m), guided(u, 2.5, t, CFG)) < 1e-6, `t = ${t}`);
    }));
}

const every: [string, () => GuidanceMethod][] = [
  ["cfg", () => CFG],
  ["interval", () => ({ kind: "interval", lo: 0.2, hi: 0.8 })],
  ["rescale", () => ({ kind: "rescale", phi: 0.7 })],
  ["zero-star", () => ({ kind: "zero-star", zeroUntil: 0.05 })],
  ["auto", () => ({ kind: "auto", weak: field(9).u, name: "other" })],
];
for (const [name, make] of every) {
  test(`${name} at w = 1 is the conditional field, in one evaluation`, () =>
    T.tidy(() => {
      const f = field();
      const { x, y } = inputs();
      const cond = f.u(x, at(0.5), y).toFloat32Array();
      const m = make();
      const before = f.rows();
      assert.ok(maxAbsDiff(guided(f.u, 1, 0.5, m), cond) < 1e-6);
      assert.equal(f.rows() - before, 3, "one pass over the batch");
    }));
}

test("interval edges: guided at t = lo and t = hi (inclusive), the conditional field alone just outside, in one evaluation", () =>
  T.tidy(() => {
    const f = field();
    const m: GuidanceMethod = { kind: "interval", lo: 0.25, hi: 0.75 };
    const { x, y } = inputs();
    for (const t of [0.25, 0.5, 0.75]) assert.ok(maxAbsDiff(guided(f.u, 4, t, m), guided(f.u, 4, t, CFG)) < 1e-6, `guided at ${t}`);
    for (const t of [0, 0.2499, 0.7501, 1]) {
      const before = f.rows();
      const g = guided(f.u, 4, t, m);
      assert.equal(f.rows() - before, 3, `one evaluation at ${t}`);
      assert.ok(maxAbsDiff(g, f.u(x, at(t), y).toFloat32Array()) < 1e-6, `conditional at ${t}`);
    }
  }));

test("CFG-rescale at φ = 1 gives each sample the conditional field's standard deviation", () =>
  T.tidy(() => {
    const { u } = field();
    const { x, y } = inputs();
    const g = guided(u, 5, 0.6, { kind: "rescale", phi: 1 });
    const c = u(x, at(0.6), y).toFloat32Array();
    const std = (a: Float32Array, b: number) => {
      const r = a.subarray(b * 64, (b + 1) * 64), m = r.reduce((s, v) => s + v, 0) / 64;
      return Math.sqrt(r.reduce((s, v) => s + (v - m) ** 2, 0) / 64);
    };
    for (let b = 0; b < 3; b++) assert.ok(Math.abs(std(g, b) - std(c, b)) < 1e-4 * Math.max(1, std(c, b)), `sample ${b}`);
  }));

test("CFG-Zero*: s* = ⟨cond, ref⟩/‖ref‖² (CFG when s* = 1; the conditional field when cond = k·ref); zero velocity, unevaluated, before zeroUntil", () =>
  T.tidy(() => {
    const r = T.randn([3, 1, 8, 8], new T.Rng(5));
    const v = T.randn([3, 1, 8, 8], new T.Rng(6));
    // v minus its projection on r: ⟨r + v⊥, r⟩ = ‖r‖², so s* = 1
    const rv = T.sum(T.mul(r, v), [1, 2, 3], true), rr = T.sum(T.mul(r, r), [1, 2, 3], true);
    const vPerp = T.sub(v, T.mul(r, T.div(rv, rr)));
    /** A fake field: row i is ref[i mod 3] for ∅ and cond[i mod 3] otherwise (CFG's batched pass has 6 rows). */
    const byLabel = (ref: T.Tensor, cond: T.Tensor): ConditionalField => (x, t, y) => {
      const out = T.zeros(x.shape);
      for (let i = 0; i < x.shape[0]!; i++) out.data.set((y.idata[i] === NULL ? ref : cond).data.subarray((i % 3) * 64, (i % 3 + 1) * 64), i * 64);
      return out;
    };
    const orthogonal = byLabel(r, T.add(r, vPerp));
    const zs: GuidanceMethod = { kind: "zero-star", zeroUntil: 0.1 };
    assert.ok(maxAbsDiff(guided(orthogonal, 3, 0.5, zs), guided(orthogonal, 3, 0.5, CFG)) < 1e-5, "s* = 1 → CFG");
    const scaled = byLabel(r, T.affine(r, 2.5));
    {
      const d = maxAbsDiff(guided(scaled, 4, 0.5, zs), T.affine(r, 2.5).toFloat32Array());
      assert.ok(d < 1e-4, `cond = 2.5·ref → cond (max error ${d}; float32 sums over 64 values, |x| ≤ 30)`);
    }
    let calls = 0;
    const counting: ConditionalField = (x, t, y) => (calls++, scaled(x, t, y));
    assert.ok(guided(counting, 4, 0.05, zs).every((q) => q === 0), "zero velocity at t < zeroUntil");
    assert.equal(calls, 0, "and no network evaluation");
  }));

test("autoguidance with the model itself as the weak model equals the conditional field", () =>
  T.tidy(() => {
    const f = field();
    const { x, y } = inputs();
    for (const w of [0, 2, 5]) assert.ok(maxAbsDiff(guided(f.u, w, 0.4, { kind: "auto", weak: f.u, name: "self" }), f.u(x, at(0.4), y).toFloat32Array()) < 1e-5, `w = ${w}`);
  }));

test("generate counts the evaluations each method makes (the interval skips the reference outside it)", () => {
  const net = initUNet({ channels: [4, 8], numResidualLayers: 1, tEmbedDim: 4, yEmbedDim: 4, numClasses: 10 }, 3);
  const run = (guidance: GuidanceMethod) => {
    const g = generate(net, { classes: [1, 4], perClass: 2, w: 3, steps: 9, solver: "euler", guidance });
    g.images.dispose();
    return g.nfe;
  };
  assert.equal(run(CFG), 18);
  // Euler's 9 evaluations at t = 0, 1/9, …, 8/9: 3/9, 4/9, 5/9, 6/9 lie in [0.3, 0.7]
  assert.equal(run({ kind: "interval", lo: 0.3, hi: 0.7 }), 4 * 2 + 5);
  assert.equal(run({ kind: "zero-star", zeroUntil: 0.05 }), 8 * 2);
  assert.equal(run({ kind: "auto", weak: field(9).u, name: "weak" }), 18);
  T.disposeAll(net.params);
});

test("at w = 0 the linear methods evaluate the guiding field alone: 5 midpoint steps cost 10 evaluations, not 16", () => {
  const net = initUNet({ channels: [4, 8], numResidualLayers: 1, tEmbedDim: 4, yEmbedDim: 4, numClasses: 10 }, 3);
  const run = (guidance: GuidanceMethod, w = 0) => {
    const g = generate(net, { classes: [1, 4], perClass: 2, w, steps: 5, solver: "midpoint", guidance });
    const images = g.images.toFloat32Array();
    g.images.dispose();
    return { nfe: g.nfe, images };
  };
  const interval = run({ kind: "interval", ...GUIDANCE_DEFAULTS.interval });
  assert.equal(interval.nfe, 10, "inside the interval u(x|∅) alone, outside u(x|y) alone");
  assert.equal(run(CFG).nfe, 10);
  assert.equal(run({ kind: "auto", weak: field(9).u, name: "weak" }).nfe, 10);
  // rescale and CFG-Zero* read u(x|y) even at w = 0
  assert.equal(run({ kind: "rescale", phi: 0.7 }).nfe, 20);
  // the same samples as the two-pass field: w = 1e-30 evaluates both parts, and 0·u(x|y) adds nothing
  const both = run({ kind: "interval", ...GUIDANCE_DEFAULTS.interval }, 1e-30);
  assert.equal(both.nfe, 16);
  assert.ok(maxAbsDiff(interval.images, both.images) < 1e-5);
  T.disposeAll(net.params);
});

test("guidedField at w = 0 reports u(x|y) as not computed and the guiding field as the velocity", () =>
  T.tidy(() => {
    const f = field();
    const { x, y } = inputs();
    let seen: [T.Tensor | null, T.Tensor | null] | null = null;
    const v = guidedField(f.u, x, at(0.4), y, 0, NULL, { method: CFG, onParts: (c, g) => (seen = [c, g]) });
    assert.equal(seen![0], null);
    assert.equal(maxAbsDiff(seen![1]!.toFloat32Array(), v.toFloat32Array()), 0);
  }));

test("bad settings are rejected with the setting's name", () => {
  assert.throws(() => validateGuidance({ kind: "interval", lo: 0.8, hi: 0.2 }), /guidance interval: lo 0.8 is above hi 0.2/);
  assert.throws(() => validateGuidance({ kind: "rescale", phi: 1.5 }), /guidance rescale: φ must be in \[0, 1\], got 1.5/);
  assert.throws(() => validateGuidance({ kind: "zero-star", zeroUntil: Number.NaN }), /zeroUntil must be in \[0, 1\]/);
});
