// Data parallel (2 replicas) x model parallel (tuples of 2, batch split):
// examples/gen_train.py --config dp2-mp2.
// hetu-run examples/mlp_train_dp2_mp2.mlir --iterations=3 --verify
module attributes {hetu.default_ctx = #hetu.group<"(gpu:0,gpu:1),(gpu:2,gpu:3)">} {
  func.func @train(%x: tensor<8x16xf32>, %t: tensor<8x4xf32>, %w1: tensor<16x32xf32> {hetu.trainable}, %w2: tensor<32x4xf32> {hetu.trainable}) -> (tensor<16x32xf32> {hetu.updates = 2}, tensor<32x4xf32> {hetu.updates = 3}, tensor<f32>) {
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
    %two19 = arith.constant dense<0.0625> : tensor<8x4xf32>
    %dy20 = arith.mulf %diff12, %two19 : tensor<8x4xf32>
    %e21 = tensor.empty() : tensor<32x8xf32>
    %tr22 = linalg.transpose ins(%act8 : tensor<8x32xf32>) outs(%e21 : tensor<32x8xf32>) permutation = [1, 0]
    %e23 = tensor.empty() : tensor<32x4xf32>
    %z24 = linalg.fill ins(%zero : f32) outs(%e23 : tensor<32x4xf32>) -> tensor<32x4xf32>
    %mm25 = linalg.matmul ins(%tr22, %dy20 : tensor<32x8xf32>, tensor<8x4xf32>) outs(%z24 : tensor<32x4xf32>) -> tensor<32x4xf32>
    %e26 = tensor.empty() : tensor<4x32xf32>
    %tr27 = linalg.transpose ins(%w2 : tensor<32x4xf32>) outs(%e26 : tensor<4x32xf32>) permutation = [1, 0]
    %e28 = tensor.empty() : tensor<8x32xf32>
    %z29 = linalg.fill ins(%zero : f32) outs(%e28 : tensor<8x32xf32>) -> tensor<8x32xf32>
    %mm30 = linalg.matmul ins(%dy20, %tr27 : tensor<8x4xf32>, tensor<4x32xf32>) outs(%z29 : tensor<8x32xf32>) -> tensor<8x32xf32>
    %pos31 = arith.cmpf ogt, %mm4, %z6 : tensor<8x32xf32>
    %dh32 = arith.select %pos31, %mm30, %z6 : tensor<8x32xi1>, tensor<8x32xf32>
    %e33 = tensor.empty() : tensor<16x8xf32>
    %tr34 = linalg.transpose ins(%xs1 : tensor<8x16xf32>) outs(%e33 : tensor<16x8xf32>) permutation = [1, 0]
    %e35 = tensor.empty() : tensor<16x32xf32>
    %z36 = linalg.fill ins(%zero : f32) outs(%e35 : tensor<16x32xf32>) -> tensor<16x32xf32>
    %mm37 = linalg.matmul ins(%tr34, %dh32 : tensor<16x8xf32>, tensor<8x32xf32>) outs(%z36 : tensor<16x32xf32>) -> tensor<16x32xf32>
    %w1next38 = hetu.sgd %w1, %mm37 lr 0.1 : tensor<16x32xf32>
    %w2next39 = hetu.sgd %w2, %mm25 lr 0.1 : tensor<32x4xf32>
    return %w1next38, %w2next39, %loss18 : tensor<16x32xf32>, tensor<32x4xf32>, tensor<f32>
  }
}
