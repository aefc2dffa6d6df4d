// A Node worker thread of the engine's pool: instantiate the kernels on the shared memory, then loop.
import { parentPort, workerData } from "node:worker_threads";
import { instantiateKernels, kernelTable, workerLoop, type WorkerInit } from "./pool.js";

const init = workerData as WorkerInit;
const exports = await instantiateKernels(init.module, init.memory);
workerLoop(kernelTable(exports), init.memory, init.index, () => parentPort?.postMessage("ready"));
