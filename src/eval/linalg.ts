// Small dense float64 linear algebra for the Fréchet distance: mean/covariance and a symmetric
// eigendecomposition (cyclic Jacobi), enough for 128×128 feature covariances.
import { symEigenvalues } from "./eigenvalues.js";

/** Mean and covariance of n d-dimensional rows. */
export function meanCov(x: Float32Array, n: number, d: number): { mean: Float64Array; cov: Float64Array } {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += x[i * d + j]!;
  for (let j = 0; j < d; j++) mean[j]! /= n;
  const cov = new Float64Array(d * d);
  const c = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) c[j] = x[i * d + j]! - mean[j]!;
    for (let a = 0; a < d; a++) {
      const ca = c[a]!;
      if (ca === 0) continue;
      for (let b = a; b < d; b++) cov[a * d + b]! += ca * c[b]!;
    }
  }
  for (let a = 0; a < d; a++) for (let b = a; b < d; b++) {
    const v = cov[a * d + b]! / Math.max(1, n - 1);
    cov[a * d + b] = v;
    cov[b * d + a] = v;
  }
  return { mean, cov };
}

/** Eigenvalues and eigenvectors (columns of V) of a symmetric d×d matrix. */
export function symEig(a: Float64Array, d: number): { values: Float64Array; vectors: Float64Array } {
  const A = Float64Array.from(a);
  const V = new Float64Array(d * d);
  for (let i = 0; i < d; i++) V[i * d + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += A[p * d + q]! ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < d; p++)
      for (let q = p + 1; q < d; q++) {
        const apq = A[p * d + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (A[q * d + q]! - A[p * d + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (let k = 0; k < d; k++) {
          const akp = A[k * d + p]!, akq = A[k * d + q]!;
          A[k * d + p] = c * akp - s * akq;
          A[k * d + q] = s * akp + c * akq;
        }
        for (let k = 0; k < d; k++) {
          const apk = A[p * d + k]!, aqk = A[q * d + k]!;
          A[p * d + k] = c * apk - s * aqk;
          A[q * d + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < d; k++) {
          const vkp = V[k * d + p]!, vkq = V[k * d + q]!;
          V[k * d + p] = c * vkp - s * vkq;
          V[k * d + q] = s * vkp + c * vkq;
        }
      }
  }
  const values = new Float64Array(d);
  for (let i = 0; i < d; i++) values[i] = A[i * d + i]!;
  return { values, vectors: V };
}

function matmul(a: Float64Array, b: Float64Array, d: number): Float64Array {
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let k = 0; k < d; k++) {
    const aik = a[i * d + k]!;
    if (aik === 0) continue;
    for (let j = 0; j < d; j++) out[i * d + j]! += aik * b[k * d + j]!;
  }
  return out;
}

/** Symmetric PSD square root via eigendecomposition (negative eigenvalues clipped to 0). */
export function sqrtPsd(a: Float64Array, d: number): Float64Array {
  const { values, vectors: V } = symEig(a, d);
  const VS = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) VS[i * d + j] = V[i * d + j]! * Math.sqrt(Math.max(0, values[j]!));
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) {
    let s = 0;
    for (let k = 0; k < d; k++) s += VS[i * d + k]! * V[j * d + k]!;
    out[i * d + j] = s;
  }
  return out;
}

/** Fréchet distance between Gaussians: |μ1 − μ2|² + Tr(Σ1 + Σ2 − 2 (Σ1^½ Σ2 Σ1^½)^½). `root1`: Σ1^½ when already known. */
export function frechet(m1: Float64Array, c1: Float64Array, m2: Float64Array, c2: Float64Array, d: number, root1?: Float64Array): number {
  let dm = 0;
  for (let i = 0; i < d; i++) dm += (m1[i]! - m2[i]!) ** 2;
  const s1 = root1 ?? sqrtPsd(c1, d);
  const inner = matmul(matmul(s1, c2, d), s1, d);
  for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) {
    const v = 0.5 * (inner[i * d + j]! + inner[j * d + i]!);
    inner[i * d + j] = v;
    inner[j * d + i] = v;
  }
  const values = symEigenvalues(inner, d);
  let tr = 0;
  for (let i = 0; i < d; i++) tr += c1[i * d + i]! + c2[i * d + i]!;
  let trSqrt = 0;
  for (const v of values) trSqrt += Math.sqrt(Math.max(0, v));
  return Math.max(0, dm + tr - 2 * trSqrt);
}

/**
 * Fréchet distance between a Gaussian (mean m1, covariance c1, its root root1 = c1^½) and the sample
 * Gaussian of n rows x [n, d] (covariance with n − 1, as meanCov). Tr(root1·C2·root1)^½ comes from
 * Y = (x − mean)·root1: the eigenvalues of YᵀY/(n − 1) [d, d], or with fewer rows than dimensions those
 * of the Gram matrix YYᵀ/(n − 1) [n, n], the same nonzero ones at a fraction of the cost (a class of 50
 * samples in 128-d: a 50×50 problem). NaN for fewer than 2 rows.
 */
export function frechetToRows(m1: Float64Array, c1: Float64Array, root1: Float64Array, x: Float32Array, n: number, d: number): number {
  if (n < 2) return NaN;
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += x[i * d + j]!;
  for (let j = 0; j < d; j++) mean[j]! /= n;
  const k = n - 1;
  let dm = 0, tr = 0;
  for (let j = 0; j < d; j++) dm += (m1[j]! - mean[j]!) ** 2;
  for (let j = 0; j < d; j++) tr += c1[j * d + j]!;
  const y = new Float64Array(n * d); // [n, d] = (x − mean)·root1
  const c = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      c[j] = x[i * d + j]! - mean[j]!;
      tr += (c[j]! * c[j]!) / k;
    }
    for (let a = 0; a < d; a++) {
      const ca = c[a]!;
      if (ca === 0) continue;
      for (let b = 0; b < d; b++) y[i * d + b]! += ca * root1[a * d + b]!;
    }
  }
  const m = Math.min(n, d);
  const g = new Float64Array(m * m);
  if (n <= d) {
    for (let i = 0; i < n; i++) for (let j = i; j < n; j++) {
      let s = 0;
      for (let b = 0; b < d; b++) s += y[i * d + b]! * y[j * d + b]!;
      g[i * n + j] = g[j * n + i] = s / k;
    }
  } else {
    for (let i = 0; i < n; i++) for (let a = 0; a < d; a++) {
      const ya = y[i * d + a]!;
      for (let b = a; b < d; b++) g[a * d + b]! += ya * y[i * d + b]!;
    }
    for (let a = 0; a < d; a++) for (let b = a; b < d; b++) g[a * d + b] = g[b * d + a] = g[a * d + b]! / k;
  }
  let trSqrt = 0;
  for (const v of symEigenvalues(g, m)) trSqrt += Math.sqrt(Math.max(0, v));
  return Math.max(0, dm + tr - 2 * trSqrt);
}
