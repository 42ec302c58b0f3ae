// SPEC 7.5 training step (data x model "middle" split x 3 pipeline stages)
// run as 4 micro-batches per step in the 1f1b schedule (hetu.micro_batches,
// hetu.schedule): examples/gen_train.py --config dmp --batch 16
// --micro-batches 4 --schedule 1f1b.
// hetu-run examples/mlp_train_dmp_1f1b.mlir --iterations=3 --verify
module attributes {hetu.default_ctx = #hetu.group<"gpu:0,gpu:4">} {
  func.func @train(%x: tensor<16x16xf32>, %t: tensor<16x4xf32>, %w1: tensor<16x32xf32> {hetu.trainable}, %w2: tensor<32x4xf32> {hetu.trainable}) -> (tensor<16x32xf32> {hetu.updates = 2}, tensor<32x4xf32> {hetu.updates = 3}, tensor<f32>) attributes {hetu.micro_batches = 4, hetu.schedule = #hetu.schedule<"1f1b">} {
    %zero = arith.constant 0.0 : f32
    %e1 = tensor.empty() : tensor<16x32xf32>
    %z2 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<16x32xf32>) -> tensor<16x32xf32>
    %mm3 = linalg.matmul ins(%x, %w1 : tensor<16x16xf32>, tensor<16x32xf32>) outs(%z2 : tensor<16x32xf32>) -> tensor<16x32xf32>
    %e4 = tensor.empty() : tensor<16x32xf32>
    %z5 = linalg.fill ins(%zero : f32) outs(%e4 : tensor<16x32xf32>) -> tensor<16x32xf32>
    %e6 = tensor.empty() : tensor<16x32xf32>
    %act7 = linalg.max ins(%mm3, %z5 : tensor<16x32xf32>, tensor<16x32xf32>) outs(%e6 : tensor<16x32xf32>) -> tensor<16x32xf32>
    %d8 = hetu.dispatch %act7 to #hetu.states<[1, 2]> on #hetu.group<"(gpu:1,gpu:2),(gpu:5,gpu:6)"> : tensor<16x32xf32>
    %d9 = hetu.dispatch %w2 to #hetu.states<[2, 1]> on #hetu.group<"(gpu:1,gpu:2),(gpu:5,gpu:6)"> : tensor<32x4xf32>
    %e10 = tensor.empty() : tensor<16x4xf32>
    %z11 = linalg.fill {hetu.ctx = #hetu.group<"(gpu:1,gpu:2),(gpu:5,gpu:6)">} ins(%zero : f32) outs(%e10 : tensor<16x4xf32>) -> tensor<16x4xf32>
    %mm12 = linalg.matmul {hetu.ctx = #hetu.group<"(gpu:1,gpu:2),(gpu:5,gpu:6)">} ins(%d8, %d9 : tensor<16x32xf32>, tensor<32x4xf32>) outs(%z11 : tensor<16x4xf32>) -> tensor<16x4xf32>
    %d13 = hetu.dispatch %mm12 to #hetu.states<[1, 1]> on #hetu.group<"gpu:3,gpu:7"> : tensor<16x4xf32>
    %diff14 = arith.subf %d13, %t {hetu.ctx = #hetu.group<"gpu:3,gpu:7">} : tensor<16x4xf32>
    %sq15 = arith.mulf %diff14, %diff14 {hetu.ctx = #hetu.group<"gpu:3,gpu:7">} : tensor<16x4xf32>
    %e16 = tensor.empty() : tensor<f32>
    %z17 = linalg.fill {hetu.ctx = #hetu.group<"gpu:3,gpu:7">} ins(%zero : f32) outs(%e16 : tensor<f32>) -> tensor<f32>
    %sum18 = linalg.reduce ins(%sq15 : tensor<16x4xf32>) outs(%z17 : tensor<f32>) dimensions = [0, 1] {hetu.ctx = #hetu.group<"gpu:3,gpu:7">}
      (%in: f32, %acc: f32) {
        %add = arith.addf %in, %acc : f32
        linalg.yield %add : f32
      }
    %scale19 = arith.constant dense<0.015625> : tensor<f32>
    %loss20 = arith.mulf %sum18, %scale19 {hetu.ctx = #hetu.group<"gpu:3,gpu:7">} : tensor<f32>
    %two21 = arith.constant dense<0.03125> : tensor<16x4xf32>
    %dy22 = arith.mulf %diff14, %two21 {hetu.ctx = #hetu.group<"gpu:3,gpu:7">} : tensor<16x4xf32>
    %gd23 = hetu.dispatch_gradient %dy22 like %mm12 : tensor<16x4xf32>
    %e24 = tensor.empty() : tensor<32x16xf32>
    %tr25 = linalg.transpose ins(%d8 : tensor<16x32xf32>) outs(%e24 : tensor<32x16xf32>) permutation = [1, 0] {hetu.ctx = #hetu.group<"(gpu:1,gpu:2),(gpu:5,gpu:6)">}
    %e26 = tensor.empty() : tensor<32x4xf32>
    %z27 = linalg.fill {hetu.ctx = #hetu.group<"(gpu:1,gpu:2),(gpu:5,gpu:6)">} ins(%zero : f32) outs(%e26 : tensor<32x4xf32>) -> tensor<32x4xf32>
    %mm28 = linalg.matmul {hetu.ctx = #hetu.group<"(gpu:1,gpu:2),(gpu:5,gpu:6)">} ins(%tr25, %gd23 : tensor<32x16xf32>, tensor<16x4xf32>) outs(%z27 : tensor<32x4xf32>) -> tensor<32x4xf32>
    %e29 = tensor.empty() : tensor<4x32xf32>
    %tr30 = linalg.transpose ins(%d9 : tensor<32x4xf32>) outs(%e29 : tensor<4x32xf32>) permutation = [1, 0] {hetu.ctx = #hetu.group<"(gpu:1,gpu:2),(gpu:5,gpu:6)">}
    %e31 = tensor.empty() : tensor<16x32xf32>
    %z32 = linalg.fill {hetu.ctx = #hetu.group<"(gpu:1,gpu:2),(gpu:5,gpu:6)">} ins(%zero : f32) outs(%e31 : tensor<16x32xf32>) -> tensor<16x32xf32>
    %mm33 = linalg.matmul {hetu.ctx = #hetu.group<"(gpu:1,gpu:2),(gpu:5,gpu:6)">} ins(%gd23, %tr30 : tensor<16x4xf32>, tensor<4x32xf32>) outs(%z32 : tensor<16x32xf32>) -> tensor<16x32xf32>
    %gd34 = hetu.dispatch_gradient %mm28 like %w2 : tensor<32x4xf32>
    %gd35 = hetu.dispatch_gradient %mm33 like %act7 : tensor<16x32xf32>
    %pos36 = arith.cmpf ogt, %mm3, %z5 : tensor<16x32xf32>
    %dh37 = arith.select %pos36, %gd35, %z5 : tensor<16x32xi1>, tensor<16x32xf32>
    %e38 = tensor.empty() : tensor<16x16xf32>
    %tr39 = linalg.transpose ins(%x : tensor<16x16xf32>) outs(%e38 : tensor<16x16xf32>) permutation = [1, 0]
    %e40 = tensor.empty() : tensor<16x32xf32>
    %z41 = linalg.fill ins(%zero : f32) outs(%e40 : tensor<16x32xf32>) -> tensor<16x32xf32>
    %mm42 = linalg.matmul ins(%tr39, %dh37 : tensor<16x16xf32>, tensor<16x32xf32>) outs(%z41 : tensor<16x32xf32>) -> tensor<16x32xf32>
    %w1next43 = hetu.sgd %w1, %mm42 lr 0.1 : tensor<16x32xf32>
    %w2next44 = hetu.sgd %w2, %gd34 lr 0.1 : tensor<32x4xf32>
    return %w1next43, %w2next44, %loss20 : tensor<16x32xf32>, tensor<32x4xf32>, tensor<f32>
  }
}
