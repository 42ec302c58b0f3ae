module attributes {hetu.default_ctx = #hetu.group<"gpu:0,gpu:4">} {
  func.func @train(%x: tensor<8x16xf32>, %t: tensor<8x4xf32>, %w1: tensor<16x32xf32> {hetu.trainable}, %w2: tensor<32x4xf32> {hetu.trainable}) -> tensor<f32> attributes {hetu.autodiff = {optimizer = "sgd", lr = 0.1}, hetu.micro_batches = 4, hetu.schedule = #hetu.schedule<"1f1b">} {
    %zero = arith.constant 0.0 : f32
    %e1 = tensor.empty() : tensor<8x32xf32>
    %z2 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<8x32xf32>) -> tensor<8x32xf32>
    %mm3 = linalg.matmul ins(%x, %w1 : tensor<8x16xf32>, tensor<16x32xf32>) outs(%z2 : tensor<8x32xf32>) -> tensor<8x32xf32>
    %e4 = tensor.empty() : tensor<8x32xf32>
    %z5 = linalg.fill ins(%zero : f32) outs(%e4 : tensor<8x32xf32>) -> tensor<8x32xf32>
    %e6 = tensor.empty() : tensor<8x32xf32>
    %act7 = linalg.max ins(%mm3, %z5 : tensor<8x32xf32>, tensor<8x32xf32>) outs(%e6 : tensor<8x32xf32>) -> tensor<8x32xf32>
    %d8 = hetu.dispatch %act7 to #hetu.states<[1, 2]> on #hetu.group<"(gpu:1,gpu:2),(gpu:5,gpu:6)"> : tensor<8x32xf32>
    %d9 = hetu.dispatch %w2 to #hetu.states<[2, 1]> on #hetu.group<"(gpu:1,gpu:2),(gpu:5,gpu:6)"> : tensor<32x4xf32>
    %e10 = tensor.empty() : tensor<8x4xf32>
    %z11 = linalg.fill {hetu.ctx = #hetu.group<"(gpu:1,gpu:2),(gpu:5,gpu:6)">} ins(%zero : f32) outs(%e10 : tensor<8x4xf32>) -> tensor<8x4xf32>
    %mm12 = linalg.matmul {hetu.ctx = #hetu.group<"(gpu:1,gpu:2),(gpu:5,gpu:6)">} ins(%d8, %d9 : tensor<8x32xf32>, tensor<32x4xf32>) outs(%z11 : tensor<8x4xf32>) -> tensor<8x4xf32>
    %d13 = hetu.dispatch %mm12 to #hetu.states<[1, 1]> on #hetu.group<"gpu:3,gpu:7"> : tensor<8x4xf32>
    %diff14 = arith.subf %d13, %t {hetu.ctx = #hetu.group<"gpu:3,gpu:7">} : tensor<8x4xf32>
    %sq15 = arith.mulf %diff14, %diff14 {hetu.ctx = #hetu.group<"gpu:3,gpu:7">} : tensor<8x4xf32>
    %e16 = tensor.empty() : tensor<f32>
    %z17 = linalg.fill {hetu.ctx = #hetu.group<"gpu:3,gpu:7">} ins(%zero : f32) outs(%e16 : tensor<f32>) -> tensor<f32>
    %sum18 = linalg.reduce ins(%sq15 : tensor<8x4xf32>) outs(%z17 : tensor<f32>) dimensions = [0, 1] {hetu.ctx = #hetu.group<"gpu:3,gpu:7">}
      (%in: f32, %acc: f32) {
        %add = arith.addf %in, %acc : f32
        linalg.yield %add : f32
      }
    %scale19 = arith.constant dense<0.03125> : tensor<f32>
    %loss20 = arith.mulf %sum18, %scale19 {hetu.ctx = #hetu.group<"gpu:3,gpu:7">} : tensor<f32>
    return %loss20 : tensor<f32>
  }
}
