// Every differentiable op's gradient against central finite differences (table-driven).
import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as T from "./index.js";
import { setup, gradCheck } from "../testing/helpers.js";
import { OPS } from "./ops/registry.js";

before(() => setup(2));

const r = new T.Rng(5);
const rn = (shape: number[], std = 1) => T.randn(shape, r, std);
const pos = (shape: number[]) => T.rand(shape, r, 0.5, 2);
const idx = () => T.intTensor([1, 3, 1, 0, 4]);

type Case = [string, () => T.Tensor[], (xs: T.Tensor[]) => T.Tensor, { eps?: number; tol?: number }?];
const cases: Case[] = [
  ["add (broadcast [2,3,4,5] + [1,3,1,1])", () => [rn([2, 3, 4, 5]), rn([1, 3, 1, 1])], ([a, b]) => T.add(a!, b!)],
  ["add (broadcast [2,3] + [3])", () => [rn([2, 3]), rn([3])], ([a, b]) => T.add(a!, b!)],
  ["sub (broadcast left [1,3,1,1] - [2,3,4,5])", () => [rn([1, 3, 1, 1]), rn([2, 3, 4, 5])], ([a, b]) => T.sub(a!, b!)],
  ["mul (broadcast [2,3,4,1] * [1,1,4,5])", () => [rn([2, 3, 4, 1]), rn([1, 1, 4, 5])], ([a, b]) => T.mul(a!, b!)],
  ["div", () => [rn([3, 4]), pos([3, 4])], ([a, b]) => T.div(a!, b!)],
  ["neg", () => [rn([7])], ([a]) => T.neg(a!)],
  ["exp", () => [rn([7])], ([a]) => T.exp(a!)],
  ["log", () => [pos([7])], ([a]) => T.log(a!)],
  ["sqrt", () => [pos([7])], ([a]) => T.sqrt(a!)],
  ["sin", () => [rn([7])], ([a]) => T.sin(a!)],
  ["cos", () => [rn([7])], ([a]) => T.cos(a!)],
  ["square", () => [rn([7])], ([a]) => T.square(a!)],
  ["sigmoid", () => [rn([7])], ([a]) => T.sigmoid(a!)],
  ["silu", () => [rn([3, 5, 7])], ([a]) => T.silu(a!)],
  ["affine", () => [rn([6])], ([a]) => T.affine(a!, -1.5, 0.3)],
  ["sum over axes 1,3", () => [rn([2, 3, 4, 5])], ([a]) => T.sum(a!, [1, 3])],
  ["sum keepDims", () => [rn([2, 3, 4])], ([a]) => T.sum(a!, 2, true)],
  ["mean", () => [rn([4, 6])], ([a]) => T.mean(a!, 0)],
  ["broadcastTo", () => [rn([3, 1])], ([a]) => T.broadcastTo(a!, [2, 3, 4])],
  ["reshape", () => [rn([2, 6])], ([a]) => T.reshape(a!, [3, -1])],
  ["permute", () => [rn([2, 3, 4])], ([a]) => T.permute(a!, [2, 0, 1])],
  ["concat axis 1", () => [rn([2, 3]), rn([2, 2])], ([a, b]) => T.concat([a!, b!], 1)],
  ["slice", () => [rn([4, 5])], ([a]) => T.slice(a!, [1, 2], [2, 3])],
  ["pad", () => [rn([2, 2])], ([a]) => T.pad(a!, [1, 0], [4, 3], 0.5)],
  ["matmul batched", () => [rn([2, 3, 4]), rn([2, 4, 5])], ([a, b]) => T.matmul(a!, b!)],
  ["matmul transA transB", () => [rn([4, 3]), rn([5, 4])], ([a, b]) => T.matmul(a!, b!, true, true)],
  ["matmul shared 2-D right", () => [rn([2, 3, 4]), rn([4, 5])], ([a, b]) => T.matmul(a!, b!)],
  ["linear", () => [rn([4, 7]), rn([5, 7]), rn([5])], ([x, w, b]) => T.linear(x!, w!, b!)],
  ["conv2d stride 1", () => [rn([2, 3, 7, 9]), rn([5, 3, 3, 3], 0.3), rn([5])], ([x, w, b]) => T.conv2d(x!, w!, b!, 1)],
  ["conv2d stride 2", () => [rn([2, 3, 7, 9]), rn([5, 3, 3, 3], 0.3), rn([5])], ([x, w, b]) => T.conv2d(x!, w!, b!, 2)],
  ["conv2d + residual", () => [rn([2, 3, 7, 9]), rn([5, 3, 3, 3], 0.3), rn([5]), rn([2, 5, 7, 9])], ([x, w, b, a]) => T.conv2d(x!, w!, b!, 1, a!)],
  ["conv2d + [B, C, 1, 1] shift, no bias", () => [rn([2, 3, 6, 5]), rn([4, 3, 3, 3], 0.3), rn([2, 4, 1, 1])], ([x, w, a]) => T.conv2d(x!, w!, null, 1, a!)],
  ["conv2d with fused BN input", () => [rn([2, 3, 6, 5]), rn([4, 3, 3, 3], 0.3), rn([4]), rn([3]), rn([3])], ([x, w, b, s, h]) => T.conv2d(x!, w!, b!, 1, null, { scale: s!, shift: h!, silu: false })],
  ["conv2d with fused SiLU+BN input + residual", () => [rn([2, 3, 6, 5]), rn([3, 3, 3, 3], 0.3), rn([3]), rn([2, 3, 6, 5]), rn([3]), rn([3])], ([x, w, b, a, s, h]) => T.conv2d(x!, w!, b!, 1, a!, { scale: s!, shift: h!, silu: true })],
  ["conv2d stride 2 with fused SiLU+BN input", () => [rn([2, 3, 7, 9]), rn([5, 3, 3, 3], 0.3), rn([5]), rn([3]), rn([3])], ([x, w, b, s, h]) => T.conv2d(x!, w!, b!, 2, null, { scale: s!, shift: h!, silu: true })],
  ["conv2d stride 2 + shift", () => [rn([2, 3, 7, 9]), rn([5, 3, 3, 3], 0.3), rn([5]), rn([2, 5, 1, 1])], ([x, w, b, a]) => T.conv2d(x!, w!, b!, 2, a!)],
  ["upsample2x", () => [rn([2, 3, 5, 4])], ([x]) => T.upsample2x(x!)],
  ["batchNormTrain", () => [rn([3, 4, 5, 6]), T.rand([4], r, 0.5, 1.5), rn([4])], ([x, g, b]) => T.batchNormTrain(x!, g!, b!, null), { eps: 3e-3, tol: 3e-2 }],
  ["batchNormEval", () => [rn([3, 4, 5, 6]), rn([4]), rn([4]), rn([4]), pos([4])], ([x, g, b, m, v]) => T.batchNormEval(x!, g!, b!, m!, v!)],
  ["batchNormEval(SiLU)", () => [rn([3, 4, 5, 6]), rn([4]), rn([4]), rn([4]), pos([4])], ([x, g, b, m, v]) => T.batchNormEval(x!, g!, b!, m!, v!, 1e-5, true)],
  ["channelAffine", () => [rn([2, 3, 4, 5]), rn([3]), rn([3])], ([x, s, h]) => T.channelAffine(x!, s!, h!)],
  ["channelAffine(SiLU)", () => [rn([2, 3, 7]), rn([3]), rn([3])], ([x, s, h]) => T.channelAffine(x!, s!, h!, true)],
  ["embedding (repeated indices)", () => [rn([6, 4]), idx()], ([w, i]) => T.embedding(w!, i!)],
];

for (const [name, make, f, opts] of cases) {
  test(`gradient: ${name}`, () => T.tidy(() => gradCheck(name, f, make(), opts)));
}

/** The ops recorded on the tape by each case's function: the coverage is derived, not typed by hand. */
function opsOnTape(out: T.Tensor, seen = new Set<string>(), visited = new Set<T.Tensor>()): Set<string> {
  if (visited.has(out) || !out.node) return seen;
  visited.add(out);
  seen.add(out.node.op);
  for (const x of out.node.inputs) opsOnTape(x, seen, visited);
  return seen;
}

test("every op in the closed set has a gradient case (derived from the cases' tapes)", () => {
  const covered = new Set<string>();
  for (const [, make, f] of cases) {
    T.tidy(() => {
      const xs = make().map((x) => (x.dtype === "f32" ? T.variable(x) : x));
      opsOnTape(f(xs), covered);
    });
  }
  for (const [name, def] of Object.entries(OPS)) {
    assert.equal(def.name, name, `OPS.${name} is defined as ${def.name}`);
    assert.ok(covered.has(name), `op ${name} has no gradient check`);
  }
});

test("a wrong gradient fails the check (the checker can fail)", () => {
  const wrong = (xs: T.Tensor[]) => T.affine(xs[0]!, 2);
  // affine's rule is right; corrupt the gradient by differentiating a different function
  assert.throws(() =>
    T.tidy(() =>
      gradCheck("deliberately wrong", (xs) => {
        const y = wrong(xs);
        // detach part of the graph: numeric sees x², tape sees only 2x
        const sq = T.noGrad(() => T.square(xs[0]!));
        return T.add(y, sq);
      }, [rn([5])]),
    ),
  );
});
