module attributes {hetu.default_ctx = #hetu.group<"cpu:0,gpu:0,gpu:1">} {
  func.func @train(%x: tensor<8x16xf32>, %t: tensor<8x4xf32>, %w1: tensor<16x32xf32> {hetu.trainable}, %w2: tensor<32x4xf32> {hetu.trainable}) -> tensor<f32> attributes {hetu.autodiff = {optimizer = "sgd", lr = 0.1}} {
    %zero = arith.constant 0.0 : f32
    %e1 = tensor.empty() : tensor<8x32xf32>
    %z2 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<8x32xf32>) -> tensor<8x32xf32>
    %mm3 = linalg.matmul ins(%x, %w1 : tensor<8x16xf32>, tensor<16x32xf32>) outs(%z2 : tensor<8x32xf32>) -> tensor<8x32xf32>
    %e4 = tensor.empty() : tensor<8x32xf32>
    %z5 = linalg.fill ins(%zero : f32) outs(%e4 : tensor<8x32xf32>) -> tensor<8x32xf32>
    %e6 = tensor.empty() : tensor<8x32xf32>
    %act7 = linalg.max ins(%mm3, %z5 : tensor<8x32xf32>, tensor<8x32xf32>) outs(%e6 : tensor<8x32xf32>) -> tensor<8x32xf32>
    %e8 = tensor.empty() : tensor<8x4xf32>
    %z9 = linalg.fill ins(%zero : f32) outs(%e8 : tensor<8x4xf32>) -> tensor<8x4xf32>
    %mm10 = linalg.matmul ins(%act7, %w2 : tensor<8x32xf32>, tensor<32x4xf32>) outs(%z9 : tensor<8x4xf32>) -> tensor<8x4xf32>
    %diff11 = arith.subf %mm10, %t : tensor<8x4xf32>
    %sq12 = arith.mulf %diff11, %diff11 : tensor<8x4xf32>
    %e13 = tensor.empty() : tensor<f32>
    %z14 = linalg.fill ins(%zero : f32) outs(%e13 : tensor<f32>) -> tensor<f32>
    %sum15 = linalg.reduce ins(%sq12 : tensor<8x4xf32>) outs(%z14 : tensor<f32>) dimensions = [0, 1]
      (%in: f32, %acc: f32) {
        %add = arith.addf %in, %acc : f32
        linalg.yield %add : f32
      }
    %scale16 = arith.constant dense<0.03125> : tensor<f32>
    %loss17 = arith.mulf %sum15, %scale16 : tensor<f32>
    return %loss17 : tensor<f32>
  }
}
