// Progress bars (cli-progress) that also draw during synchronous work: tick() renders directly,
// at most every 100 ms on a terminal and every 15 s in a log file.
import cliProgress from "cli-progress";

export interface Progress {
  start(total: number, value: number, payload?: Record<string, unknown>): void;
  tick(value: number, payload?: Record<string, unknown>): void;
  setTotal(total: number): void;
  stop(): void;
}

/**
 * Seconds as the bars show them, rounded before splitting (cli-progress's own splits first and prints
 * "1m60s"): 45s, 2m05s, 1h02m; cli-progress's "NULL" and "INF" (not known yet) stay as they are.
 */
export function formatEta(t: unknown, roundTo = 1): string {
  if (typeof t !== "number" || !Number.isFinite(t)) return String(t);
  const s = t > 10 && roundTo > 1 ? roundTo * Math.round(t / roundTo) : Math.round(t);
  if (s >= 3600) {
    const m = Math.round(s / 60);
    return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
  }
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s` : `${s}s`;
}

export function progressBar(format: string): Progress {
  const tty = Boolean(process.stderr.isTTY);
  const bar = new cliProgress.SingleBar({ format, noTTYOutput: true, notTTYSchedule: 15000, hideCursor: true, etaBuffer: 50, stream: process.stderr, formatTime: (t: unknown, _o: unknown, roundTo?: number) => formatEta(t, roundTo ?? 1) }, cliProgress.Presets.shades_classic);
  const every = tty ? 100 : 15000;
  let last = 0;
  return {
    start: (total, value, payload) => {
      bar.start(total, value, payload);
      last = performance.now();
    },
    tick(value, payload) {
      bar.update(value, payload);
      const now = performance.now();
      if (now - last >= every) {
        last = now;
        bar.render();
      }
    },
    setTotal: (t) => bar.setTotal(t),
    stop: () => bar.stop(),
  };
}
