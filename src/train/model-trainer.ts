// What every trainer shares: the U-Net being trained, Adam over its parameters, the EMA of its weights,
// the RNG, the step count and the training time, and the step itself; a subclass supplies the loss.
import * as T from "../tensor/index.js";
import type { UNet } from "../nn/unet.js";
import { parameters, stateDict, type StateDict } from "../nn/state-dict.js";
import { adam, type AdamState } from "./adam.js";
import { cloneState, emaUpdate, emaDecayAt } from "./ema.js";
import { CKPT_FORMAT, type TrainState, type TrainingRecord } from "./checkpoint.js";
import type { TrainConfig } from "./presets.js";
import { lrAt } from "./schedule.js";

/** The loss became NaN or infinite; the step is not applied. */
export class NonFiniteLossError extends Error {
  override name = "NonFiniteLossError";
}

/** One training step's outcome. */
export interface StepResult {
  step: number;
  loss: number;
}

/** A U-Net under Adam (and an optional EMA), resumable bit for bit; `loss()` defines what it learns. */
export abstract class ModelTrainer<C extends TrainConfig = TrainConfig> {
  readonly config: C;
  readonly net: UNet;
  readonly params: StateDict;
  readonly ema: StateDict | null;
  readonly adamState: AdamState;
  private readonly opt;
  rng: T.Rng;
  step: number;
  seconds: number;

  /** `fresh` makes the network of a new run; `resume` continues a checkpoint's run instead. */
  protected constructor(config: C, fresh: () => UNet, resume?: TrainState) {
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
      this.net = fresh();
      this.params = parameters(this.net.params);
      this.adamState = this.opt.init(this.params);
      this.ema = config.emaDecay > 0 ? cloneState(stateDict(this.net.params)) : null;
      this.rng = new T.Rng(config.seed).split();
      this.step = 0;
      this.seconds = 0;
    }
  }

  /** The scalar loss of the next step, drawing its randomness from `this.rng` (called inside tidy). */
  protected abstract loss(): T.Tensor;

  /** One optimisation step. Throws NonFiniteLossError (weights untouched) if the loss is NaN or ±Inf. */
  trainStep(): StepResult {
    const t0 = performance.now();
    const loss = T.tidy(() => {
      const l = this.loss();
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

  /**
   * One optimisation step on any backend, reading the loss back asynchronously: the step for the
   * webgpu backend, where values stay on the GPU (trainStep reads the loss synchronously). Same
   * update as trainStep; the gradients are computed before the loss is checked.
   */
  async trainStepAsync(): Promise<StepResult> {
    const t0 = performance.now();
    const [l, grads] = T.tidy(() => {
      const l = this.loss();
      return [l, T.grad(l, [...this.params.values()])] as const;
    });
    try {
      const value = (await l.read())[0]!;
      if (!Number.isFinite(value)) throw new NonFiniteLossError(`loss is ${value} at step ${this.step + 1}; stopping without applying this update`);
      T.tidy(() => this.opt.update(this.params, grads, this.adamState, lrAt(this.config.lrSchedule, this.config.lr, this.step + 1, this.config.steps)));
      this.step++;
      if (this.ema) emaUpdate(this.ema, stateDict(this.net.params), emaDecayAt(this.config.emaDecay, this.step));
      this.seconds += (performance.now() - t0) / 1000;
      return { step: this.step, loss: value };
    } finally {
      T.disposeAll([l, grads]);
    }
  }

  /** The training record stored in checkpoints (step, RNG state, configuration). */
  record(notes?: Record<string, string>): TrainingRecord {
    return { format: CKPT_FORMAT, step: this.step, config: this.config, rng: this.rng.state(), adamStep: this.adamState.step, seconds: this.seconds, ...(notes ? { notes } : {}) };
  }

  /** Everything a checkpoint holds, for encodeCheckpoint(). */
  state(notes?: Record<string, string>): TrainState {
    return { net: this.net, ema: this.ema, adam: this.adamState, record: this.record(notes) };
  }

  /**
   * state(), after reading every tensor of it back (`await tensor.read()`): on the webgpu backend the
   * weights, the EMA and Adam's moments are newer on the GPU, and encodeCheckpoint and samplingNet read
   * them synchronously. On wasm the same as state().
   */
  async stateAsync(notes?: Record<string, string>): Promise<TrainState> {
    const tensors = [...stateDict(this.net.params).values(), ...(this.ema?.values() ?? []), ...this.adamState.m.values(), ...this.adamState.v.values()];
    await Promise.all(tensors.filter((t) => !t.onHost).map((t) => t.read()));
    return this.state(notes);
  }
}
