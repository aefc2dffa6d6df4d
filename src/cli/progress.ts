// Progress bars (cli-progress) that also draw during synchronous work: tick() renders directly,
// at most every 100 ms on a terminal and every 15 s in a log file.
import cliProgress from "cli-progress";

export interface Progress {
  start(total: number, value: number, payload?: Record<string, unknown>): void;
  tick(value: number, payload?: Record<string, unknown>): void;
  setTotal(total: number): void;
  stop(): void;
}

export function progressBar(format: string): Progress {
  const tty = Boolean(process.stderr.isTTY);
  const bar = new cliProgress.SingleBar({ format, noTTYOutput: true, notTTYSchedule: 15000, hideCursor: true, etaBuffer: 50, stream: process.stderr }, cliProgress.Presets.shades_classic);
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
