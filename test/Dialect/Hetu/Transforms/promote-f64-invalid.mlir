// RUN: hetu-opt %s --split-input-file --verify-diagnostics --pass-pipeline='builtin.module(func.func(hetu-promote-f64))'

// Reinterpreting the bits of an f32 has no f64 meaning.
func.func @bits(%x: tensor<4xf32>) -> tensor<4xi32> {
  // expected-error @+1 {{hetu-promote-f64: 'arith.bitcast' reinterprets the bits of an f32 value}}
  %b = arith.bitcast %x : tensor<4xf32> to tensor<4xi32>
  return %b : tensor<4xi32>
}

// -----

func.func @resource() -> tensor<2xf32> {
  // expected-error @+1 {{hetu-promote-f64: cannot promote the dense_resource constant 'value'}}
  %c = arith.constant dense_resource<blob> : tensor<2xf32>
  return %c : tensor<2xf32>
}

{-#
  dialect_resources: {
    builtin: {
      blob: "0x040000000000803F00000040"
    }
  }
#-}
