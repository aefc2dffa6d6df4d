// The closed set of differentiable ops. Adding a name to OpName without a definition (forward kernel
// call plus gradient rule) fails to compile, and so does a definition whose name is not in the set.
import type { OpDef } from "./op.js";
import * as ew from "./elementwise.js";
import * as red from "./reduce.js";
import * as shp from "./shape.js";
import * as la from "./linalg.js";
import { conv2dDef } from "./conv.js";
import { upsample2xDef } from "./upsample.js";
import { batchNormTrainDef } from "./batchnorm.js";
import { embeddingDef } from "./embedding.js";
import { channelAffineDef } from "./channel-affine.js";

export type OpName =
  | "add" | "sub" | "mul" | "div"
  | "neg" | "exp" | "log" | "sqrt" | "sin" | "cos" | "square" | "sigmoid" | "silu" | "affine"
  | "sum" | "broadcastTo"
  | "reshape" | "permute" | "concat" | "slice" | "pad"
  | "matmul" | "linear" | "conv2d" | "upsample2x" | "batchNormTrain" | "channelAffine" | "embedding";

/** Every op, by name; op.ts makes each definition's `name` an OpName, and a test checks they agree. */
export const OPS: { readonly [K in OpName]: OpDef<never> } = {
  add: ew.addDef,
  sub: ew.subDef,
  mul: ew.mulDef,
  div: ew.divDef,
  neg: ew.negDef,
  exp: ew.expDef,
  log: ew.logDef,
  sqrt: ew.sqrtDef,
  sin: ew.sinDef,
  cos: ew.cosDef,
  square: ew.squareDef,
  sigmoid: ew.sigmoidDef,
  silu: ew.siluDef,
  affine: ew.affineDef,
  sum: red.sumDef,
  broadcastTo: red.broadcastToDef,
  reshape: shp.reshapeDef,
  permute: shp.permuteDef,
  concat: shp.concatDef,
  slice: shp.sliceDef,
  pad: shp.padDef,
  matmul: la.matmulDef,
  linear: la.linearDef,
  conv2d: conv2dDef,
  upsample2x: upsample2xDef,
  batchNormTrain: batchNormTrainDef,
  channelAffine: channelAffineDef,
  embedding: embeddingDef,
};
