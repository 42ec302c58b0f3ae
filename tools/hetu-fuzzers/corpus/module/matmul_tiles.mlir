// Matmuls only (the cuBLAS path): two data-parallel replicas of a tuple of
// two; the first matmul splits x by rows, the second splits the inner
// dimension (partial sums, all-reduced).
module attributes {hetu.default_ctx = #hetu.group<"(gpu:0,gpu:1),(gpu:2,gpu:3)">} {
  func.func @mm(%x: tensor<6x8xf32>, %w: tensor<8x5xf32>, %v: tensor<4x3xf64>, %u: tensor<6x4xf64>) -> (tensor<6x5xf32>, tensor<6x3xf64>) {
    %xd = hetu.dispatch %x to #hetu.states<[2, 1]> : tensor<6x8xf32>
    %zero = arith.constant 0.0 : f32
    %e = tensor.empty() : tensor<6x5xf32>
    %z = linalg.fill ins(%zero : f32) outs(%e : tensor<6x5xf32>) -> tensor<6x5xf32>
    %y = linalg.matmul ins(%xd, %w : tensor<6x8xf32>, tensor<8x5xf32>) outs(%z : tensor<6x5xf32>) -> tensor<6x5xf32>
    %ud = hetu.dispatch %u to #hetu.states<[1, 2]> : tensor<6x4xf64>
    %vd = hetu.dispatch %v to #hetu.states<[2, 1]> : tensor<4x3xf64>
    %zero64 = arith.constant 0.0 : f64
    %e2 = tensor.empty() : tensor<6x3xf64>
    %z2 = linalg.fill ins(%zero64 : f64) outs(%e2 : tensor<6x3xf64>) -> tensor<6x3xf64>
    %r = linalg.matmul ins(%ud, %vd : tensor<6x4xf64>, tensor<4x3xf64>) outs(%z2 : tensor<6x3xf64>) -> tensor<6x3xf64>
    return %y, %r : tensor<6x5xf32>, tensor<6x3xf64>
  }
}
