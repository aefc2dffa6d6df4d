// The same wasm-vs-reference suite on the baseline SIMD128 kernel build (no relaxed-SIMD FMA), the
// build a runtime without relaxed SIMD loads.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as T from "./index.js";
import { setup } from "../testing/helpers.js";
import { backendSuite } from "./backends.suite.js";

before(() => setup(2, "simd"));

test("kernels: \"simd\" loads the baseline build", () => {
  assert.equal(T.engine().kernels, "simd");
});

backendSuite();
