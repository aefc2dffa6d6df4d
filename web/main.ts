// The page: controls, drawing, and messages to the engine worker (which does all the compute).
import { panels, type Canvas } from "../src/viz/grid.js";
import type { FromWorker, ToWorker } from "./protocol.js";
import type { OdeSolverName } from "../src/solvers/steppers.js";

const $ = <E extends HTMLElement>(id: string) => document.getElementById(id) as E;
const status = $("status"), errorBox = $("error"), timing = $("timing");
const gen = $<HTMLButtonElement>("generate"), progress = $<HTMLProgressElement>("progress");
const wInput = $<HTMLInputElement>("w"), wValue = $<HTMLOutputElement>("w-value");
const pathT = $<HTMLInputElement>("path-t"), pathTValue = $<HTMLOutputElement>("path-t-value"), pathDigit = $<HTMLInputElement>("path-digit");
const LABELS = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "∅"];

function showError(msg: string): void {
  errorBox.textContent = msg;
  errorBox.hidden = false;
  status.textContent = "Stopped.";
  gen.disabled = true;
}

const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);

for (const [i, l] of LABELS.entries()) {
  const id = `digit-${i}`;
  const box = Object.assign(document.createElement("input"), { type: "checkbox", id, value: String(i), checked: i < 10 });
  const label = Object.assign(document.createElement("label"), { htmlFor: id, textContent: l === "∅" ? "∅ (none)" : l });
  label.prepend(box);
  $("digits").append(label);
}

function draw(canvasId: string, c: Canvas): void {
  const el = $<HTMLCanvasElement>(canvasId);
  el.width = c.width;
  el.height = c.height;
  const ctx = el.getContext("2d")!;
  const img = ctx.createImageData(c.width, c.height);
  for (let i = 0; i < c.px.length; i++) {
    const v = c.px[i]!;
    img.data[i * 4] = v;
    img.data[i * 4 + 1] = v;
    img.data[i * 4 + 2] = v;
    img.data[i * 4 + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
}

let worker: Worker | null = null;
let current = 0;
let request: { classes: number[]; perClass: number } = { classes: [], perClass: 1 };
const send = (m: ToWorker) => worker?.postMessage(m);

function requestPath(): void {
  pathTValue.textContent = pathT.value;
  send({ type: "path", digit: Number(pathDigit.value) || 0, t: Number(pathT.value), seed: 1 });
}

function start(): void {
  if (typeof WebAssembly !== "object" || !WebAssembly.validate(SIMD_PROBE)) {
    showError("This browser does not support WebAssembly SIMD, which flowlab's engine needs. Try a current Chrome, Edge, Firefox or Safari.");
    return;
  }
  if (!self.crossOriginIsolated) status.textContent = "Not cross-origin isolated: the engine needs SharedArrayBuffer (serve with COOP/COEP headers).";
  worker = new Worker(new URL("./engine-worker.ts", import.meta.url), { type: "module" });
  worker.onerror = (e) => showError(`The engine failed: ${e.message || "worker error"}`);
  worker.onmessage = (e: MessageEvent<FromWorker>) => {
    const m = e.data;
    if (m.type === "error") return showError(m.message);
    if (m.type === "ready") {
      status.textContent = `Ready: ${m.model}, ${m.threads} engine thread(s), ${m.kernels === "relaxed" ? "relaxed-SIMD (FMA)" : "SIMD128"} kernels${m.isolated ? "" : " (not isolated)"}.`;
      gen.disabled = false;
      requestPath();
      return;
    }
    if (m.type === "path") {
      draw("path", panels([{ title: `z (a ${m.label})   x at t = ${m.t.toFixed(2)}`, images: concat(m.z, m.x), rows: 1, cols: 2 }], 32, 4, 8));
      return;
    }
    if (m.id !== current) return;
    if (m.type === "step") {
      progress.max = m.total;
      progress.value = m.i;
      timing.textContent = `step ${m.i}/${m.total}, t = ${m.t.toFixed(2)}: ${m.ms.toFixed(0)} ms per step`;
      const n = request.perClass;
      draw("traj", panels([
        { title: "x(t)", images: m.x.subarray(0, 1024 * Math.min(4, n * request.classes.length)), rows: 1, cols: Math.min(4, n * request.classes.length) },
        { title: "x(1)?", images: m.xhat.subarray(0, 1024 * Math.min(4, n * request.classes.length)), rows: 1, cols: Math.min(4, n * request.classes.length) },
      ], 32, 2));
      draw("grid", panels([{ title: `t = ${m.t.toFixed(2)}`, images: m.x, rows: request.classes.length, cols: n, rowLabels: request.classes.map((c) => LABELS[c]!) }], 32, 2));
    } else if (m.type === "done") {
      const w = Number(wInput.value);
      draw("grid", panels([{ title: `w = ${w}`, images: m.images, rows: request.classes.length, cols: request.perClass, rowLabels: request.classes.map((c) => LABELS[c]!) }], 32, 2));
      timing.textContent = `${m.nfe} network evaluations in ${(m.ms / 1000).toFixed(1)} s (${(m.ms / Math.max(1, Number($<HTMLInputElement>("steps").value))).toFixed(0)} ms per step)`;
      status.textContent = "Done.";
      gen.disabled = false;
      $("grid").dataset["done"] = "1";
    }
  };
  send({ type: "init" });
}

function concat(a: Float32Array, b: Float32Array): Float32Array {
  const o = new Float32Array(a.length + b.length);
  o.set(a);
  o.set(b, a.length);
  return o;
}

wInput.addEventListener("input", () => (wValue.textContent = wInput.value));
for (const b of document.querySelectorAll<HTMLButtonElement>("button[data-w]")) {
  b.addEventListener("click", () => {
    wInput.value = b.dataset["w"]!;
    wValue.textContent = wInput.value;
  });
}
pathT.addEventListener("input", requestPath);
pathDigit.addEventListener("change", requestPath);
$<HTMLFormElement>("controls").addEventListener("submit", (e) => {
  e.preventDefault();
  const classes = [...document.querySelectorAll<HTMLInputElement>("#digits input:checked")].map((b) => Number(b.value));
  if (!classes.length) return showError("Choose at least one digit.");
  errorBox.hidden = true;
  request = { classes, perClass: Math.max(1, Math.min(16, Number($<HTMLInputElement>("per-class").value) || 1)) };
  current++;
  gen.disabled = true;
  $("grid").dataset["done"] = "0";
  status.textContent = "Generating…";
  send({
    type: "generate", id: current, classes, perClass: request.perClass, w: Number(wInput.value),
    steps: Math.max(1, Math.min(200, Number($<HTMLInputElement>("steps").value) || 5)),
    solver: $<HTMLSelectElement>("solver").value as OdeSolverName, seed: Number($<HTMLInputElement>("seed").value) || 0,
  });
});

start();
