// The kernel table tells the truth: every task kernel has a method, every "reference" method runs no
// kernel, and every native method dispatches only the kernels it lists (one case per method, and one
// per reference fallback; the compiler asks for a case when a Backend method is added).
import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as T from "../index.js";
import { readFileSync } from "node:fs";
import path from "node:path";
import { setup, repoRoot } from "../../testing/helpers.js";
import { TASK_KERNELS, type TaskKernel } from "../kernel-args.js";
import type { Backend } from "../backend.js";
import { WasmBackend } from "./backend.js";
import { KERNEL_TABLE, REFERENCE_METHODS, kernelTableMarkdown, type BackendMethod, type KernelEntry } from "./kernel-table.js";

before(() => setup(2));

const r = () => new T.Rng(5);
const z = (shape: number[]) => T.zeros(shape);
const n = (shape: number[]) => T.randn(shape, r());
const HYPER = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, step: 1 };

/** A call of the method, and whether it takes the method's native path or its reference fallback. */
interface Case {
  path: "native" | "reference";
  call: (b: Backend) => void;
}
const CASES: Record<BackendMethod, Case[]> = {
  binary: [
    { path: "native", call: (b) => b.binary("add", n([2, 3]), n([2, 3]), z([2, 3])) },
    { path: "native", call: (b) => b.binary("mul", n([2, 3, 4]), n([3, 1]), z([2, 3, 4])) },
    { path: "reference", call: (b) => b.binary("add", n([2, 1, 3]), n([1, 4, 1]), z([2, 4, 3])) },
  ],
  unary: [
    { path: "native", call: (b) => b.unary("silu", n([7]), z([7])) },
    { path: "reference", call: (b) => b.unary("exp", n([7]), z([7])) },
  ],
  affine: [{ path: "reference", call: (b) => b.affine(n([7]), 2, 1, z([7])) }],
  siluBackward: [{ path: "native", call: (b) => b.siluBackward(n([7]), n([7]), z([7])) }],
  channelAffine: [{ path: "native", call: (b) => b.channelAffine(n([2, 3, 4, 4]), n([3]), n([3]), z([2, 3, 4, 4]), true) }],
  sum: [
    { path: "native", call: (b) => b.sum(n([2, 3, 4]), [0], z([3, 4])) },
    { path: "reference", call: (b) => b.sum(n([2, 3, 4]), [1], z([2, 4])) },
  ],
  matmul: [{ path: "native", call: (b) => b.matmul(n([3, 4]), n([5, 4]), z([3, 5]), false, true) }],
  conv2d: [
    { path: "native", call: (b) => b.conv2d(n([1, 2, 5, 5]), n([3, 2, 3, 3]), n([3]), z([1, 3, 5, 5]), 1, n([1, 3, 5, 5]), null) },
    { path: "native", call: (b) => b.conv2d(n([1, 2, 5, 5]), n([3, 2, 3, 3]), null, z([1, 3, 3, 3]), 2, n([1, 3, 1, 1]), { scale: n([2]), shift: n([2]), silu: true }) },
  ],
  conv2dBackward: [
    { path: "native", call: (b) => b.conv2dBackward(n([1, 2, 5, 5]), n([3, 2, 3, 3]), n([1, 3, 5, 5]), z([1, 2, 5, 5]), z([3, 2, 3, 3]), z([3]), 1) },
    { path: "native", call: (b) => b.conv2dBackward(n([1, 2, 5, 5]), n([3, 2, 3, 3]), n([1, 3, 3, 3]), z([1, 2, 5, 5]), z([3, 2, 3, 3]), null, 2) },
  ],
  upsample2x: [{ path: "native", call: (b) => b.upsample2x(n([1, 2, 3, 3]), z([1, 2, 6, 6])) }],
  upsample2xBackward: [{ path: "native", call: (b) => b.upsample2xBackward(n([1, 2, 6, 6]), z([1, 2, 3, 3])) }],
  bnTrain: [{ path: "native", call: (b) => b.bnTrain(n([2, 3, 4, 4]), n([3]), n([3]), z([2, 3, 4, 4]), z([3]), z([3]), z([3]), 1e-5) }],
  bnTrainBackward: [{ path: "native", call: (b) => b.bnTrainBackward(n([2, 3, 4, 4]), n([2, 3, 4, 4]), n([3]), n([3]), T.ones([3]), z([2, 3, 4, 4]), z([3]), z([3])) }],
  embedding: [{ path: "reference", call: (b) => b.embedding(n([5, 3]), T.intTensor([4, 1]), z([2, 3])) }],
  embeddingBackward: [{ path: "reference", call: (b) => b.embeddingBackward(T.intTensor([4, 1]), n([2, 3]), z([5, 3])) }],
  permute: [{ path: "reference", call: (b) => b.permute(n([2, 3]), [1, 0], z([3, 2])) }],
  concat: [{ path: "reference", call: (b) => b.concat([n([1, 3]), n([2, 3])], 0, z([3, 3])) }],
  slice: [{ path: "reference", call: (b) => b.slice(n([4, 4]), [1, 1], z([2, 2])) }],
  pad: [{ path: "reference", call: (b) => b.pad(n([2, 2]), [1, 1], 0, z([4, 4])) }],
  copy: [{ path: "reference", call: (b) => b.copy(n([2, 3]), z([3, 2])) }],
  adam: [{ path: "native", call: (b) => b.adam(n([9]), n([9]), z([9]), z([9]), HYPER) }],
};

/** The task kernels `call` dispatches on the wasm backend. */
function kernelsOf(call: (b: Backend) => void): TaskKernel[] {
  const { pool, wasm } = T.engine();
  const seen: TaskKernel[] = [];
  const run = pool.run;
  pool.run = function (this: typeof pool, kernel, args, nTasks) {
    seen.push(kernel);
    return run.call(this, kernel, args, nTasks);
  } as typeof pool.run;
  try {
    T.tidy(() => call(wasm));
  } finally {
    pool.run = run;
  }
  return seen;
}

test("every task kernel belongs to a method of the table", () => {
  const listed = new Set(Object.values(KERNEL_TABLE as Record<BackendMethod, KernelEntry>).flatMap((e) => (e === "reference" ? [] : e.native)));
  assert.deepEqual(TASK_KERNELS.filter((k) => !listed.has(k)), []);
});

test("the table, not the class, decides the reference methods: WasmBackend defines none of them and all the native ones", () => {
  for (const m of Object.keys(KERNEL_TABLE) as BackendMethod[]) {
    const own = Object.prototype.hasOwnProperty.call(WasmBackend.prototype, m);
    assert.equal(own, KERNEL_TABLE[m] !== "reference", `WasmBackend.prototype.${m}`);
  }
  assert.ok(REFERENCE_METHODS.includes("affine") && REFERENCE_METHODS.length === 8);
});

for (const [method, cases] of Object.entries(CASES) as [BackendMethod, Case[]][]) {
  const entry: KernelEntry = KERNEL_TABLE[method];
  test(`${method}: ${entry === "reference" ? "reference" : `${entry.native.join(", ")}${entry.reference ? ", reference otherwise" : ""}`}`, () => {
    for (const [i, c] of cases.entries()) {
      const seen = kernelsOf(c.call);
      if (c.path === "reference") {
        assert.ok(entry === "reference" || entry.reference, `case ${i}: the table lists no reference path for ${method}`);
        assert.deepEqual(seen, [], `case ${i} ran kernels`);
      } else {
        assert.ok(entry !== "reference", `case ${i}: ${method} is listed as reference`);
        assert.ok(seen.length > 0, `case ${i} ran no kernel`);
        for (const k of seen) assert.ok(entry.native.includes(k), `case ${i} ran ${k}, which the table does not list for ${method}`);
      }
    }
  });
}

test("the README shows the table as it is", () => {
  const readme = readFileSync(path.join(repoRoot, "README.md"), "utf8");
  assert.ok(readme.includes(kernelTableMarkdown()), `README.md lacks the current kernel table:\n${kernelTableMarkdown()}`);
});
