// RUN: hetu-opt %s -convert-hetu-optimizers | FileCheck %s

// CHECK-LABEL: func.func @sgd
func.func @sgd(%w: tensor<4xf32>, %g: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK: %[[LR:.*]] = arith.constant dense<2.500000e-01> : tensor<4xf32>
  // CHECK: %[[STEP:.*]] = arith.mulf %arg1, %[[LR]] : tensor<4xf32>
  // CHECK: %[[NEW:.*]] = arith.subf %arg0, %[[STEP]] : tensor<4xf32>
  // CHECK: return %[[NEW]]
  %n = hetu.sgd %w, %g lr 0.25 : tensor<4xf32>
  return %n : tensor<4xf32>
}
