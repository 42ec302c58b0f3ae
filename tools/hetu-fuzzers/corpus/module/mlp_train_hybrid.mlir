// Hybrid training step (Hetu's Hybrid mode): the first layer's parameter goes
// through the parameter server cpu:0, the second through an all-reduce among
// the 2 workers: examples/gen_train.py --config hybrid.
// hetu-run examples/mlp_train_hybrid.mlir --iterations=3 --verify
module attributes {hetu.default_ctx = #hetu.group<"cpu:0,gpu:0,gpu:1">} {
  func.func @train(%x: tensor<8x16xf32>, %t: tensor<8x4xf32>, %w1: tensor<16x32xf32> {hetu.trainable}, %w2: tensor<32x4xf32> {hetu.trainable}) -> (tensor<16x32xf32> {hetu.updates = 2}, tensor<32x4xf32> {hetu.updates = 3}, tensor<f32>) {
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
    %two18 = arith.constant dense<0.0625> : tensor<8x4xf32>
    %dy19 = arith.mulf %diff11, %two18 : tensor<8x4xf32>
    %e20 = tensor.empty() : tensor<32x8xf32>
    %tr21 = linalg.transpose ins(%act7 : tensor<8x32xf32>) outs(%e20 : tensor<32x8xf32>) permutation = [1, 0]
    %e22 = tensor.empty() : tensor<32x4xf32>
    %z23 = linalg.fill ins(%zero : f32) outs(%e22 : tensor<32x4xf32>) -> tensor<32x4xf32>
    %mm24 = linalg.matmul ins(%tr21, %dy19 : tensor<32x8xf32>, tensor<8x4xf32>) outs(%z23 : tensor<32x4xf32>) -> tensor<32x4xf32>
    %e25 = tensor.empty() : tensor<4x32xf32>
    %tr26 = linalg.transpose ins(%w2 : tensor<32x4xf32>) outs(%e25 : tensor<4x32xf32>) permutation = [1, 0]
    %e27 = tensor.empty() : tensor<8x32xf32>
    %z28 = linalg.fill ins(%zero : f32) outs(%e27 : tensor<8x32xf32>) -> tensor<8x32xf32>
    %mm29 = linalg.matmul ins(%dy19, %tr26 : tensor<8x4xf32>, tensor<4x32xf32>) outs(%z28 : tensor<8x32xf32>) -> tensor<8x32xf32>
    %pos30 = arith.cmpf ogt, %mm3, %z5 : tensor<8x32xf32>
    %dh31 = arith.select %pos30, %mm29, %z5 : tensor<8x32xi1>, tensor<8x32xf32>
    %e32 = tensor.empty() : tensor<16x8xf32>
    %tr33 = linalg.transpose ins(%x : tensor<8x16xf32>) outs(%e32 : tensor<16x8xf32>) permutation = [1, 0]
    %e34 = tensor.empty() : tensor<16x32xf32>
    %z35 = linalg.fill ins(%zero : f32) outs(%e34 : tensor<16x32xf32>) -> tensor<16x32xf32>
    %mm36 = linalg.matmul ins(%tr33, %dh31 : tensor<16x8xf32>, tensor<8x32xf32>) outs(%z35 : tensor<16x32xf32>) -> tensor<16x32xf32>
    %w1next37 = hetu.sgd %w1, %mm36 lr 0.1 : tensor<16x32xf32>
    %w2next38 = hetu.sgd %w2, %mm24 lr 0.1 {hetu.ctx = #hetu.group<"gpu:0,gpu:1">} : tensor<32x4xf32>
    return %w1next37, %w2next38, %loss17 : tensor<16x32xf32>, tensor<32x4xf32>, tensor<f32>
  }
}
