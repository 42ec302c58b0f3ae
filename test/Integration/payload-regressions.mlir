// Review findings: a linalg payload that captures an outer scalar (here the
// rematerialised %scale) on a split tuple, and a payload that reads its loop
// index (that loop then stays whole).
// RUN: split-file %s %t
// RUN: hetu-run %t/captured.mlir --verify | FileCheck %s --check-prefix=CAPTURED
// RUN: hetu-run %t/index.mlir --verify | FileCheck %s --check-prefix=INDEX
// CAPTURED: verify: OK (1 outputs x 1 replicas, 32 elements)
// INDEX: verify: OK (1 outputs x 1 replicas, 32 elements)

//--- captured.mlir
#map = affine_map<(d0, d1) -> (d0, d1)>
module attributes {hetu.default_ctx = #hetu.group<"gpu:0">} {
  func.func @f(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
    %scale = arith.constant 3.0 : f32
    %a = hetu.dispatch %x to #hetu.states<[2, 1]> on #hetu.group<"(gpu:1,gpu:2)"> : tensor<4x8xf32>
    %e = tensor.empty() : tensor<4x8xf32>
    %y = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel"]}
        ins(%a : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) attrs = {hetu.ctx = #hetu.group<"(gpu:1,gpu:2)">} {
    ^bb0(%in: f32, %out: f32):
      %m = arith.mulf %in, %scale : f32
      linalg.yield %m : f32
    } -> tensor<4x8xf32>
    %r = hetu.dispatch %y to #hetu.states<[1, 1]> on #hetu.group<"gpu:0"> : tensor<4x8xf32>
    return %r : tensor<4x8xf32>
  }
}

//--- index.mlir
#map = affine_map<(d0, d1) -> (d0, d1)>
module attributes {hetu.default_ctx = #hetu.group<"gpu:0">} {
  func.func @f(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
    %a = hetu.dispatch %x to #hetu.states<[2, 1]> on #hetu.group<"(gpu:1,gpu:2)"> : tensor<4x8xf32>
    %e = tensor.empty() : tensor<4x8xf32>
    // Adds the row index: rows must be numbered globally.
    %y = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel"]}
        ins(%a : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) attrs = {hetu.ctx = #hetu.group<"(gpu:1,gpu:2)">} {
    ^bb0(%in: f32, %out: f32):
      %i = linalg.index 0 : index
      %ii = arith.index_cast %i : index to i32
      %f = arith.sitofp %ii : i32 to f32
      %s = arith.addf %in, %f : f32
      linalg.yield %s : f32
    } -> tensor<4x8xf32>
    %r = hetu.dispatch %y to #hetu.states<[1, 1]> on #hetu.group<"gpu:0"> : tensor<4x8xf32>
    return %r : tensor<4x8xf32>
  }
}
