// RUN: hetu-opt %s -split-input-file -convert-hetu-to-runtime -verify-diagnostics

module attributes {hetu.rank_map = [#hetu.device<"gpu:0">]} {
  func.func @f(%m: memref<4xf32>) {
    // expected-error @+1 {{device gpu:7 is not in the module's hetu.rank_map}}
    hetu.send %m to #hetu.device<"gpu:7"> : memref<4xf32>
    return
  }
}

// -----

module attributes {hetu.rank_map = [#hetu.device<"gpu:0">, #hetu.device<"gpu:1">]} {
  func.func @f(%m: memref<4xf16>) {
    // expected-error @+1 {{the runtime does not transfer 'f16' elements (f32, f64, i32 and i64 only)}}
    hetu.send %m to #hetu.device<"gpu:1"> : memref<4xf16>
    return
  }
}

// -----

module attributes {hetu.rank_map = [#hetu.device<"gpu:0">, #hetu.device<"gpu:1">]} {
  func.func @f(%t: tensor<4xf32>) {
    // expected-error @+1 {{convert-hetu-to-runtime expects memrefs: bufferize first}}
    hetu.send %t to #hetu.device<"gpu:1"> : tensor<4xf32>
    return
  }
}

// -----

module attributes {hetu.rank_map = [#hetu.device<"gpu:0">]} {
  func.func @f(%t: tensor<4xf32>) -> tensor<4xf32> {
    // expected-error @+1 {{is left: run hetu-partition before lowering}}
    %d = hetu.dispatch %t to #hetu.states<[1]> : tensor<4xf32>
    return %d : tensor<4xf32>
  }
}

// -----

module attributes {hetu.rank_map = [#hetu.device<"gpu:0">, #hetu.device<"cpu:0">]} {
  func.func @f(%g: tensor<4xf32>) -> tensor<4xf32> {
    // expected-error @+1 {{is left: run hetu-partition before lowering}}
    %s = hetu.ps_push <mean> %g key "w" to #hetu.device<"cpu:0"> : tensor<4xf32>
    return %s : tensor<4xf32>
  }
}
