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

// CHECK-LABEL: func.func @momentum
func.func @momentum(%w: tensor<4xf32>, %g: tensor<4xf32>, %v: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  // CHECK-DAG: %[[MU:.*]] = arith.constant dense<5.000000e-01> : tensor<4xf32>
  // CHECK-DAG: %[[LR:.*]] = arith.constant dense<2.500000e-01> : tensor<4xf32>
  // CHECK: %[[KEPT:.*]] = arith.mulf %arg2, %[[MU]] : tensor<4xf32>
  // CHECK: %[[VEL:.*]] = arith.addf %[[KEPT]], %arg1 : tensor<4xf32>
  // CHECK: %[[STEP:.*]] = arith.mulf %[[VEL]], %[[LR]] : tensor<4xf32>
  // CHECK: %[[NEW:.*]] = arith.subf %arg0, %[[STEP]] : tensor<4xf32>
  // CHECK: return %[[NEW]], %[[VEL]]
  %n, %nv = hetu.momentum %w, %g, %v lr 0.25 momentum 0.5 : tensor<4xf32>
  return %n, %nv : tensor<4xf32>, tensor<4xf32>
}
