// SPEC 7.5 (generated: examples/gen_mlp.py --config dmp-middle): data parallel
// over two replicas, gpu:0/gpu:4 -> model-parallel tuples (gpu:1,gpu:2) /
// (gpu:5,gpu:6) with the "middle" split (partial sums) -> gpu:3/gpu:7.
// Run: hetu-run examples/mlp_dmp_middle.mlir --verify
module attributes {hetu.default_ctx = #hetu.group<"gpu:0,gpu:4">} {
  func.func @mlp(%x: tensor<16x32xf32>, %w1: tensor<32x64xf32> {hetu.trainable}, %w2: tensor<64x8xf32> {hetu.trainable}) -> tensor<16x8xf32> {
    %zero = arith.constant 0.0 : f32
    %e1 = tensor.empty() : tensor<16x64xf32>
    %z2 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<16x64xf32>) -> tensor<16x64xf32>
    %y3 = linalg.matmul ins(%x, %w1 : tensor<16x32xf32>, tensor<32x64xf32>) outs(%z2 : tensor<16x64xf32>) -> tensor<16x64xf32>
    %e4 = tensor.empty() : tensor<16x64xf32>
    %z5 = linalg.fill ins(%zero : f32) outs(%e4 : tensor<16x64xf32>) -> tensor<16x64xf32>
    %e6 = tensor.empty() : tensor<16x64xf32>
    %r7 = linalg.max ins(%y3, %z5 : tensor<16x64xf32>, tensor<16x64xf32>) outs(%e6 : tensor<16x64xf32>) -> tensor<16x64xf32>
    %d8 = hetu.dispatch %r7 to #hetu.states<[1, 2]> on #hetu.group<"(gpu:1,gpu:2),(gpu:5,gpu:6)"> : tensor<16x64xf32>
    %d9 = hetu.dispatch %w2 to #hetu.states<[2, 1]> on #hetu.group<"(gpu:1,gpu:2),(gpu:5,gpu:6)"> : tensor<64x8xf32>
    %e10 = tensor.empty() : tensor<16x8xf32>
    %z11 = linalg.fill {hetu.ctx = #hetu.group<"(gpu:1,gpu:2),(gpu:5,gpu:6)">} ins(%zero : f32) outs(%e10 : tensor<16x8xf32>) -> tensor<16x8xf32>
    %y12 = linalg.matmul {hetu.ctx = #hetu.group<"(gpu:1,gpu:2),(gpu:5,gpu:6)">} ins(%d8, %d9 : tensor<16x64xf32>, tensor<64x8xf32>) outs(%z11 : tensor<16x8xf32>) -> tensor<16x8xf32>
    %d13 = hetu.dispatch %y12 to #hetu.states<[1, 1]> on #hetu.group<"gpu:3,gpu:7"> : tensor<16x8xf32>
    %e14 = tensor.empty() : tensor<16x8xf32>
    %z15 = linalg.fill {hetu.ctx = #hetu.group<"gpu:3,gpu:7">} ins(%zero : f32) outs(%e14 : tensor<16x8xf32>) -> tensor<16x8xf32>
    %e16 = tensor.empty() : tensor<16x8xf32>
    %r17 = linalg.max {hetu.ctx = #hetu.group<"gpu:3,gpu:7">} ins(%d13, %z15 : tensor<16x8xf32>, tensor<16x8xf32>) outs(%e16 : tensor<16x8xf32>) -> tensor<16x8xf32>
    return %r17 : tensor<16x8xf32>
  }
}
