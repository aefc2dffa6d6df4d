// Checks generated samples against the data range [−1, 1]. A trained model lands within a little of it
// at any sensible w; values far outside mean absurd weights (a corrupt checkpoint) or an extreme w.

/**
 * |x| beyond `warn` earns a warning, beyond `fail` (or any NaN/Inf) an error: such images are noise.
 * More than `clampedShare` of the values outside [−1, 1] earns a warning. |w| beyond `maxW` is an error
 * whatever the values: at w ≈ 1e13..1e19 float32 rounding keeps the values small but they are noise.
 */
export const SAMPLE_RANGE_LIMITS = { warn: 3, fail: 50, clampedShare: 0.5, maxW: 1e4 } as const;

export class SampleRangeError extends Error {
  override name = "SampleRangeError";
}

export interface SampleRangeCheck {
  lo: number;
  hi: number;
  /** How many values lie outside [−1, 1] (clamped in pictures and --npy). */
  outside: number;
  /** Set when values are far outside the data range but not absurd. */
  warning?: string;
}

/** Range of the samples; throws SampleRangeError naming the likely cause when they are garbage. */
export function checkSampleRange(images: Float32Array, ctx: { w: number; source: string }): SampleRangeCheck {
  let lo = Infinity, hi = -Infinity, outside = 0, bad = 0;
  for (const v of images) {
    if (!Number.isFinite(v)) bad++;
    else {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
      if (v < -1 || v > 1) outside++;
    }
  }
  const m = Math.max(Math.abs(lo), Math.abs(hi));
  const cause = likelyCause(ctx.w, ctx.source);
  const where = `samples at w = ${ctx.w}`;
  if (bad) throw new SampleRangeError(`${where} hold ${bad} non-finite value(s): ${cause}`);
  checkGuidanceWeight(ctx.w, ctx.source);
  const span = `[${lo.toPrecision(3)}, ${hi.toPrecision(3)}]`;
  if (m > SAMPLE_RANGE_LIMITS.fail) throw new SampleRangeError(`${where} span ${span}, far outside the data range [−1, 1]: ${cause}; nothing was written`);
  const check: SampleRangeCheck = { lo, hi, outside };
  if (m > SAMPLE_RANGE_LIMITS.warn) check.warning = `${where} span ${span}, well outside the data range [−1, 1]: ${cause}; images are clamped to [−1, 1]`;
  else if (outside > SAMPLE_RANGE_LIMITS.clampedShare * images.length) {
    check.warning = `${where}: ${((100 * outside) / images.length).toFixed(0)} % of the values lie outside [−1, 1] and are clamped: ${cause}`;
  }
  return check;
}

/** Refuses |w| beyond SAMPLE_RANGE_LIMITS.maxW (before sampling): the samples would be noise. */
export function checkGuidanceWeight(w: number, source: string): void {
  const max = SAMPLE_RANGE_LIMITS.maxW;
  if (Math.abs(w) > max) throw new SampleRangeError(`samples at w = ${w} would be noise: ${likelyCause(w, source)}; |w| above ${max} is refused`);
}

/** A copy clamped to [−1, 1]. */
export function clampUnit(images: Float32Array): Float32Array {
  return images.map((v) => (v < -1 ? -1 : v > 1 ? 1 : v));
}

function likelyCause(w: number, source: string): string {
  return Math.abs(w) > 10 ? `w = ${w} is extreme (useful values are about 1..10)` : `${source} may be corrupt (weights far from any trained model)`;
}

/** Runs a solve; a non-finite state met inside the network becomes a SampleRangeError naming the likely cause. */
export function solveChecked<R>(ctx: { w: number; source: string }, solve: () => R): R {
  try {
    return solve();
  } catch (e) {
    if (e instanceof RangeError && /non-finite value/.test(e.message)) {
      throw new SampleRangeError(`samples at w = ${ctx.w} overflowed to NaN/Infinity during the solve: ${likelyCause(ctx.w, ctx.source)}`);
    }
    throw e;
  }
}
