// Numbers the page writes in words: a duration ("2 min 5 s") and the network passes one digit costs
// with a solver at a guidance scale (so a card can say what the default sampler makes, not a constant).
import { passesPerSample, type PassesOptions } from "../sample/passes.js";

/** "45 s", "2 min 5 s", "3 min": rounded to the second first, so 119.6 s is "2 min", never "1 min 60 s". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60), r = s % 60;
  return r ? `${m} min ${r} s` : `${m} min`;
}

/**
 * Network passes per digit of a run as the page makes it: generate()'s count (passesPerSample), except at
 * w = 0 under plain CFG, where the page's worker evaluates the unconditional field alone (one pass per stage).
 */
export function pagePassesPerDigit(o: PassesOptions): number {
  if (o.w === 0 && o.guidance.kind === "cfg") return passesPerSample({ ...o, w: 1 });
  return passesPerSample(o);
}
