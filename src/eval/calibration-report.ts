// The calibration report as markdown: every view's figure per degradation with its interval and
// verdict against clean, then per degradation the views that must see it and whether they do.
import { VIEW_METRICS, NOISE_Z, type ViewMetric } from "./view-metrics.js";
import { formatEstimate } from "./estimate.js";
import { MUST_SEE, CONTROL, type Calibration } from "./calibrate.js";
import type { Views } from "./views.js";

function cell(m: ViewMetric, v: Views): string {
  const e = m.get(v);
  return e && Number.isFinite(e.value) ? formatEstimate(e, m.digits, m.scale) : "—";
}

const MARK = { worse: " ▼", better: " ▲", "within noise": "", "n/a": "" } as const;

/** The report page (markdown). */
export function calibrationMarkdown(c: Calibration, command: string): string {
  const o = c.options;
  const head = `| set | ${VIEW_METRICS.map((m) => m.label).join(" | ")} |\n|---|${"---|".repeat(VIEW_METRICS.length)}`;
  const clean = `| **clean** (held out) | ${VIEW_METRICS.map((m) => cell(m, c.clean)).join(" | ")} |`;
  const rows = c.rows.map((r) => {
    if (r.notApplicable) return `| ${r.name} | ${VIEW_METRICS.map(() => "n/a").join(" | ")} |`;
    const cells = VIEW_METRICS.map((m, i) => {
      const v = r.verdicts[i]!;
      const text = `${cell(m, r.views)}${MARK[v.comparison]}`;
      return v.mustSee ? `**${text}**` : text;
    });
    return `| ${r.name} | ${cells.join(" | ")} |`;
  });
  const verdictRows = c.rows.map((r) => {
    const sees = r.verdicts.filter((v) => v.comparison === "worse").map((v) => v.metric);
    const better = r.verdicts.filter((v) => v.comparison === "better").map((v) => v.metric);
    const must = r.name === CONTROL ? "none may (false alarm check)" : (MUST_SEE[r.name] ?? []).join(", ");
    if (r.notApplicable) return `| ${r.name} | ${r.description} | ${must} | — | — | not applicable: ${r.notApplicable} |`;
    return `| ${r.name} | ${r.description} | ${must} | ${sees.join(", ") || "none"} | ${better.join(", ") || "—"} | ${r.failures.length ? `**fails**: ${r.failures.join("; ")}` : "pass"} |`;
  });
  const failed = c.rows.filter((r) => r.failures.length).length;
  return `# Calibration: does every view rank known degradations below clean real images?

${failed ? `**${failed} of ${c.rows.length} rows fail** (see the verdicts).` : `All ${c.rows.length} rows pass: every degradation is seen by the views designated for it and by at least one view, and no view calls a second clean set worse.`}

Data: \`${c.data}\` ${c.split ?? "test split"}, shuffled (seed ${o.seed}): ${o.n} held-out images form the clean set, ${o.n} more the control, and ${c.used ? `${c.used.real}` : `up to ${o.real}`} the real images every set is scored against; the memorisation check searches ${c.used ? c.used.train : o.train} training images. Each degradation is applied to the clean set (${o.n} images) and scored on every view against those real images, like samples. Regenerate with \`${command}\`.

A view **sees** a degradation (▼) when it is worse than clean by more than ${NOISE_Z} combined standard errors and by more than the metric's floor; ▲ marks a view that calls the degraded set better beyond noise. Bold cells are the views that must see that degradation. Figures are ± the 95 % half-width (FD: bootstrap over ${o.views.bootstrap ?? 0} resamples; KID: the U-statistic's standard error; fractions: Wilson; diversity: per-class jackknife; background: over images).

${head}
${clean}
${rows.join("\n")}

## Verdicts

| degradation | what it does | must be seen by | seen by | called better by | verdict |
|---|---|---|---|---|---|
${verdictRows.join("\n")}

## The views

- **accuracy**: the judge's argmax equals the label asked for.
- **FD, judge** / **KID, judge**: Fréchet distance and unbiased kernel distance (cubic polynomial kernel) on the judge's 128-d penultimate features.
- **FD, texture** / **KID, texture**: the same on a second, independent feature space: a fixed random conv network (seeded, never trained; zero-mean first-layer filters), per channel the log energy and the mean log magnitude of three layers. It sees grain and blur that the judge, trained to ignore them, does not.
- **background level**: on grey data with black backgrounds (MNIST), RMS of the pixel level above black, (x + 1)/2, over background pixels (no stroke core within 2 px); on other data (colour, light backgrounds), RMS of (x − the real mean)/2 over the positions whose real values vary by less than 0.1 in every channel, and not applicable when fewer than 2 % of positions do.
- **precision / recall** (Kynkäänniemi et al. 2019) and **density / coverage** (Naeem et al. 2020), k = 5, on judge features: fidelity against variety.
- **diversity**: mean pairwise L2 within a class ÷ the same on real images of that class.
- **memorised**: the fraction of images closer (pixel L2, same class) to a training image than the 5th percentile of held-out real images' nearest-training distances; real unseen images score about 5 %.

Views blind to a degradation are expected (accuracy does not see grain); a claim must hold on every view, so each degradation is caught by some view.
`;
}
