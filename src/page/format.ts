// Numbers the page writes in words: a duration ("2 min 5 s", never "1 min 60 s").

/** "45 s", "2 min 5 s", "3 min": rounded to the second first, so 119.6 s is "2 min", never "1 min 60 s". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60), r = s % 60;
  return r ? `${m} min ${r} s` : `${m} min`;
}
