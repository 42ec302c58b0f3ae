// RUN: hetu-opt %s -split-input-file -hetu-grad-sync | FileCheck %s
// RUN: hetu-opt %s -split-input-file -hetu-grad-sync=reduce=sum | FileCheck %s --check-prefix=SUM
// RUN: hetu-opt %s -split-input-file -hetu-deduce-strategy -hetu-grad-sync -hetu-infer-states -hetu-partition=rank=1 | FileCheck %s --check-prefix=RANK1

// Several replicas: the gradient is synchronised first.
// CHECK-LABEL: func.func @dp
// CHECK: %[[SYNC:.*]] = hetu.sync_replicas <mean> %arg1 : tensor<4x2xf32>
// CHECK: hetu.sgd %arg0, %[[SYNC]] lr 1.000000e-01 : tensor<4x2xf32>
// SUM: hetu.sync_replicas <sum>
// After partitioning: an all-reduce among the replicas' devices.
// RANK1-LABEL: func.func @dp__rank1
// RANK1: %[[AR:.*]] = hetu.all_reduce <mean> %arg1 on #hetu.group<"gpu:0,gpu:1,gpu:2"> : tensor<4x2xf32>
// RANK1: hetu.sgd %arg0, %[[AR]] lr 1.000000e-01 : tensor<4x2xf32>
module attributes {hetu.default_ctx = #hetu.group<"gpu:0,gpu:1,gpu:2">} {
  func.func @dp(%w: tensor<4x2xf32> {hetu.trainable}, %g: tensor<4x2xf32>) -> (tensor<4x2xf32> {hetu.updates = 0}) {
    %n = hetu.sgd %w, %g lr 0.1 : tensor<4x2xf32>
    return %n : tensor<4x2xf32>
  }
}

// -----

// One replica: nothing to synchronise.
// CHECK-LABEL: func.func @single
// CHECK-NOT: sync_replicas
// CHECK: hetu.sgd %arg0, %arg1
module attributes {hetu.default_ctx = #hetu.group<"(gpu:0,gpu:1)">} {
  func.func @single(%w: tensor<4x2xf32> {hetu.trainable}, %g: tensor<4x2xf32>) -> tensor<4x2xf32> {
    %n = hetu.sgd %w, %g lr 0.1 : tensor<4x2xf32>
    return %n : tensor<4x2xf32>
  }
}

// -----

// Tuples of 2 in 2 replicas: each device all-reduces with the device at its
// position in the other replica (rank 1 = gpu:1, position 1 of (gpu:0,gpu:1),
// pairs with gpu:3).
// RANK1-LABEL: func.func @tuples__rank1
// RANK1: hetu.all_reduce <mean> %{{.*}} on #hetu.group<"gpu:1,gpu:3">
module attributes {hetu.default_ctx = #hetu.group<"(gpu:0,gpu:1),(gpu:2,gpu:3)">} {
  func.func @tuples(%w: tensor<4x2xf32> {hetu.trainable}, %g: tensor<4x2xf32>) -> tensor<4x2xf32> {
    %n = hetu.sgd %w, %g lr 0.1 : tensor<4x2xf32>
    return %n : tensor<4x2xf32>
  }
}

// -----

// Momentum: the gradient operand is synchronised, the velocity is not.
// CHECK-LABEL: func.func @momentum
// CHECK: %[[SYNC:.*]] = hetu.sync_replicas <mean> %arg1 : tensor<4x2xf32>
// CHECK: hetu.momentum %arg0, %[[SYNC]], %arg2 lr
// RANK1-LABEL: func.func @momentum__rank1
// RANK1: %[[AR:.*]] = hetu.all_reduce <mean> %arg1 on #hetu.group<"gpu:0,gpu:1">
// RANK1: hetu.momentum %arg0, %[[AR]], %arg2 lr
module attributes {hetu.default_ctx = #hetu.group<"gpu:0,gpu:1">} {
  func.func @momentum(%w: tensor<4x2xf32> {hetu.trainable}, %g: tensor<4x2xf32>, %v: tensor<4x2xf32>) -> (tensor<4x2xf32> {hetu.updates = 0}, tensor<4x2xf32> {hetu.updates = 2}) {
    %n, %nv = hetu.momentum %w, %g, %v lr 0.1 momentum 0.9 : tensor<4x2xf32>
    return %n, %nv : tensor<4x2xf32>, tensor<4x2xf32>
  }
}

// -----

// Adam on several replicas: the gradient is synchronised; the moments and
// the step count are not.
// CHECK-LABEL: func.func @adam_dp
// CHECK: %[[SYNC:.*]] = hetu.sync_replicas <mean> %arg1 : tensor<4x2xf32>
// CHECK: hetu.adam %arg0, %[[SYNC]], %arg2, %arg3 step %arg4
module attributes {hetu.default_ctx = #hetu.group<"gpu:0,gpu:1">} {
  func.func @adam_dp(%w: tensor<4x2xf32> {hetu.trainable}, %g: tensor<4x2xf32>, %m: tensor<4x2xf32>, %v: tensor<4x2xf32>, %t: tensor<f32>) -> (tensor<4x2xf32> {hetu.updates = 0}, tensor<4x2xf32> {hetu.updates = 2}, tensor<4x2xf32> {hetu.updates = 3}) {
    %n, %nm, %nv = hetu.adam %w, %g, %m, %v step %t lr 0.001 beta1 0.9 beta2 0.999 eps 1.0e-8 : tensor<4x2xf32>, tensor<f32>
    return %n, %nm, %nv : tensor<4x2xf32>, tensor<4x2xf32>, tensor<4x2xf32>
  }
}

// -----

// Adam through a parameter server: the update and its state move to the
// server; the workers pull the parameter and both moments.
// CHECK-LABEL: func.func @adam_ps
// CHECK: %[[G:.*]] = hetu.ps_push <mean> %arg1 key "arg0" to #hetu.device<"cpu:0">
// CHECK: hetu.adamw %arg0, %[[G]], %arg2, %arg3 step %arg4 {{.*}} {hetu.ctx = #hetu.group<"cpu:0">}
// CHECK-DAG: hetu.ps_pull %{{.*}} key "arg0" from
// CHECK-DAG: hetu.ps_pull %{{.*}} key "arg0.1" from
// CHECK-DAG: hetu.ps_pull %{{.*}} key "arg0.2" from
module attributes {hetu.default_ctx = #hetu.group<"cpu:0,gpu:0,gpu:1">} {
  func.func @adam_ps(%w: tensor<4x2xf32> {hetu.trainable}, %g: tensor<4x2xf32>, %m: tensor<4x2xf32>, %v: tensor<4x2xf32>, %t: tensor<f32>) -> (tensor<4x2xf32> {hetu.updates = 0}, tensor<4x2xf32> {hetu.updates = 2}, tensor<4x2xf32> {hetu.updates = 3}) {
    %n, %nm, %nv = hetu.adamw %w, %g, %m, %v step %t lr 0.001 beta1 0.9 beta2 0.999 eps 1.0e-8 weight_decay 0.01 : tensor<4x2xf32>, tensor<f32>
    return %n, %nm, %nv : tensor<4x2xf32>, tensor<4x2xf32>, tensor<4x2xf32>
  }
}
