// SPEC 7.2 / Hetu `test_model_mlp.py --split middle`, forward pass.
// Shapes are per replica: x:16x32 -> matmul W1:32x64 -> relu -> matmul W2:64x8.
//   gpu:0          layer 1 (matmul + relu)
//   (gpu:1,gpu:2)  layer-2 matmul, model parallel: activation split on its
//                  columns [1, 2], weight on its rows [2, 1]; each device
//                  holds a partial sum of the product
//   gpu:3          gathers (adds) the partial sums, final relu
//
// Try: hetu-opt --hetu-deduce-strategy examples/mlp_split_middle.mlir
module attributes {hetu.default_ctx = #hetu.group<"gpu:0">} {
  func.func @mlp(%x: tensor<16x32xf32>,
                 %w1: tensor<32x64xf32> {hetu.trainable},
                 %w2: tensor<64x8xf32> {hetu.trainable}) -> tensor<16x8xf32> {
    %zero = arith.constant 0.0 : f32

    // Layer 1 on gpu:0 (the default placement).
    %e1 = tensor.empty() : tensor<16x64xf32>
    %z1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<16x64xf32>) -> tensor<16x64xf32>
    %h = linalg.matmul ins(%x, %w1 : tensor<16x32xf32>, tensor<32x64xf32>)
                       outs(%z1 : tensor<16x64xf32>) -> tensor<16x64xf32>
    %a = linalg.max ins(%h, %z1 : tensor<16x64xf32>, tensor<16x64xf32>)
                    outs(%e1 : tensor<16x64xf32>) -> tensor<16x64xf32>

    // Layer 2 on the tuple (gpu:1, gpu:2), "middle" split.
    %ad = hetu.dispatch %a to #hetu.states<[1, 2]> on #hetu.group<"(gpu:1,gpu:2)"> : tensor<16x64xf32>
    %w2d = hetu.dispatch %w2 to #hetu.states<[2, 1]> on #hetu.group<"(gpu:1,gpu:2)"> : tensor<64x8xf32>
    %e2 = tensor.empty() : tensor<16x8xf32>
    %z2 = linalg.fill {hetu.ctx = #hetu.group<"(gpu:1,gpu:2)">}
            ins(%zero : f32) outs(%e2 : tensor<16x8xf32>) -> tensor<16x8xf32>
    %y = linalg.matmul {hetu.ctx = #hetu.group<"(gpu:1,gpu:2)">}
           ins(%ad, %w2d : tensor<16x64xf32>, tensor<64x8xf32>)
           outs(%z2 : tensor<16x8xf32>) -> tensor<16x8xf32>

    // Back to one device: the partial sums are added on gpu:3.
    %yd = hetu.dispatch %y to #hetu.states<[1, 1]> on #hetu.group<"gpu:3"> : tensor<16x8xf32>
    %z3 = linalg.fill {hetu.ctx = #hetu.group<"gpu:3">}
            ins(%zero : f32) outs(%e2 : tensor<16x8xf32>) -> tensor<16x8xf32>
    %out = linalg.max {hetu.ctx = #hetu.group<"gpu:3">}
             ins(%yd, %z3 : tensor<16x8xf32>, tensor<16x8xf32>)
             outs(%e2 : tensor<16x8xf32>) -> tensor<16x8xf32>
    return %out : tensor<16x8xf32>
  }
}
