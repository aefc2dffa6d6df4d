// The task kernels' signatures as asc declares them from assembly/, and named arguments for the wide
// ones: a kernel with more than six arguments is called with an object whose keys are its parameter
// names (`named("gemm_task", { M, N, K, … })`), so two swapped numbers no longer type-check.
import type { instantiate } from "../../build/kernels.js";

/** The kernels' exports with their signatures, as asc declares them from assembly/ (built by build:wasm). */
export type KernelExports = Awaited<ReturnType<typeof instantiate>>;

/** Kernels that take (task, nTasks, ...args); the list order is the wire id. */
export const TASK_KERNELS = [
  "gemm_task",
  "conv2d_im2col_task",
  "conv2d_im2col_bwd_task",
  "binary_task",
  "rowbcast_task",
  "rowsum_task",
  "silu_task",
  "silu_bwd_task",
  "channel_affine_task",
  "adam_task",
  "bn_fwd_task",
  "bn_bwd_task",
  "upsample2x_task",
  "upsample2x_bwd_task",
  "conv2d_winograd_weights_task",
  "conv2d_winograd_task",
  "conv2d_winograd_dw_task",
] as const;
/** A task kernel's name. */
export type TaskKernel = (typeof TASK_KERNELS)[number];
/** A task kernel's arguments after (task, nTasks), named as in its AssemblyScript signature. */
export type KernelArgs<K extends TaskKernel> = KernelExports[K] extends (task: number, nTasks: number, ...args: infer A) => void ? A : never;
/** Compile-time check: every `*_task` export of the kernels is in TASK_KERNELS. */
type UnlistedTasks = Exclude<Extract<keyof KernelExports, `${string}_task`>, TaskKernel>;
export const EVERY_TASK_LISTED: [UnlistedTasks] extends [never] ? true : UnlistedTasks = true;

/** The most positional arguments a kernel call may pass; wider kernels take named arguments. */
export const MAX_POSITIONAL = 6;

/**
 * Parameter names of the wide kernels, in their AssemblyScript order (after task, nTasks).
 * The compiler checks each list's length against KernelArgs; kernel-args.test.ts checks the names
 * against build/kernels.d.ts.
 */
export const ARG_NAMES = {
  gemm_task: ["M", "N", "K", "a", "rsA", "csA", "b", "rsB", "csB", "c", "ldc", "beta", "scratch"],
  conv2d_im2col_task: ["x", "w", "bias", "y", "B", "Cin", "H", "W", "Cout", "s", "Ho", "Wo", "scratch"],
  conv2d_im2col_bwd_task: ["x", "w", "dy", "dx", "dwPart", "dbPart", "B", "Cin", "H", "W", "Cout", "s", "Ho", "Wo", "scratch"],
  rowbcast_task: ["op", "a", "b", "out", "R", "M", "I", "swap"],
  channel_affine_task: ["x", "s", "h", "y", "rows", "C", "n", "silu"],
  adam_task: ["p", "g", "m", "v", "n", "lr", "b1", "b2", "eps", "bc1", "bc2sqrt"],
  bn_fwd_task: ["x", "y", "B", "C", "HW", "gamma", "beta", "mean", "varb", "invstd", "eps"],
  bn_bwd_task: ["x", "dy", "dx", "B", "C", "HW", "gamma", "mean", "invstd", "dgamma", "dbeta"],
  conv2d_winograd_task: ["x", "U", "bias", "y", "B", "Cin", "H", "W", "Cout", "scratch", "addend", "addMode", "preMode", "preScale", "preShift"],
  conv2d_winograd_dw_task: ["x", "dy", "dwPart", "dbPart", "B", "Cin", "H", "W", "Cout", "scratch"],
} as const;

/** A kernel that takes named arguments. */
export type WideKernel = keyof typeof ARG_NAMES;
type Small = 0 | 1 | 2 | 3 | 4 | 5 | 6;
/** Compile-time checks: every kernel wider than MAX_POSITIONAL has names, and each name list is as long as its signature. */
type Unnamed = Exclude<{ [K in TaskKernel]: KernelArgs<K>["length"] extends Small ? never : K }[TaskKernel], WideKernel>;
type WrongLength = { [K in WideKernel]: (typeof ARG_NAMES)[K]["length"] extends KernelArgs<K>["length"] ? never : K }[WideKernel];
export const EVERY_WIDE_KERNEL_NAMED: [Unnamed | WrongLength] extends [never] ? true : Unnamed | WrongLength = true;

/** A wide kernel's arguments by name. */
export type NamedArgs<K extends WideKernel> = { readonly [P in (typeof ARG_NAMES)[K][number]]: number };
declare const namedBrand: unique symbol;
/** Positional arguments built by `named`: the only form pool.run accepts for a wide kernel. */
export type Named<K extends WideKernel> = KernelArgs<K> & { readonly [namedBrand]: K };
/** What pool.run takes for kernel K: a plain tuple for a narrow kernel, `named(K, …)` for a wide one. */
export type RunArgs<K extends TaskKernel> = K extends WideKernel ? Named<K> : KernelArgs<K>;

/** The positional arguments of wide kernel `kernel`, from its arguments by name. */
export function named<K extends WideKernel>(kernel: K, args: NamedArgs<K>): Named<K> {
  const names: readonly (keyof NamedArgs<K>)[] = ARG_NAMES[kernel];
  const out = new Array<number>(names.length);
  for (let i = 0; i < names.length; i++) out[i] = args[names[i]!];
  return out as unknown as Named<K>;
}
