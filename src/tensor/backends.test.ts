// The SIMD + threaded backend (the default kernel build: relaxed SIMD where the runtime has it)
// against the reference backend; the shared cases are in backends.suite.ts.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as T from "./index.js";
import { setup } from "../testing/helpers.js";
import { backendSuite } from "./backends.suite.js";

before(() => setup(2));

test("Node 20 runs the relaxed-SIMD kernel build by default", () => {
  assert.equal(T.engine().kernels, "relaxed");
});

backendSuite();
