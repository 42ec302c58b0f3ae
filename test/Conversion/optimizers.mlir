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

// Adam: the bias corrections are scalars of the step count (t = count + 1),
// filled into tensors; the moments and the update are elementwise.
// CHECK-LABEL: func.func @adam
func.func @adam(%w: tensor<4xf32>, %g: tensor<4xf32>, %m: tensor<4xf32>, %v: tensor<4xf32>, %t: tensor<f32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  // CHECK: %[[COUNT:.*]] = tensor.extract %arg4[] : tensor<f32>
  // CHECK: %[[T:.*]] = arith.addf %[[COUNT]], %{{.*}} : f32
  // CHECK: %[[P1:.*]] = math.powf %{{.*}}, %[[T]] : f32
  // CHECK: %[[C1:.*]] = arith.subf %{{.*}}, %[[P1]] : f32
  // CHECK: linalg.fill ins(%[[C1]] : f32)
  // CHECK: math.powf
  // CHECK-DAG: %[[M1:.*]] = arith.mulf %arg2, %{{.*}} : tensor<4xf32>
  // CHECK-DAG: %[[M2:.*]] = arith.mulf %arg1, %{{.*}} : tensor<4xf32>
  // CHECK: %[[M:.*]] = arith.addf %[[M1]], %[[M2]] : tensor<4xf32>
  // CHECK: %[[G2:.*]] = arith.mulf %arg1, %arg1 : tensor<4xf32>
  // CHECK: math.sqrt
  // CHECK: %[[NEW:.*]] = arith.subf %arg0, %{{.*}} : tensor<4xf32>
  // CHECK: return %[[NEW]], %[[M]], %{{.*}}
  %n, %nm, %nv = hetu.adam %w, %g, %m, %v step %t lr 0.001 beta1 0.9 beta2 0.999 eps 1.0e-8 : tensor<4xf32>, tensor<f32>
  return %n, %nm, %nv : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// AdamW adds the decoupled decay of the parameter to the update.
// CHECK-LABEL: func.func @adamw
func.func @adamw(%w: tensor<4xf32>, %g: tensor<4xf32>, %m: tensor<4xf32>, %v: tensor<4xf32>, %t: tensor<f32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  // CHECK-DAG: %[[WD:.*]] = arith.constant dense<0.0099{{[0-9]*}}> : tensor<4xf32>
  // CHECK: %[[DECAY:.*]] = arith.mulf %arg0, %[[WD]] : tensor<4xf32>
  // CHECK: arith.addf %{{.*}}, %[[DECAY]] : tensor<4xf32>
  %n, %nm, %nv = hetu.adamw %w, %g, %m, %v step %t lr 0.001 beta1 0.9 beta2 0.999 eps 1.0e-8 weight_decay 0.01 : tensor<4xf32>, tensor<f32>
  return %n, %nm, %nv : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}
