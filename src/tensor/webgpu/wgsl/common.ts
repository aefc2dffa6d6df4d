// WGSL building blocks the kernels share: storage bindings, the params block and the 1-D entry point.

/** A storage binding: `read` (read-only) or `rw`, as array<f32>, array<i32> or array<u32> (bit copies). */
export function buf(binding: number, name: string, mode: "read" | "rw", type: "f32" | "i32" | "u32" = "f32"): string {
  return `@group(0) @binding(${binding}) var<storage, ${mode === "rw" ? "read_write" : "read"}> ${name}: array<${type}>;\n`;
}

/** The params block (see device.ts Params) at `binding`, read with pu(i) and pf(i). */
export function params(binding: number): string {
  return `@group(0) @binding(${binding}) var<uniform> P: array<vec4u, 16>;
fn pu(i: u32) -> u32 { return P[i / 4u][i % 4u]; }
fn pf(i: u32) -> f32 { return bitcast<f32>(pu(i)); }
fn silu(v: f32) -> f32 { return v / (1.0 + exp(-v)); }
`;
}

/**
 * sin and cos to about 1e-7 (WGSL's built-ins only promise 2⁻¹¹ absolute): x reduced by multiples of
 * π/2 in three parts (Cody–Waite), then Cephes' sinf/cosf polynomials on [−π/4, π/4].
 */
export const TRIG = `
fn sinPoly(r: f32) -> f32 { let s = r * r; return ((-1.9515295891e-4 * s + 8.3321608736e-3) * s - 1.6666654611e-1) * s * r + r; }
fn cosPoly(r: f32) -> f32 { let s = r * r; return ((2.443315711809948e-5 * s - 1.388731625493765e-3) * s + 4.166664568298827e-2) * s * s - 0.5 * s + 1.0; }
fn quadrant(x: f32) -> vec2f {
  let k = round(x * 0.63661977236758134);
  let r = ((x - k * 1.5703125) - k * 4.8375129699707031e-4) - k * 7.5497899548918821e-8;
  let q = i32(k) & 3;
  let sr = sinPoly(r); let cr = cosPoly(r);
  if (q == 0) { return vec2f(sr, cr); }
  if (q == 1) { return vec2f(cr, -sr); }
  if (q == 2) { return vec2f(-sr, -cr); }
  return vec2f(-cr, sr);
}
fn sinAcc(x: f32) -> f32 { return quadrant(x).x; }
fn cosAcc(x: f32) -> f32 { return quadrant(x).y; }
`;

/** A 1-D kernel over pu(0) items, 256 a workgroup (groups1d's x × y grid); `body` sees i. */
export function main1d(body: string): string {
  return `@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = gid.x + gid.y * nwg.x * 256u;
  if (i >= pu(0u)) { return; }
${body}
}
`;
}
