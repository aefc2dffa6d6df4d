// flowlab's WebAssembly SIMD kernels. Every export works on byte offsets into one shared memory;
// the *_task exports do part `task` of `nTasks` so worker threads can split the work.
export { gemm, gemm_task, GEMM_SCRATCH_BYTES } from "./gemm";
export { im2col3, col2im3, conv3_fwd_task, conv3_bwd_task, conv3_scratch_bytes } from "./conv";
export { binary_task, rowbcast_task, rowsum_task, silu_task, silu_bwd_task, channel_affine_task, adam_task } from "./elementwise";
export { bn_fwd_task, bn_bwd_task } from "./batchnorm";
export { upsample2x_task, upsample2x_bwd_task, upsample2x_scratch_floats } from "./upsample";
export { wino_dw_task, wino_dw_scratch_bytes } from "./winograd-dw";
export { wino_weights_task, wino_fwd_task, wino_scratch_bytes, wino_weights_floats } from "./winograd";
