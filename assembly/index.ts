// flowlab's WebAssembly SIMD kernels. Every export works on byte offsets into one shared memory;
// the *_task exports do part `task` of `nTasks` so worker threads can split the work.
export { gemm_task, GEMM_SCRATCH_BYTES } from "./gemm";
export { conv2d_im2col_task, conv2d_im2col_bwd_task, conv2d_im2col_scratch_bytes } from "./conv";
export { binary_task, rowbcast_task, rowsum_task, silu_task, silu_bwd_task, channel_affine_task, adam_task } from "./elementwise";
export { bn_fwd_task, bn_bwd_task } from "./batchnorm";
export { upsample2x_task, upsample2x_bwd_task, upsample2x_scratch_floats } from "./upsample";
export { conv2d_winograd_dw_task, conv2d_winograd_dw_scratch_bytes } from "./winograd-dw";
export { conv2d_winograd_weights_task, conv2d_winograd_task, conv2d_winograd_scratch_bytes, conv2d_winograd_weights_floats } from "./winograd";
