// a·b + c on f32x4: one relaxed-SIMD fused multiply-add in the relaxed build (kernels-relaxed.wasm),
// a multiply then an add in the baseline SIMD128 build. Chosen at compile time.

// @ts-ignore: decorator
@inline
export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}
