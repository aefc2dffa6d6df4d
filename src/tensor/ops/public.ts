// The differentiable ops as the public API exposes them (flowlab's `ops` namespace): functions only,
// never their definitions, the backends or the registry.

/**
 * The differentiable tensor ops. Each records its gradient rule on the tape, so grad() and
 * valueAndGrad() differentiate any composition of them.
 * @module
 */
export { add, sub, mul, div, neg, exp, log, sqrt, sin, cos, square, sigmoid, silu, affine, scale } from "./elementwise.js";
export { sum, broadcastTo } from "./reduce.js";
export { mean } from "./mean.js";
export { reshape, permute, concat, slice, pad } from "./shape.js";
export { matmul, linear } from "./linalg.js";
export { conv2d } from "./conv.js";
export { upsample2x } from "./upsample.js";
export { batchNormTrain, batchNormEval, type BatchNormRunning } from "./batchnorm.js";
export { channelAffine } from "./channel-affine.js";
export { embedding } from "./embedding.js";
