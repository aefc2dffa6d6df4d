// Sample sets side by side as one PNG: a panel per set, a row per class, the first few digits of each
// class (e.g. the teacher beside a few-step model at 1, 2 and 4 evaluations, same seeds).
import { gridFigure } from "./image-grid.js";
import { svgToPng } from "./raster.js";

/** One set of samples [N, 1, 32, 32] in [−1, 1] with their labels and a panel title. */
export interface SamplesPanel {
  title: string;
  images: Float32Array;
  labels: Int32Array;
}

/** The figure as PNG bytes: `perClass` digits of each class 0..K−1 found in every set. */
export async function samplesGrid(sets: readonly SamplesPanel[], perClass = 4, title = "Samples side by side"): Promise<Uint8Array> {
  const P = 32 * 32;
  const classes = [...new Set(sets.flatMap((s) => Array.from(s.labels)))].sort((a, b) => a - b);
  const panels = sets.map((s) => {
    const out = new Float32Array(classes.length * perClass * P).fill(-1);
    classes.forEach((k, r) => {
      let c = 0;
      for (let i = 0; i < s.labels.length && c < perClass; i++)
        if (s.labels[i] === k) out.set(s.images.subarray(i * P, (i + 1) * P), (r * perClass + c++) * P);
    });
    return { title: s.title, images: out, rows: classes.length, cols: perClass };
  });
  return svgToPng(gridFigure({ title, subtitle: `the first ${perClass} digits of each class, a panel per set`, panels, rowLabels: classes.map(String), rowHeader: "class" }));
}
