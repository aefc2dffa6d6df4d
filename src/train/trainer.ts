// The CFG flow-matching trainer: each step samples (z, y), drops labels to ∅ with probability η,
// draws t ~ U[0, 1] and x = t z + (1 − t) ε, regresses u_θ(x, t, y) on z − ε, then Adam and EMA.
import * as T from "../tensor/index.js";
import { initUNet, unetForward, type UNet } from "../nn/unet.js";
import { parameters, stateDict, type StateDict } from "../nn/state-dict.js";
import { GaussianConditionalPath, type DataSampler } from "../flow/path.js";
import { linearSchedule } from "../flow/schedules.js";
import { flowMatchingLoss } from "./loss.js";
import { adam, type AdamState } from "./adam.js";
import { cloneState, emaUpdate, emaDecayAt } from "./ema.js";
import { CKPT_FORMAT, type TrainState, type TrainingRecord } from "./checkpoint.js";
import type { TrainConfig } from "./presets.js";
import { lrAt, validateSchedule } from "./schedule.js";
import { validateConfig } from "../nn/config.js";

/** The loss became NaN or infinite; the step is not applied. */
export class NonFiniteLossError extends Error {
  override name = "NonFiniteLossError";
}

/** One training step's outcome. */
export interface StepResult {
  step: number;
  loss: number;
}

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
  if (!(c.eta >= 0 && c.eta <= 1)) bad(`eta must be in [0, 1], got ${c.eta}`);
  if (!(c.emaDecay >= 0 && c.emaDecay < 1)) bad(`ema decay must be in [0, 1), got ${c.emaDecay}`);
  if (!Number.isInteger(c.seed)) bad(`seed must be an integer, got ${c.seed}`);
  if (!Number.isInteger(c.checkpointEvery) || c.checkpointEvery < 1) bad(`checkpoint interval must be ≥ 1, got ${c.checkpointEvery}`);
}

/** The lab's CFG trainer: flow-matching loss on the Gaussian path, labels dropped to ∅ at rate η, Adam, optional EMA; resumable bit for bit. */
export class CfgTrainer {
  readonly config: TrainConfig;
  readonly net: UNet;
  readonly params: StateDict;
  readonly ema: StateDict | null;
  readonly adamState: AdamState;
  readonly path = new GaussianConditionalPath(linearSchedule);
  private readonly opt;
  rng: T.Rng;
  step: number;
  seconds: number;

  constructor(config: TrainConfig, private readonly data: DataSampler, resume?: TrainState) {
    validateTrainConfig(config);
    if (data.numClasses !== config.model.numClasses) throw new RangeError(`data has ${data.numClasses} classes but the model expects ${config.model.numClasses}`);
    this.config = config;
    this.opt = adam({ lr: config.lr });
    if (resume) {
      if (!resume.record || !resume.adam) throw new Error("cannot resume: the checkpoint has no training state (weights only)");
      this.net = resume.net;
      this.params = parameters(this.net.params);
      this.adamState = resume.adam;
      this.ema = resume.ema ?? (config.emaDecay > 0 ? cloneState(stateDict(this.net.params)) : null);
      this.rng = T.Rng.fromState(resume.record.rng);
      this.step = resume.record.step;
      this.seconds = resume.record.seconds;
    } else {
      this.net = initUNet(config.model, config.seed);
      this.params = parameters(this.net.params);
      this.adamState = this.opt.init(this.params);
      this.ema = config.emaDecay > 0 ? cloneState(stateDict(this.net.params)) : null;
      this.rng = new T.Rng(config.seed).split();
      this.step = 0;
      this.seconds = 0;
    }
  }

  /** One optimisation step. Throws NonFiniteLossError (weights untouched) if the loss is NaN or ±Inf. */
  trainStep(): StepResult {
    const t0 = performance.now();
    const { batch, eta, model } = this.config;
    const rng = this.rng;
    const loss = T.tidy(() => {
      const { z, y } = this.data.sample(batch, rng); // z: [B, 1, H, W], y: [B]
      const yd = y.idata;
      for (let i = 0; i < yd.length; i++) if (rng.uniform() < eta) yd[i] = model.numClasses;
      const t = T.rand([batch, 1, 1, 1], rng); // [B, 1, 1, 1]
      const { x, eps } = this.path.sampleConditionalPath(z, t, rng);
      const target = this.path.target(z, eps, t); // z − ε
      const pred = unetForward(this.net, x, t, y, "train");
      const l = flowMatchingLoss(pred, target);
      const value = l.item();
      if (!Number.isFinite(value)) throw new NonFiniteLossError(`loss is ${value} at step ${this.step + 1}; stopping without applying this update`);
      const grads = T.grad(l, [...this.params.values()]);
      this.opt.update(this.params, grads, this.adamState, lrAt(this.config.lrSchedule, this.config.lr, this.step + 1, this.config.steps));
      return value;
    });
    this.step++;
    if (this.ema) emaUpdate(this.ema, stateDict(this.net.params), emaDecayAt(this.config.emaDecay, this.step));
    this.seconds += (performance.now() - t0) / 1000;
    return { step: this.step, loss };
  }

  /** The training record stored in checkpoints (step, RNG state, configuration). */
  record(notes?: Record<string, string>): TrainingRecord {
    return { format: CKPT_FORMAT, step: this.step, config: this.config, rng: this.rng.state(), adamStep: this.adamState.step, seconds: this.seconds, ...(notes ? { notes } : {}) };
  }

  /** Everything a checkpoint holds, for encodeCheckpoint(). */
  state(notes?: Record<string, string>): TrainState {
    return { net: this.net, ema: this.ema, adam: this.adamState, record: this.record(notes) };
  }
}
