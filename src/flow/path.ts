// The Gaussian conditional probability path p_t(x|z) = N(α_t z, β_t² I): sampling, the conditional
// vector field and score, and conversions between velocity and score.
import * as T from "../tensor/index.js";
import type { Schedule } from "./schedules.js";

/** A batch of data points z with their labels y. */
export interface Conditioning {
  z: T.Tensor; // [B, C, H, W]
  y: T.Tensor; // [B] i32
}

/** Anything that can draw (z, y) batches: MNIST, or a test fixture. */
export interface DataSampler {
  readonly imageShape: readonly number[]; // [C, H, W]
  readonly numClasses: number;
  /** Draws n data points (images z and labels y) with `rng`. */
  sample(batch: number, rng: T.Rng): Conditioning;
}

function checkT(op: string, t: T.Tensor, B: number): Float32Array {
  if (t.size !== B) throw new T.ShapeError(`${op}: t must hold one time per sample ([${B}, 1, 1, 1]), got [${t.shape.join(", ")}]`);
  const d = t.data;
  for (let i = 0; i < d.length; i++) if (!(d[i]! >= 0 && d[i]! <= 1)) throw new RangeError(`${op}: t[${i}] = ${d[i]} is outside [0, 1]`);
  return d;
}

/** [B, 1, 1, 1] tensor of f(t_i). */
function perSample(t: Float32Array, f: (t: number) => number): T.Tensor {
  return T.tensor(Array.from(t, f), [t.length, 1, 1, 1]);
}

/** The Gaussian conditional path p_t(x|z) = N(α_t z, β_t² I): samples, its conditional vector field and score. */
export class GaussianConditionalPath {
  constructor(readonly schedule: Schedule) {}

  /** (z, y) ~ p_data */
  sampleConditioningVariable(data: DataSampler, batch: number, rng: T.Rng): Conditioning {
    return data.sample(batch, rng);
  }

  /** x ~ p_t(x|z) = α_t z + β_t ε; also returns ε. z: [B, ...], t: [B, 1, 1, 1] */
  sampleConditionalPath(z: T.Tensor, t: T.Tensor, rng: T.Rng): { x: T.Tensor; eps: T.Tensor } {
    const td = checkT("sampleConditionalPath", t, z.shape[0]!);
    const eps = T.randn(z.shape, rng);
    const x = T.add(T.mul(perSample(td, this.schedule.alpha), z), T.mul(perSample(td, this.schedule.beta), eps));
    return { x, eps };
  }

  /** x ~ p_t(x) = ∫ p_t(x|z) p_data(z) dz */
  sampleMarginalPath(data: DataSampler, t: T.Tensor, rng: T.Rng): T.Tensor {
    const { z } = data.sample(t.size, rng);
    return this.sampleConditionalPath(z, t, rng).x;
  }

  /** u_t(x|z) = (α̇ − β̇/β·α) z + β̇/β · x (the lab's formula; undefined where β_t = 0). */
  conditionalVectorField(x: T.Tensor, z: T.Tensor, t: T.Tensor): T.Tensor {
    const td = checkT("conditionalVectorField", t, z.shape[0]!);
    const s = this.schedule;
    for (const ti of td) if (s.beta(ti) === 0) throw new RangeError(`conditionalVectorField: β_t = 0 at t = ${ti}; use target(z, eps, t) near t = 1`);
    const cz = perSample(td, (ti) => s.dAlpha(ti) - (s.dBeta(ti) / s.beta(ti)) * s.alpha(ti));
    const cx = perSample(td, (ti) => s.dBeta(ti) / s.beta(ti));
    return T.add(T.mul(cz, z), T.mul(cx, x));
  }

  /**
   * The regression target written with the noise: u = α̇ z + β̇ ε for x = α z + β ε.
   * Finite for every t with finite derivatives; for the linear path it is z − ε.
   */
  target(z: T.Tensor, eps: T.Tensor, t: T.Tensor): T.Tensor {
    const td = checkT("target", t, z.shape[0]!);
    return T.add(T.mul(perSample(td, this.schedule.dAlpha), z), T.mul(perSample(td, this.schedule.dBeta), eps));
  }

  /** ∇ log p_t(x|z) = (α_t z − x) / β_t² */
  conditionalScore(x: T.Tensor, z: T.Tensor, t: T.Tensor): T.Tensor {
    const td = checkT("conditionalScore", t, z.shape[0]!);
    const s = this.schedule;
    return T.mul(T.sub(T.mul(perSample(td, s.alpha), z), x), perSample(td, (ti) => 1 / s.beta(ti) ** 2));
  }

  /** score = (u − (α̇/α) x) / (β² α̇/α − β̇ β), valid for 0 < t < 1. */
  velocityToScore(u: T.Tensor, x: T.Tensor, t: T.Tensor): T.Tensor {
    const td = checkT("velocityToScore", t, x.shape[0]!);
    const [a, b] = this.coeffs(td);
    return T.div(T.sub(u, T.mul(a, x)), b);
  }

  /** u = (α̇/α) x + (β² α̇/α − β̇ β) score, valid for 0 < t < 1. */
  scoreToVelocity(score: T.Tensor, x: T.Tensor, t: T.Tensor): T.Tensor {
    const td = checkT("scoreToVelocity", t, x.shape[0]!);
    const [a, b] = this.coeffs(td);
    return T.add(T.mul(a, x), T.mul(b, score));
  }

  private coeffs(td: Float32Array): [T.Tensor, T.Tensor] {
    const s = this.schedule;
    for (const ti of td) if (s.alpha(ti) === 0 || s.beta(ti) === 0) throw new RangeError(`velocity/score conversion needs 0 < t < 1, got t = ${ti}`);
    const a = perSample(td, (ti) => s.dAlpha(ti) / s.alpha(ti));
    const b = perSample(td, (ti) => (s.beta(ti) ** 2 * s.dAlpha(ti)) / s.alpha(ti) - s.dBeta(ti) * s.beta(ti));
    return [a, b];
  }
}
