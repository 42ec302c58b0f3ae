// RUN: hetu-opt %s --pass-pipeline='builtin.module(func.func(hetu-approximate-math{ops=exp,gamma}))' -verify-diagnostics

// A function upstream has no approximation for is refused, by name.
// expected-error @below {{hetu-approximate-math: no approximation of 'math.gamma' (known: atan, atan2, cbrt, cos, erf, erfc, exp, expm1, log, log1p, log2, sin, tanh)}}
func.func @f(%x: f32) -> f32 {
  %a = math.exp %x : f32
  return %a : f32
}
