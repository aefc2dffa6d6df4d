// Files that are not checkpoints get a message naming what they are; real safetensors pass through.
import { test } from "node:test";
import assert from "node:assert/strict";
import { describeBadCheckpoint } from "./checkpoint-file.js";
import { serializeSafetensors } from "../io/safetensors.js";

const cases: [string, Uint8Array, RegExp | null][] = [
  ["empty", new Uint8Array(0), /x is empty/],
  ["torch.save zip", new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0]), /PyTorch pickle .*save_file/],
  ["legacy pickle", new Uint8Array([0x80, 0x02, 0x7d]), /Python pickle/],
  ["html", new TextEncoder().encode("<!DOCTYPE html><html>"), /web page/],
  ["png", new Uint8Array([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10]), /PNG image/],
  ["safetensors", serializeSafetensors([["a", { dtype: "F32", shape: [1], data: new Float32Array([1]) }]]), null],
];
for (const [what, bytes, want] of cases) {
  test(`describeBadCheckpoint: ${what}`, () => {
    const m = describeBadCheckpoint(bytes, "x");
    if (want === null) assert.equal(m, null);
    else assert.match(m ?? "", want);
  });
}
