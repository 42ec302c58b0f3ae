// Found by the 10,000-program fuzz campaign (seed 1000, case 3865): an f32
// rounding difference at the edge of the tolerance (the f64 version agrees to
// 1e-7 of the output scale). Kept as a regression of the tolerance rule.
// RUN: hetu-run %s --verify | FileCheck %s
// CHECK: verify: OK
module attributes {hetu.default_ctx = #hetu.group<"gpu:7,gpu:0">} {
  func.func @fuzz(%x: tensor<16x16xf32>, %w1: tensor<16x32xf32> {hetu.trainable}, %w2: tensor<32x8xf32> {hetu.trainable}) -> tensor<16x8xf32> {
    %zero = arith.constant 0.0 : f32
    %v1 = hetu.dispatch %x to #hetu.states<[1, 4], order = [1, 0]> on #hetu.group<"(gpu:5,gpu:3,gpu:2,gpu:4),(gpu:0,gpu:6,gpu:1,gpu:7)"> : tensor<16x16xf32>
    %v2 = tensor.empty() : tensor<16xf32>
    %v3 = linalg.fill {hetu.ctx = #hetu.group<"(gpu:5,gpu:3,gpu:2,gpu:4),(gpu:0,gpu:6,gpu:1,gpu:7)">} ins(%zero : f32) outs(%v2 : tensor<16xf32>) -> tensor<16xf32>
    %v4 = linalg.reduce ins(%v1 : tensor<16x16xf32>) outs(%v3 : tensor<16xf32>) dimensions = [0] {hetu.ctx = #hetu.group<"(gpu:5,gpu:3,gpu:2,gpu:4),(gpu:0,gpu:6,gpu:1,gpu:7)">}
      (%in: f32, %acc: f32) {
        %s = arith.addf %in, %acc : f32
        linalg.yield %s : f32
      }
    %v5 = tensor.empty() : tensor<16x16xf32>
    %v6 = linalg.broadcast {hetu.ctx = #hetu.group<"(gpu:5,gpu:3,gpu:2,gpu:4),(gpu:0,gpu:6,gpu:1,gpu:7)">} ins(%v4 : tensor<16xf32>) outs(%v5 : tensor<16x16xf32>) dimensions = [0]
    %v7 = hetu.dispatch %v6 to #hetu.states<[1, 2]> on #hetu.group<"(gpu:2,gpu:0),(gpu:5,gpu:1)"> : tensor<16x16xf32>
    %v8 = tensor.empty() : tensor<16x32xf32>
    %v9 = linalg.fill {hetu.ctx = #hetu.group<"(gpu:2,gpu:0),(gpu:5,gpu:1)">} ins(%zero : f32) outs(%v8 : tensor<16x32xf32>) -> tensor<16x32xf32>
    %v10 = linalg.matmul {hetu.ctx = #hetu.group<"(gpu:2,gpu:0),(gpu:5,gpu:1)">} ins(%v7, %w1 : tensor<16x16xf32>, tensor<16x32xf32>) outs(%v9 : tensor<16x32xf32>) -> tensor<16x32xf32>
    %v11 = hetu.dispatch %v10 to #hetu.states<[1, 1], partial = 4, order = [0, 1, -2]> on #hetu.group<"(gpu:1,gpu:5,gpu:4,gpu:7),(gpu:6,gpu:3,gpu:0,gpu:2)"> : tensor<16x32xf32>
    %v12 = hetu.dispatch %w2 to #hetu.states<[2, 2], order = [0, 1]> on #hetu.group<"(gpu:1,gpu:5,gpu:4,gpu:7),(gpu:6,gpu:3,gpu:0,gpu:2)"> : tensor<32x8xf32>
    %v13 = tensor.empty() : tensor<16x8xf32>
    %v14 = linalg.fill {hetu.ctx = #hetu.group<"(gpu:1,gpu:5,gpu:4,gpu:7),(gpu:6,gpu:3,gpu:0,gpu:2)">} ins(%zero : f32) outs(%v13 : tensor<16x8xf32>) -> tensor<16x8xf32>
    %v15 = linalg.matmul {hetu.ctx = #hetu.group<"(gpu:1,gpu:5,gpu:4,gpu:7),(gpu:6,gpu:3,gpu:0,gpu:2)">} ins(%v11, %v12 : tensor<16x32xf32>, tensor<32x8xf32>) outs(%v14 : tensor<16x8xf32>) -> tensor<16x8xf32>
    %v16 = hetu.dispatch %v15 to #hetu.states<[1, 1]> on #hetu.group<"gpu:2,gpu:3"> : tensor<16x8xf32>
    %v17 = tensor.empty() : tensor<16xf32>
    %v18 = linalg.fill {hetu.ctx = #hetu.group<"gpu:2,gpu:3">} ins(%zero : f32) outs(%v17 : tensor<16xf32>) -> tensor<16xf32>
    %v19 = linalg.reduce ins(%v16 : tensor<16x8xf32>) outs(%v18 : tensor<16xf32>) dimensions = [1] {hetu.ctx = #hetu.group<"gpu:2,gpu:3">}
      (%in: f32, %acc: f32) {
        %s = arith.addf %in, %acc : f32
        linalg.yield %s : f32
      }
    %v20 = tensor.empty() : tensor<16x8xf32>
    %v21 = linalg.broadcast {hetu.ctx = #hetu.group<"gpu:2,gpu:3">} ins(%v19 : tensor<16xf32>) outs(%v20 : tensor<16x8xf32>) dimensions = [1]
    return %v21 : tensor<16x8xf32>
  }
}
