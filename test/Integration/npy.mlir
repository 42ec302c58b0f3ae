// --inputs reads NumPy files (data arguments: the replicas' batches
// concatenated along dimension 0; parameters: one value for every replica),
// --outputs writes them the same way.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/npy.py write %t
// RUN: hetu-run %s --inputs=%t/x.npy,%t/w.npy --outputs=%t --verify | FileCheck %s
// RUN: %python %S/Inputs/npy.py check %t | FileCheck %s --check-prefix=FILE
// RUN: not hetu-run %s --inputs=%t/w.npy,%t/x.npy 2>&1 | FileCheck %s --check-prefix=SHAPE
// RUN: not hetu-run %s --inputs=%t/x.npy 2>&1 | FileCheck %s --check-prefix=COUNT

// CHECK: output 0: 2 x 2x2 f32 [2, 3, 8, 9, ...] checksum 92
// CHECK: verify: OK (1 outputs x 2 replicas, 8 elements)
// FILE: shape (4, 2) match
// SHAPE: hetu-run: {{.*}}w.npy: shape 3x2, argument 0 needs 2x3 per replica
// COUNT: hetu-run: --inputs has 1 files for 2 arguments
module attributes {hetu.default_ctx = #hetu.group<"gpu:0,gpu:1">} {
  func.func @f(%x: tensor<2x3xf32>, %w: tensor<3x2xf32> {hetu.trainable}) -> tensor<2x2xf32> {
    %zero = arith.constant 0.0 : f32
    %e = tensor.empty() : tensor<2x2xf32>
    %z = linalg.fill ins(%zero : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
    %y = linalg.matmul ins(%x, %w : tensor<2x3xf32>, tensor<3x2xf32>) outs(%z : tensor<2x2xf32>) -> tensor<2x2xf32>
    return %y : tensor<2x2xf32>
  }
}
