// RUN: hetu-opt %s -hetu-decompose-aggregates | FileCheck %s

// linalg.softmax becomes its structured ops, each placed where the softmax
// was; the payloads of the new ops carry no placement.
// CHECK-LABEL: func.func @softmax
// CHECK-NOT: linalg.softmax
// CHECK: linalg.fill {hetu.ctx = #hetu.group<"gpu:1">}
// CHECK: linalg.generic {{.*}} attrs = {hetu.ctx = #hetu.group<"gpu:1">}
// CHECK-NEXT: ^bb0
// CHECK-NEXT: arith.maxnumf %{{[a-z_0-9]+}}, %{{[a-z_0-9]+}} : f32
// CHECK-NEXT: linalg.yield %{{[a-z_0-9]+}} : f32
// CHECK: math.exp %{{[a-z_0-9]+}} : f32
// CHECK: arith.divf %{{[a-z_0-9]+}}, %{{[a-z_0-9]+}} : f32
// CHECK: return
module attributes {hetu.default_ctx = #hetu.group<"gpu:0">} {
  func.func @softmax(%x: tensor<2x5xf32>) -> tensor<2x5xf32> {
    %e = tensor.empty() : tensor<2x5xf32>
    %p = linalg.softmax {hetu.ctx = #hetu.group<"gpu:1">} dimension(1) ins(%x : tensor<2x5xf32>) outs(%e : tensor<2x5xf32>) -> tensor<2x5xf32>
    return %p : tensor<2x5xf32>
  }
}
