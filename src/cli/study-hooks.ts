// The hooks the CLI gives every study: its log, a progress bar per run, and its checkpoint reader.
import { readCheckpoint } from "./ckpt-io.js";
import { progressBar } from "./progress.js";
import type { StudyHooks } from "../studies/runner.js";

/** The hooks every study gets from the CLI: log lines, progress bars, the checkpoint reader. */
export function cliHooks(log: (s: string) => void): StudyHooks {
  return {
    log,
    readCheckpoint,
    progress: (label, total) => {
      const bar = progressBar(`${label} |{bar}| step {value}/{total}`);
      bar.start(total, 0);
      return bar;
    },
  };
}
