// How training draws the time t of each example: uniform on [0, 1] (the lab's), or logit-normal,
// t = σ(m + s·n) with n ~ N(0, 1), which spends more of the batch on mid t (Esser et al. 2024, SD3).
import * as T from "../tensor/index.js";

/** The distribution of training times, as data. */
export type TimeSampling = { kind: "uniform" } | { kind: "logit-normal"; /** m */ mean: number; /** s > 0 */ std: number };

/** The lab's: t ~ U[0, 1]. Checkpoints from before this field trained with it. */
export const UNIFORM_TIMES: TimeSampling = Object.freeze({ kind: "uniform" });

/** Checks a time distribution; throws RangeError naming the bad setting. */
export function validateTimeSampling(s: TimeSampling): void {
  if (s.kind === "uniform") return;
  if (s.kind !== "logit-normal") throw new RangeError(`time sampling: unknown kind ${JSON.stringify((s as { kind: unknown }).kind)} (uniform or logit-normal)`);
  if (!Number.isFinite(s.mean) || Math.abs(s.mean) > 10) throw new RangeError(`time sampling: logit-normal mean must be in [−10, 10], got ${s.mean}`);
  if (!(Number.isFinite(s.std) && s.std > 0 && s.std <= 10)) throw new RangeError(`time sampling: logit-normal std must be in (0, 10], got ${s.std}`);
}

/** B training times from `rng`: [B, 1, 1, 1], in (0, 1). */
export function sampleTimes(s: TimeSampling, batch: number, rng: T.Rng): T.Tensor {
  if (s.kind === "uniform") return T.rand([batch, 1, 1, 1], rng);
  const t = T.randn([batch, 1, 1, 1], rng, s.std);
  const d = t.data;
  for (let i = 0; i < d.length; i++) d[i] = 1 / (1 + Math.exp(-(s.mean + d[i]!)));
  return t;
}

/** Parses the --t-sampling flag: "uniform" or "logit-normal[:MEAN[:STD]]" (default 0 and 1, SD3's). */
export function parseTimeSampling(text: string): TimeSampling {
  const [kind, m, s, ...rest] = text.split(":");
  if (kind === "uniform" && m === undefined) return UNIFORM_TIMES;
  if (kind === "logit-normal" && rest.length === 0) {
    const v: TimeSampling = { kind: "logit-normal", mean: m === undefined || m === "" ? 0 : Number(m), std: s === undefined || s === "" ? 1 : Number(s) };
    validateTimeSampling(v);
    return v;
  }
  throw new RangeError(`must be "uniform" or "logit-normal[:MEAN[:STD]]", got "${text}"`);
}
