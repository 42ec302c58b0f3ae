// RUN: hetu-opt %s --pass-pipeline='builtin.module(func.func(hetu-promote-f64))' | FileCheck %s

// Signature, values, block arguments and constants: f32 becomes f64;
// integers and f16 stay; conversions that became identities go.
// CHECK-LABEL: func.func @mlp(
// CHECK-SAME: %[[X:.*]]: tensor<2x3xf64>, %[[W:.*]]: tensor<3x4xf64>, %[[I:.*]]: tensor<2xi32>, %[[H:.*]]: tensor<2xf16>) -> (tensor<2x4xf64>, tensor<f64>, tensor<2xf64>)
// CHECK-DAG: arith.constant 0.000000e+00 : f64
// CHECK-DAG: arith.constant dense<5.000000e-01> : tensor<2x4xf64>
// CHECK: linalg.matmul ins(%[[X]], %[[W]] : tensor<2x3xf64>, tensor<3x4xf64>) outs(%{{.*}} : tensor<2x4xf64>)
// CHECK: linalg.generic
// CHECK: ^bb0(%{{.*}}: f64, %{{.*}}: f64, %{{.*}}: f64):
// CHECK: math.tanh %{{.*}} : f64
// CHECK: linalg.reduce ins(%{{.*}} : tensor<2x4xf64>) outs(%{{.*}} : tensor<f64>)
// CHECK: arith.constant dense<[1.000000e+00, 2.500000e+00]> : tensor<2xf64>
// CHECK: arith.extf %[[H]] : tensor<2xf16> to tensor<2xf64>
// CHECK-NOT: arith.extf
// CHECK-NOT: arith.truncf
// CHECK-NOT: f32
func.func @mlp(%x: tensor<2x3xf32>, %w: tensor<3x4xf32>, %i: tensor<2xi32>, %h: tensor<2xf16>) -> (tensor<2x4xf32>, tensor<f32>, tensor<2xf32>) {
  %zero = arith.constant 0.0 : f32
  %half = arith.constant dense<0.5> : tensor<2x4xf32>
  %e = tensor.empty() : tensor<2x4xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<2x4xf32>) -> tensor<2x4xf32>
  %mm = linalg.matmul ins(%x, %w : tensor<2x3xf32>, tensor<3x4xf32>) outs(%z : tensor<2x4xf32>) -> tensor<2x4xf32>
  %y = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%mm, %half : tensor<2x4xf32>, tensor<2x4xf32>) outs(%e : tensor<2x4xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %m = arith.mulf %a, %b : f32
    %t = math.tanh %m : f32
    linalg.yield %t : f32
  }  -> tensor<2x4xf32>
  %s0 = tensor.empty() : tensor<f32>
  %s1 = linalg.fill ins(%zero : f32) outs(%s0 : tensor<f32>) -> tensor<f32>
  %s = linalg.reduce ins(%y : tensor<2x4xf32>) outs(%s1 : tensor<f32>) dimensions = [0, 1]
    (%in: f32, %acc: f32) {
      %add = arith.addf %in, %acc : f32
      linalg.yield %add : f32
    }
  %v = arith.constant dense<[1.0, 2.5]> : tensor<2xf32>
  %hx = arith.extf %h : tensor<2xf16> to tensor<2xf32>
  %d = arith.extf %hx : tensor<2xf32> to tensor<2xf64>
  %back = arith.truncf %d : tensor<2xf64> to tensor<2xf32>
  %sum = arith.addf %back, %v : tensor<2xf32>
  return %y, %s, %sum : tensor<2x4xf32>, tensor<f32>, tensor<2xf32>
}
