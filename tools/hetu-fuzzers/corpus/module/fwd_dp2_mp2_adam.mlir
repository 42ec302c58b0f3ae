module attributes {hetu.default_ctx = #hetu.group<"(gpu:0,gpu:1),(gpu:2,gpu:3)">} {
  func.func @train(%x: tensor<8x16xf32>, %t: tensor<8x4xf32>, %w1: tensor<16x32xf32> {hetu.trainable}, %w2: tensor<32x4xf32> {hetu.trainable}) -> tensor<f32> attributes {hetu.autodiff = {optimizer = "adam", lr = 0.1}} {
    %zero = arith.constant 0.0 : f32
    %xs1 = hetu.dispatch %x to #hetu.states<[2, 1]> : tensor<8x16xf32>
    %e2 = tensor.empty() : tensor<8x32xf32>
    %z3 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<8x32xf32>) -> tensor<8x32xf32>
    %mm4 = linalg.matmul ins(%xs1, %w1 : tensor<8x16xf32>, tensor<16x32xf32>) outs(%z3 : tensor<8x32xf32>) -> tensor<8x32xf32>
    %e5 = tensor.empty() : tensor<8x32xf32>
    %z6 = linalg.fill ins(%zero : f32) outs(%e5 : tensor<8x32xf32>) -> tensor<8x32xf32>
    %e7 = tensor.empty() : tensor<8x32xf32>
    %act8 = linalg.max ins(%mm4, %z6 : tensor<8x32xf32>, tensor<8x32xf32>) outs(%e7 : tensor<8x32xf32>) -> tensor<8x32xf32>
    %e9 = tensor.empty() : tensor<8x4xf32>
    %z10 = linalg.fill ins(%zero : f32) outs(%e9 : tensor<8x4xf32>) -> tensor<8x4xf32>
    %mm11 = linalg.matmul ins(%act8, %w2 : tensor<8x32xf32>, tensor<32x4xf32>) outs(%z10 : tensor<8x4xf32>) -> tensor<8x4xf32>
    %diff12 = arith.subf %mm11, %t : tensor<8x4xf32>
    %sq13 = arith.mulf %diff12, %diff12 : tensor<8x4xf32>
    %e14 = tensor.empty() : tensor<f32>
    %z15 = linalg.fill ins(%zero : f32) outs(%e14 : tensor<f32>) -> tensor<f32>
    %sum16 = linalg.reduce ins(%sq13 : tensor<8x4xf32>) outs(%z15 : tensor<f32>) dimensions = [0, 1]
      (%in: f32, %acc: f32) {
        %add = arith.addf %in, %acc : f32
        linalg.yield %add : f32
      }
    %scale17 = arith.constant dense<0.03125> : tensor<f32>
    %loss18 = arith.mulf %sum16, %scale17 : tensor<f32>
    return %loss18 : tensor<f32>
  }
}
