// Which kernel runs each Backend method on the wasm backend: its native task kernels (assembly/), or
// "reference" (the plain TypeScript backend, ref/). The compiler checks every method has an entry;
// WasmBackend takes its reference methods from here; kernel-table.test.ts checks the native ones.
import type { Backend } from "../backend.js";
import type { TaskKernel } from "../kernel-args.js";

/** A kernel method of Backend. */
export type BackendMethod = Exclude<keyof Backend, "name">;

/** A method with native kernels. */
export interface NativeEntry {
  /** The task kernels it dispatches (one of them, or several in turn, depending on the case). */
  readonly native: readonly TaskKernel[];
  /** The cases it still hands to the reference backend, if any. */
  readonly reference?: string;
}
/** How the wasm backend runs one method. */
export type KernelEntry = NativeEntry | "reference";

/** Every Backend method, with its native kernels or "reference". README (How it is built) prints it. */
export const KERNEL_TABLE = {
  binary: { native: ["binary_task", "rowbcast_task"], reference: "a broadcast that is not one contiguous window of the output's dims" },
  unary: { native: ["silu_task"], reference: "every op but silu (neg, exp, log, sqrt, sin, cos, square, sigmoid)" },
  affine: "reference",
  siluBackward: { native: ["silu_bwd_task"] },
  channelAffine: { native: ["channel_affine_task"] },
  sum: { native: ["rowsum_task"], reference: "reduced axes that are not one contiguous window" },
  matmul: { native: ["gemm_task"] },
  conv2d: { native: ["conv2d_winograd_weights_task", "conv2d_winograd_task", "conv2d_im2col_task", "channel_affine_task", "binary_task", "rowbcast_task"] },
  conv2dBackward: { native: ["conv2d_winograd_weights_task", "conv2d_winograd_task", "conv2d_winograd_dw_task", "conv2d_im2col_bwd_task"] },
  upsample2x: { native: ["upsample2x_task"] },
  upsample2xBackward: { native: ["upsample2x_bwd_task"] },
  bnTrain: { native: ["bn_fwd_task"] },
  bnTrainBackward: { native: ["bn_bwd_task"] },
  embedding: "reference",
  embeddingBackward: "reference",
  permute: "reference",
  concat: "reference",
  slice: "reference",
  pad: "reference",
  copy: "reference",
  adam: { native: ["adam_task"] },
} as const satisfies Record<BackendMethod, KernelEntry>;

/** The methods the wasm backend hands to the reference backend whole. */
export type ReferenceMethod = { [M in BackendMethod]: (typeof KERNEL_TABLE)[M] extends "reference" ? M : never }[BackendMethod];
export const REFERENCE_METHODS = (Object.keys(KERNEL_TABLE) as BackendMethod[]).filter((m): m is ReferenceMethod => KERNEL_TABLE[m] === "reference");

/** The table as Markdown, as the README shows it (kernel-table.test.ts keeps the two equal). */
export function kernelTableMarkdown(): string {
  const rows = (Object.entries(KERNEL_TABLE) as [BackendMethod, KernelEntry][]).map(([m, e]) =>
    e === "reference" ? `| \`${m}\` | reference |` : `| \`${m}\` | ${e.native.map((k) => `\`${k}\``).join(", ")}${e.reference ? `; reference for ${e.reference}` : ""} |`);
  return ["| Backend method | wasm kernels |", "| --- | --- |", ...rows].join("\n");
}
