// The page's handle on its engine worker: starts it with a model, forwards messages, and restarts it
// (which is how a sampling run stops at once: the worker is busy inside the solver loop).
import type { FromWorker, ModelSource, PageBackend, ToWorker } from "./protocol.js";

export class EngineClient {
  private worker: Worker | null = null;

  constructor(
    private readonly base: string,
    private readonly onMessage: (m: FromWorker) => void,
    private readonly onCrash: (message: string) => void,
  ) {}

  /** Starts (or restarts) the worker with the given model and backend; the page keeps its own copy of the bytes. */
  start(model: ModelSource, backend: PageBackend): void {
    this.worker?.terminate();
    const w = new Worker(new URL("./engine-worker.ts", import.meta.url), { type: "module" });
    w.onmessage = (e: MessageEvent<FromWorker>) => this.onMessage(e.data);
    w.onerror = (e) => this.onCrash(`The engine failed: ${e.message || "worker error"}`);
    this.worker = w;
    const copy: ModelSource = model.kind === "url" ? model : { kind: "bytes", name: model.name, bytes: model.bytes.slice(0) };
    this.send({ type: "init", base: this.base, model: copy, backend }, copy.kind === "bytes" ? [copy.bytes] : []);
  }

  send(m: ToWorker, transfer: Transferable[] = []): void {
    this.worker?.postMessage(m, transfer);
  }
}
