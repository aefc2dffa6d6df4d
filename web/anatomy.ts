// The model's anatomy as data: the U-Net's blocks with the loaded model's shapes, where each sits in the
// drawn diagram (a U: encoders down the left, the midcoder at the bottom, decoders up the right), the
// arrows between them, and the equation terms each block stands for.
import type { ModelInfo } from "./protocol.js";

/** A term of the equations beside the diagram. */
export type Term = "x" | "t" | "y" | "gamma" | "e" | "u" | "null" | "w";

/** One block of the diagram, in data-flow order (the Tab order). */
export interface Block {
  id: string;
  /** Shown in the box; `_{…}` marks a subscript. */
  name: string;
  shape: string;
  terms: Term[];
  kind: "input" | "embed" | "enc" | "mid" | "dec" | "out" | "mix";
  /** What an expanded block says. */
  note: string;
  /** Box in diagram units. */
  x: number;
  y: number;
  w: number;
  h: number;
}

/** A line of the diagram: a data arrow, a skip connection or the embeddings' bus. */
export interface Wire {
  points: [number, number][];
  kind: "data" | "skip" | "bus";
  /** A short label beside it, if any (`_{…}` marks a subscript). */
  label?: { text: string; x: number; y: number; anchor: "start" | "middle" | "end" };
}

export interface Diagram {
  blocks: Block[];
  wires: Wire[];
  width: number;
  height: number;
}

/** The drawing's fixed sizes, in diagram units (the SVG scales them to the card). */
const G = { width: 520, pad: 6, topW: 120, uW: 200, h: 44, rowA: 6, rowB: 74, bus: 134, u0: 154, rowStep: 56, indent: 14 } as const;

/** The diagram of a model: blocks with its shapes, placed in a U, and the wires between them. */
export function anatomyDiagram(model: ModelInfo): Diagram {
  const ch = model.channels, L = ch.length, n = model.residualLayers, S = model.imageSize, C = model.imageChannels;
  const side = (i: number) => S >> i;
  const shape = (i: number) => `[${ch[i]}, ${side(i)}, ${side(i)}]`;
  const res = n ? `${n} residual block${n > 1 ? "s" : ""} (two 3×3 convolutions each, adding γ(t) and e_y after the first)` : "no residual blocks";
  const top = (col: number) => G.pad + col * (G.topW + (G.width - 2 * G.pad - 4 * G.topW) / 3);
  const rowY = (i: number) => G.u0 + i * G.rowStep;
  const encX = (i: number) => G.pad + i * G.indent;
  const decX = (i: number) => G.width - G.pad - G.uW - i * G.indent;
  const box = (x: number, y: number, w: number = G.topW) => ({ x, y, w, h: G.h });
  const blocks: Block[] = [
    { id: "in-x", name: "x_{t}", shape: `[${C}, ${S}, ${S}]`, terms: ["x"], kind: "input", note: "the image at time t: noise at t = 0, a sample at t = 1", ...box(top(0), G.rowA) },
    { id: "in-t", name: "t", shape: "[1]", terms: ["t"], kind: "input", note: "the time, 0 = noise, 1 = data", ...box(top(1), G.rowA) },
    { id: "in-y", name: "y or ∅", shape: "[1]", terms: ["y", "null"], kind: "input", note: `the label (0–${model.numClasses - 1}), or ∅ (label ${model.numClasses}) for the unconditional pass`, ...box(top(2), G.rowA) },
    { id: "emb-t", name: "Fourier γ(t)", shape: `[${model.tEmbedDim}]`, terms: ["t", "gamma"], kind: "embed", note: `sin and cos of 2π t at ${model.tEmbedDim / 2} learned frequencies, times √2`, ...box(top(1), G.rowB) },
    { id: "emb-y", name: "label e_{y}", shape: `[${model.yEmbedDim}]`, terms: ["y", "null", "e"], kind: "embed", note: `a learned vector per label, ∅ included (${model.numClasses + 1} rows)`, ...box(top(2), G.rowB) },
    { id: "init", name: "first conv", shape: shape(0), terms: ["x", "u"], kind: "enc", note: `3×3 convolution from ${C} to ${ch[0]} channels, batch norm, SiLU`, ...box(top(0), G.rowB) },
  ];
  for (let i = 0; i < L - 1; i++) {
    blocks.push({ id: `enc-${i}`, name: `encoder ${i + 1}`, shape: `${shape(i)} → ${shape(i + 1)}`, terms: ["u", "gamma", "e"], kind: "enc", note: `${res}, then a stride-2 convolution halves the side`, ...box(encX(i), rowY(i), G.uW) });
  }
  blocks.push({ id: "mid", name: "midcoder", shape: shape(L - 1), terms: ["u", "gamma", "e"], kind: "mid", note: `the smallest image: ${res}`, ...box((G.width - G.uW) / 2, rowY(L - 1), G.uW) });
  for (let i = L - 2; i >= 0; i--) {
    blocks.push({ id: `dec-${i}`, name: `decoder ${L - 1 - i}`, shape: `${shape(i + 1)} → ${shape(i)}`, terms: ["u", "gamma", "e"], kind: "dec", note: `adds encoder ${i + 1}'s output (the skip), doubles the side (bilinear) and convolves; ${res}`, ...box(decX(i), rowY(i), G.uW) });
  }
  blocks.push({ id: "out", name: "u_{θ}(x_{t}, t, y)", shape: `[${C}, ${S}, ${S}]`, terms: ["u"], kind: "out", note: `a last 3×3 convolution to ${C} channel${C > 1 ? "s" : ""}: the velocity, one value per pixel`, ...box(top(3), G.rowB) });
  blocks.push({ id: "mix", name: "guided ũ", shape: `[${C}, ${S}, ${S}]`, terms: ["u", "null", "w"], kind: "mix", note: "the network runs twice, for y and for ∅ (one batch of two); guidance mixes the two velocities", ...box(top(3), G.rowA) });

  const by = (id: string): Block => blocks.find((b) => b.id === id)!;
  const cx = (b: Block) => b.x + b.w / 2, bottom = (b: Block) => b.y + b.h, midY = (b: Block) => b.y + b.h / 2;
  const down = (a: Block, b: Block): Wire => ({ points: [[cx(a), bottom(a)], [cx(a), b.y]], kind: "data" });
  const wires: Wire[] = [down(by("in-x"), by("init")), down(by("in-t"), by("emb-t")), down(by("in-y"), by("emb-y"))];
  const mid = by("mid");
  // down the left: the first conv into encoder 1, each encoder into the next, the last into the midcoder
  const left = [by("init"), ...Array.from({ length: L - 1 }, (_, i) => by(`enc-${i}`))];
  for (let i = 0; i + 1 < left.length; i++) wires.push({ points: [[cx(left[i]!), bottom(left[i]!)], [cx(left[i]!), left[i + 1]!.y]], kind: "data" });
  const lastEnc = left[left.length - 1]!;
  wires.push({ points: [[cx(lastEnc), bottom(lastEnc)], [cx(lastEnc), midY(mid)], [mid.x, midY(mid)]], kind: "data" });
  // up the right: the midcoder into the deepest decoder, each decoder into the next, the last into the output
  const right = [...Array.from({ length: L - 1 }, (_, i) => by(`dec-${L - 2 - i}`)), by("out")];
  const firstDec = right[0]!;
  wires.push({ points: [[mid.x + mid.w, midY(mid)], [cx(firstDec), midY(mid)], [cx(firstDec), bottom(firstDec)]], kind: "data" });
  for (let i = 0; i + 1 < right.length; i++) wires.push({ points: [[cx(right[i]!), right[i]!.y], [cx(right[i]!), bottom(right[i + 1]!)]], kind: "data" });
  const out = by("out"), mix = by("mix");
  wires.push({ points: [[cx(out), out.y], [cx(out), bottom(mix)]], kind: "data", label: { text: "for y and ∅", x: cx(out) - 6, y: out.y - 8, anchor: "end" } });
  // skips: each encoder's output is added to the decoder at the same depth
  for (let i = 0; i < L - 1; i++) {
    const e = by(`enc-${i}`), d = by(`dec-${i}`);
    wires.push({ points: [[e.x + e.w, midY(e) + 8], [d.x, midY(d) + 8]], kind: "skip", label: { text: "skip +", x: e.x + e.w + 4, y: midY(e) + 4, anchor: "start" } });
  }
  // the embeddings' bus: γ(t) and e_y reach every residual block
  const g = by("emb-t"), e = by("emb-y"), busX = (cx(g) + cx(e)) / 2;
  wires.push({ points: [[cx(g), bottom(g)], [cx(g), G.bus], [cx(e), G.bus], [cx(e), bottom(e)]], kind: "bus" });
  wires.push({ points: [[busX, G.bus], [busX, mid.y]], kind: "bus", label: { text: "γ(t), e_{y} → every residual block", x: busX - 6, y: G.bus + 13, anchor: "end" } });
  return { blocks, wires, width: G.width, height: rowY(L - 1) + G.h + G.pad };
}

/** A name with `_{…}` subscripts as text runs for the SVG. */
export function nameRuns(name: string): { text: string; sub: boolean }[] {
  const runs: { text: string; sub: boolean }[] = [];
  const re = /_\{([^}]*)\}/g;
  let at = 0;
  for (let m = re.exec(name); m; m = re.exec(name)) {
    if (m.index > at) runs.push({ text: name.slice(at, m.index), sub: false });
    runs.push({ text: m[1]!, sub: true });
    at = m.index + m[0].length;
  }
  if (at < name.length) runs.push({ text: name.slice(at), sub: false });
  return runs;
}
