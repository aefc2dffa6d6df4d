// The closed set of differentiable ops: each name maps to its definition (forward kernel call plus
// gradient rule, side by side in ops/*.ts). OpName is derived from this table.
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

/** Every op, by name (a test checks each definition's `name` is its key). */
export const OPS = {
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
} as const satisfies Record<string, OpDef<never>>;

/** The names of the closed set of differentiable ops. */
export type OpName = keyof typeof OPS;
