// SVG building blocks for figures: escaped text with subscripts ("p_t(x|z)", "α_{t+1}"), measured
// with the shipped font so layouts fit their labels, and the document wrapper.
import { FONT_FAMILY, measureText, type Weight } from "./typeface.js";

export function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

const SUB = 0.72; // subscript size relative to the text

/** A label split into runs: "p_t(x|z)" → p, t (subscript), (x|z). `_{…}` subscripts several characters. */
export function runs(label: string): { text: string; sub: boolean }[] {
  const out: { text: string; sub: boolean }[] = [];
  const re = /_\{([^}]*)\}|_(.)/gu;
  let last = 0;
  for (const m of label.matchAll(re)) {
    if (m.index > last) out.push({ text: label.slice(last, m.index), sub: false });
    out.push({ text: m[1] ?? m[2]!, sub: true });
    last = m.index + m[0].length;
  }
  if (last < label.length) out.push({ text: label.slice(last), sub: false });
  return out;
}

/** The characters a label draws (markup removed): what a reader sees. */
export function plain(label: string): string {
  return runs(label).map((r) => r.text).join("");
}

/** Width in px of a label at `size`. */
export function labelWidth(label: string, size: number, weight: Weight = "normal"): number {
  return runs(label).reduce((a, r) => a + measureText(r.text, r.sub ? size * SUB : size, weight), 0);
}

export interface TextOpts {
  size: number;
  anchor?: "start" | "middle" | "end";
  weight?: Weight;
  fill?: string;
}

/** A <text> element whose baseline sits at y; subscripts become lowered, smaller tspans. */
export function text(x: number, y: number, label: string, o: TextOpts): string {
  const body = runs(label)
    .map((r) => (r.sub ? `<tspan baseline-shift="sub" font-size="${(o.size * SUB).toFixed(1)}">${esc(r.text)}</tspan>` : esc(r.text)))
    .join("");
  const attrs = [`x="${x}"`, `y="${y}"`, `font-size="${o.size}"`];
  if (o.anchor && o.anchor !== "start") attrs.push(`text-anchor="${o.anchor}"`);
  if (o.weight === "bold") attrs.push(`font-weight="bold"`);
  if (o.fill) attrs.push(`fill="${o.fill}"`);
  return `<text ${attrs.join(" ")}>${body}</text>`;
}

/** A complete SVG document on a white background, in the shipped font. */
export function document(width: number, height: number, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT_FAMILY}, sans-serif" fill="#111">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    ...body,
    `</svg>`,
  ].join("\n");
}

/** Every label drawn in an SVG (tspans joined): for tests and checks. */
export function textsOf(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([\s\S]*?)<\/text>/g)].map((m) =>
    m[1]!.replace(/<[^>]+>/g, "").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&amp;/g, "&"),
  );
}
