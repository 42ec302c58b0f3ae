// Batch matmuls only (the cuBLAS strided-batched path): two data-parallel
// replicas, each splitting the batch over a tuple of two.
module attributes {hetu.default_ctx = #hetu.group<"(gpu:0,gpu:1),(gpu:2,gpu:3)">} {
  func.func @bmm(%x: tensor<4x6x8xf32>, %w: tensor<4x8x5xf32>) -> tensor<4x6x5xf32> {
    %xd = hetu.dispatch %x to #hetu.states<[2, 1, 1]> : tensor<4x6x8xf32>
    %wd = hetu.dispatch %w to #hetu.states<[2, 1, 1]> : tensor<4x8x5xf32>
    %zero = arith.constant 0.0 : f32
    %e = tensor.empty() : tensor<4x6x5xf32>
    %z = linalg.fill ins(%zero : f32) outs(%e : tensor<4x6x5xf32>) -> tensor<4x6x5xf32>
    %y = linalg.batch_matmul ins(%xd, %wd : tensor<4x6x8xf32>, tensor<4x8x5xf32>) outs(%z : tensor<4x6x5xf32>) -> tensor<4x6x5xf32>
    return %y : tensor<4x6x5xf32>
  }
}
