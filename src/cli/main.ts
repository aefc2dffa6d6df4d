#!/usr/bin/env node
// flowlab's command line: the only place that reads argv or exits. Errors print one line and exit 2
// (a stack trace only with --verbose).
import { initNodeEngine } from "../tensor/node.js";
import { shutdownEngine, WebGpuUnavailableError } from "../tensor/index.js";
import { trainCommand, TRAIN_HELP } from "./train.js";
import { distillCommand, DISTILL_HELP } from "./distill.js";
import { sampleCommand, SAMPLE_HELP } from "./sample.js";
import { pathCommand, PATH_HELP } from "./path-cmd.js";
import { trainJudgeCommand, TRAIN_JUDGE_HELP } from "./train-judge.js";
import { evalCommand, EVAL_HELP } from "./eval.js";
import { nllCommand, NLL_HELP } from "./nll.js";
import { emojiFolderCommand, EMOJI_FOLDER_HELP } from "./emoji-folder.js";
import { calibrateCommand, CALIBRATE_HELP } from "./calibrate.js";
import { UsageError, num } from "./args.js";
import { InputError, printable } from "../io/errors.js";
import { MissingPackageError } from "../io/optional-packages.js";
import { skipChecksums } from "./ckpt-io.js";

const HELP = `flowlab: conditional flow matching with classifier-free guidance, in TypeScript

usage: flowlab <command> [flags]     (flowlab <command> --help for its flags)
  every command also takes --threads N (engine threads), --verbose (stack traces) and --no-verify
  (read checkpoints without checking the SHA-256 of their tensor data that flowlab stores)

${TRAIN_HELP}

${DISTILL_HELP}

${SAMPLE_HELP}

${PATH_HELP}

${TRAIN_JUDGE_HELP}

${EVAL_HELP}

${NLL_HELP}

${EMOJI_FOLDER_HELP}

${CALIBRATE_HELP}`;

type Command = (argv: string[], log: (s: string) => void) => Promise<number>;
const COMMANDS: Record<string, Command> = { train: trainCommand, distill: distillCommand, sample: sampleCommand, path: pathCommand, "train-judge": trainJudgeCommand, eval: evalCommand, nll: nllCommand, "emoji-folder": emojiFolderCommand, calibrate: calibrateCommand };

function threadsFlag(argv: string[]): number | undefined {
  const i = argv.findIndex((a) => a === "--threads" || a.startsWith("--threads="));
  if (i < 0) return undefined;
  const a = argv[i]!;
  return num("threads", a.includes("=") ? a.split("=")[1] : argv[i + 1], { int: true, min: 1, max: 64 });
}

/** --backend B (train and sample): "wasm" or "webgpu"; webgpu stops with the reason where it is unavailable. */
function backendFlag(argv: string[]): "wasm" | "webgpu" | undefined {
  const i = argv.findIndex((a) => a === "--backend" || a.startsWith("--backend="));
  if (i < 0) return undefined;
  const a = argv[i]!;
  const v = a.includes("=") ? a.slice(a.indexOf("=") + 1) : argv[i + 1];
  if (v !== "wasm" && v !== "webgpu") throw new UsageError(`--backend must be wasm or webgpu, got ${v === undefined ? "nothing" : `"${printable(v, 40)}"`}`);
  return v;
}

async function startCliEngine(threads: number | undefined, backend: "wasm" | "webgpu" | undefined): Promise<void> {
  try {
    await initNodeEngine({ ...(threads !== undefined ? { threads } : {}), ...(backend ? { backend } : {}) });
  } catch (e) {
    if (e instanceof WebGpuUnavailableError) throw new UsageError(`--backend webgpu: WebGPU is unavailable here (${e.reason}); use --backend wasm`);
    throw e;
  }
}

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd) {
    console.error(HELP); // a missing command is an error: the usage goes to stderr
    return 2;
  }
  if (cmd === "--help" || cmd === "-h" || cmd === "help") {
    console.log(HELP);
    return 0;
  }
  // own keys only: "constructor", "toString" and "__proto__" are not commands
  const run = Object.hasOwn(COMMANDS, cmd) ? COMMANDS[cmd] : undefined;
  if (!run) throw new UsageError(`unknown command "${printable(cmd, 40)}": choose ${Object.keys(COMMANDS).join(", ")}`);
  if (rest.includes("--no-verify")) skipChecksums();
  if (!rest.includes("--help") && !rest.includes("-h")) {
    await startCliEngine(threadsFlag(rest), backendFlag(rest));
  }
  try {
    return await run(rest, (s) => console.log(s));
  } finally {
    shutdownEngine();
  }
}

/** The one line an error prints: library input errors name the flag that gave the file. */
function errorLine(err: Error): string {
  const text = err.message.replace(/\s*\n\s*/g, " ");
  return err instanceof InputError && err.input ? `--${err.input} ${text}` : text;
}

const argv = process.argv.slice(2);
const verbose = argv.includes("--verbose");
main(argv).then(
  (code) => process.exit(code),
  (e: unknown) => {
    const err = e instanceof Error ? e : new Error(String(e));
    console.error(`flowlab: error: ${errorLine(err)}`);
    if (verbose) console.error(err.stack);
    else if (!(err instanceof MissingPackageError)) console.error("(run with --verbose for details)"); // its one line is the fix
    process.exit(2);
  },
);
