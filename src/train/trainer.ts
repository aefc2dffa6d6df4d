// The CFG flow-matching trainer: each step samples (z, y), drops labels to ∅ with probability η,
// draws t (U[0, 1] unless the config says otherwise) and x = t z + (1 − t) ε, regresses u_θ(x, t, y) on z − ε, then Adam and EMA.
import * as T from "../tensor/index.js";
import { initUNet, unetForward } from "../nn/unet.js";
import { GaussianConditionalPath, type DataSampler } from "../flow/path.js";
import { linearSchedule } from "../flow/schedules.js";
import { flowMatchingLoss } from "./loss.js";
import type { TrainState } from "./checkpoint.js";
import type { TrainConfig } from "./presets.js";
import { validateSchedule } from "./schedule.js";
import { ModelTrainer } from "./model-trainer.js";
import { sampleTimes, validateTimeSampling, UNIFORM_TIMES } from "./time-sampling.js";
import { validateConfig } from "../nn/config.js";


/** Checks a training configuration; throws RangeError naming the bad field. */
export function validateTrainConfig(c: TrainConfig): void {
  validateConfig(c.model);
  const bad = (m: string) => {
    throw new RangeError(`train config: ${m}`);
  };
  if (!Number.isInteger(c.steps) || c.steps < 0) bad(`steps must be a non-negative integer, got ${c.steps}`);
  if (!Number.isInteger(c.batch) || c.batch < 2) bad(`batch must be an integer ≥ 2 (BatchNorm needs 2), got ${c.batch}`);
  if (!(c.lr > 0)) bad(`lr must be > 0, got ${c.lr}`);
  validateSchedule(c.lrSchedule);
  if (c.timeSampling) validateTimeSampling(c.timeSampling);
  if (!(c.eta >= 0 && c.eta <= 1)) bad(`eta must be in [0, 1], got ${c.eta}`);
  if (!(c.emaDecay >= 0 && c.emaDecay < 1)) bad(`ema decay must be in [0, 1), got ${c.emaDecay}`);
  if (!Number.isInteger(c.seed)) bad(`seed must be an integer, got ${c.seed}`);
  if (!Number.isInteger(c.checkpointEvery) || c.checkpointEvery < 1) bad(`checkpoint interval must be ≥ 1, got ${c.checkpointEvery}`);
}

/** The lab's CFG trainer: flow-matching loss on the Gaussian path, labels dropped to ∅ at rate η, Adam, optional EMA; resumable bit for bit. */
export class CfgTrainer extends ModelTrainer {
  readonly path = new GaussianConditionalPath(linearSchedule);

  constructor(config: TrainConfig, private readonly data: DataSampler, resume?: TrainState) {
    validateTrainConfig(config);
    if (data.numClasses !== config.model.numClasses) throw new RangeError(`data has ${data.numClasses} classes but the model expects ${config.model.numClasses}`);
    super(config, () => initUNet(config.model, config.seed), resume);
  }

  /** Samples (z, y), drops labels to ∅, draws t and x = t z + (1 − t) ε; the loss against z − ε. */
  protected loss(): T.Tensor {
    const { batch, eta, model } = this.config;
    const rng = this.rng;
    const { z, y } = this.data.sample(batch, rng); // z: [B, 1, H, W], y: [B]
    const yd = y.idata;
    for (let i = 0; i < yd.length; i++) if (rng.uniform() < eta) yd[i] = model.numClasses;
    const t = sampleTimes(this.config.timeSampling ?? UNIFORM_TIMES, batch, rng); // [B, 1, 1, 1]
    const { x, eps } = this.path.sampleConditionalPath(z, t, rng);
    const target = this.path.target(z, eps, t); // z − ε
    return flowMatchingLoss(unetForward(this.net, x, t, y, "train"), target);
  }
}
