// hetu.momentum computes v' = momentum * v + g, p' = p - lr * v' (values
// chosen so every result is exact), and a data-parallel momentum training
// step trains like single-device training.
// RUN: hetu-run %s | FileCheck %s
// RUN: %python %hetu_src/examples/gen_train.py --config dp4 --optimizer momentum > %t.dp4.mlir
// RUN: hetu-run %t.dp4.mlir --iterations=3 --verify | FileCheck %s --check-prefix=DP4
// RUN: %python %hetu_src/examples/gen_train.py --config dmp --optimizer momentum --momentum 0.5 > %t.dmp.mlir
// RUN: hetu-run %t.dmp.mlir --iterations=3 --verify | FileCheck %s --check-prefix=DMP

// CHECK: output 0: 1 x 4 f32 [0.5, 1.5, 3, 3.5] checksum 8.5
// CHECK: output 1: 1 x 4 f32 [1, 1, 0, 1] checksum 3
// DP4: output 4: 4 x scalar f32
// DP4: verify: OK (3 steps, 5 outputs x 4 replicas, 15372 elements)
// DMP: verify: OK (3 steps, 5 outputs x 2 replicas, 7686 elements)
module attributes {hetu.default_ctx = #hetu.group<"gpu:0">} {
  func.func @step() -> (tensor<4xf32>, tensor<4xf32>) {
    %w = arith.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
    %g = arith.constant dense<[0.5, 1.0, -1.0, 2.0]> : tensor<4xf32>
    %v = arith.constant dense<[1.0, 0.0, 2.0, -2.0]> : tensor<4xf32>
    %w_next, %v_next = hetu.momentum %w, %g, %v lr 0.5 momentum 0.5 : tensor<4xf32>
    return %w_next, %v_next : tensor<4xf32>, tensor<4xf32>
  }
}
