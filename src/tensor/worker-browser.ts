// A browser pool worker: receives {module, memory, index}, instantiates the kernels, then loops.
import { instantiateKernels, kernelTable, workerLoop, type WorkerInit } from "./pool.js";

const scope = self as unknown as { onmessage: ((e: MessageEvent<WorkerInit>) => void) | null; postMessage(m: unknown): void };
scope.onmessage = (e) => {
  const init = e.data;
  scope.onmessage = null;
  void instantiateKernels(init.module, init.memory).then((exports) => {
    workerLoop(kernelTable(exports), init.memory, init.index, () => scope.postMessage("ready"));
  });
};
