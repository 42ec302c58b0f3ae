// Matmuls only, in a two-stage pipeline of two data-parallel replicas: the
// activation goes from stage to stage point-to-point (NCCL send/recv on the
// cuda backends), the weights' dispatch splits within the second stage.
module attributes {hetu.default_ctx = #hetu.group<"gpu:0,gpu:1">} {
  func.func @pipe(%x: tensor<4x8xf32>, %w1: tensor<8x6xf32>, %w2: tensor<6x4xf32>) -> tensor<4x4xf32> {
    %zero = arith.constant 0.0 : f32
    %e1 = tensor.empty() : tensor<4x6xf32>
    %z1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<4x6xf32>) -> tensor<4x6xf32>
    %h = linalg.matmul ins(%x, %w1 : tensor<4x8xf32>, tensor<8x6xf32>) outs(%z1 : tensor<4x6xf32>) -> tensor<4x6xf32>
    %hd = hetu.dispatch %h to #hetu.states<[1, 1]> on #hetu.group<"gpu:2,gpu:3"> : tensor<4x6xf32>
    %e2 = tensor.empty() : tensor<4x4xf32>
    %z2 = linalg.fill {hetu.ctx = #hetu.group<"gpu:2,gpu:3">} ins(%zero : f32) outs(%e2 : tensor<4x4xf32>) -> tensor<4x4xf32>
    %y = linalg.matmul {hetu.ctx = #hetu.group<"gpu:2,gpu:3">} ins(%hd, %w2 : tensor<4x6xf32>, tensor<6x4xf32>) outs(%z2 : tensor<4x4xf32>) -> tensor<4x4xf32>
    return %y : tensor<4x4xf32>
  }
}
