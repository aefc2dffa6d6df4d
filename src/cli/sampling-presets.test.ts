// --preset: one flag sets the model, guidance and w of flowlab sample and flowlab eval; flags given
// beside it win; an unknown name, or a preset beside a study or --samples, stops with one line.
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseSampleFlags } from "./sample.js";
import { parseEvalFlags } from "./eval-flags.js";
import { SAMPLING_PRESETS } from "./sampling-presets.js";
import { UsageError } from "./args.js";
import { defaultModel, labModel } from "../io/package-files.js";

const P = SAMPLING_PRESETS["closest-to-real"]!;

const CASES: { argv: string[]; ckpt: string; guidance: string; w: number[] }[] = [
  { argv: ["--preset", "closest-to-real"], ckpt: labModel, guidance: P.guidance, w: [...P.w] },
  { argv: ["--preset", "closest-to-real", "--w", "1.5"], ckpt: labModel, guidance: P.guidance, w: [1.5] },
  { argv: ["--preset", "closest-to-real", "--guidance", "cfg"], ckpt: labModel, guidance: "cfg", w: [...P.w] },
  { argv: ["--preset", "closest-to-real", "--ckpt", "m.safetensors"], ckpt: "m.safetensors", guidance: P.guidance, w: [...P.w] },
];
for (const c of CASES)
  test(`--preset ${c.argv.slice(2).join(" ") || "alone"}: sample and eval take the preset, given flags win`, () => {
    const s = parseSampleFlags([...c.argv, "--png", "x.png"]);
    assert.ok(s !== "help");
    assert.deepEqual([s.ckpt, s.guidance, s.w], [c.ckpt, c.guidance, c.w]);
    const e = parseEvalFlags(c.argv);
    assert.ok(e !== "help" && e.source.kind === "generate");
    assert.deepEqual([e.source.ckpt, e.source.guidance, e.source.w], [c.ckpt, c.guidance, c.w]);
  });

test("without --preset the defaults stay", () => {
  const s = parseSampleFlags(["--png", "x.png"]);
  assert.ok(s !== "help" && s.ckpt === defaultModel && s.w.length === 3);
});

const BAD: [string[], RegExp][] = [
  [["--preset", "best"], /--preset must be one of closest-to-real, got "best"/],
  [["--preset", "closest-to-real", "--study", "guidance"], /--study guidance chooses its own settings; drop --preset/],
  [["--preset", "closest-to-real", "--samples", "a.npy"], /--samples judges a file, so --preset would be ignored/],
];
for (const [argv, re] of BAD)
  test(`eval ${argv.join(" ")} stops with one line`, () => {
    assert.throws(() => parseEvalFlags(argv), (e: unknown) => e instanceof UsageError && re.test(e.message));
  });
