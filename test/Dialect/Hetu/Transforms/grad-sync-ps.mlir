// RUN: hetu-opt %s -split-input-file -hetu-grad-sync | FileCheck %s
// RUN: hetu-opt %s -split-input-file -hetu-grad-sync=reduce=sum | FileCheck %s --check-prefix=SUM
// RUN: hetu-opt %s -split-input-file -hetu-deduce-strategy -hetu-grad-sync -hetu-infer-states -hetu-partition=rank=1 | FileCheck %s --check-prefix=RANK1
// RUN: hetu-opt %s -split-input-file -hetu-deduce-strategy -hetu-grad-sync -hetu-infer-states -hetu-partition=rank=2 | FileCheck %s --check-prefix=SERVER

// The parameter-server strategy.

// Parameter server (1 server, 2 workers): the workers push the gradient, the
// update runs on the server, the workers pull the result.
// CHECK-LABEL: func.func @ps
// CHECK: %[[PUSH:.*]] = hetu.ps_push <mean> %arg1 key "arg0" to #hetu.device<"cpu:0"> : tensor<4x2xf32>
// CHECK: %[[NEW:.*]] = hetu.sgd %arg0, %[[PUSH]] lr 1.000000e-01 {hetu.ctx = #hetu.group<"cpu:0">} : tensor<4x2xf32>
// CHECK: %[[PULL:.*]] = hetu.ps_pull %[[NEW]] key "arg0" from #hetu.device<"cpu:0"> : tensor<4x2xf32>
// CHECK: return %[[PULL]]
// SUM: hetu.ps_push <sum>
// Worker gpu:1 (rank 1) sends its gradient and receives the parameter.
// RANK1-LABEL: func.func @ps__rank1
// RANK1: hetu.send %arg1 to #hetu.device<"cpu:0"> : tensor<4x2xf32>
// RANK1: %[[P:.*]] = hetu.recv from #hetu.device<"cpu:0"> : tensor<4x2xf32>
// RANK1: return %[[P]]
// The server (rank 2): its own copy of the parameter, the mean of the
// workers' gradients, the update, sent back to the workers in replica order;
// it returns its copy, which is not an output (position -1).
// SERVER-LABEL: func.func @ps__rank2(
// SERVER-SAME: %[[W:.*]]: tensor<4x2xf32> {hetu.slice = #hetu.slice<index = 0, replica = 0, position = 0, states = #hetu.states<[1, 1]>, offsets = [0, 0]>})
// SERVER-SAME: -> (tensor<4x2xf32> {hetu.slice = #hetu.slice<index = 0, replica = 0, position = -1, states = #hetu.states<[1, 1]>, offsets = [0, 0]>
// SERVER: %[[G0:.*]] = hetu.recv from #hetu.device<"gpu:0"> : tensor<4x2xf32>
// SERVER: %[[G1:.*]] = hetu.recv from #hetu.device<"gpu:1"> : tensor<4x2xf32>
// SERVER: %[[TOTAL:.*]] = linalg.add ins(%[[G0]], %[[G1]] :
// SERVER: %[[HALF:.*]] = arith.constant dense<5.000000e-01> : tensor<4x2xf32>
// SERVER: %[[MEAN:.*]] = linalg.mul ins(%[[TOTAL]], %[[HALF]] :
// SERVER: %[[NEW:.*]] = hetu.sgd %[[W]], %[[MEAN]] lr 1.000000e-01 : tensor<4x2xf32>
// SERVER: hetu.send %[[NEW]] to #hetu.device<"gpu:0">
// SERVER: hetu.send %[[NEW]] to #hetu.device<"gpu:1">
// SERVER: return %[[NEW]]
module attributes {hetu.default_ctx = #hetu.group<"cpu:0,gpu:0,gpu:1">} {
  func.func @ps(%w: tensor<4x2xf32> {hetu.trainable}, %g: tensor<4x2xf32>) -> (tensor<4x2xf32> {hetu.updates = 0}) {
    %n = hetu.sgd %w, %g lr 0.1 : tensor<4x2xf32>
    return %n : tensor<4x2xf32>
  }
}

// -----

// Two servers take the parameters in turn; momentum's velocity is optimizer
// state kept on the server and pulled under its own key.
// CHECK-LABEL: func.func @ps_two_servers
// CHECK: %[[G0:.*]] = hetu.ps_push <mean> %arg1 key "arg0" to #hetu.device<"cpu:0">
// CHECK: %[[N0:.*]], %[[V0:.*]] = hetu.momentum %arg0, %[[G0]], %arg4 lr {{.*}} {hetu.ctx = #hetu.group<"cpu:0">}
// CHECK: hetu.ps_pull %[[N0]] key "arg0" from #hetu.device<"cpu:0">
// CHECK: hetu.ps_pull %[[V0]] key "arg0.1" from #hetu.device<"cpu:0">
// CHECK: %[[G1:.*]] = hetu.ps_push <mean> %arg3 key "arg2" to #hetu.device<"cpu:1">
// CHECK: %[[N1:.*]] = hetu.sgd %arg2, %[[G1]] lr {{.*}} {hetu.ctx = #hetu.group<"cpu:1">}
// CHECK: hetu.ps_pull %[[N1]] key "arg2" from #hetu.device<"cpu:1">
// Rank 2 is cpu:0: it holds the parameter and the velocity of its key only.
// SERVER-LABEL: func.func @ps_two_servers__rank2(
// SERVER-SAME: %{{.*}}: tensor<4x2xf32> {hetu.slice = #hetu.slice<index = 0,
// SERVER-SAME: %{{.*}}: tensor<4x2xf32> {hetu.slice = #hetu.slice<index = 4,
// SERVER-SAME: -> (tensor<4x2xf32> {hetu.slice = #hetu.slice<index = 0, replica = 0, position = -1,
// SERVER-SAME: tensor<4x2xf32> {hetu.slice = #hetu.slice<index = 1, replica = 0, position = -1,
// SERVER: hetu.momentum
// SERVER-NOT: hetu.sgd
// SERVER: return
module attributes {hetu.default_ctx = #hetu.group<"cpu:0,cpu:1,gpu:0,gpu:1">} {
  func.func @ps_two_servers(%w: tensor<4x2xf32> {hetu.trainable}, %g: tensor<4x2xf32>, %u: tensor<2xf32> {hetu.trainable}, %gu: tensor<2xf32>, %v: tensor<4x2xf32>) -> (tensor<4x2xf32>, tensor<4x2xf32>, tensor<2xf32>) {
    %n, %nv = hetu.momentum %w, %g, %v lr 0.1 momentum 0.9 : tensor<4x2xf32>
    %nu = hetu.sgd %u, %gu lr 0.1 : tensor<2xf32>
    return %n, %nv, %nu : tensor<4x2xf32>, tensor<4x2xf32>, tensor<2xf32>
  }
}

// -----

// Hybrid: an update placed on the workers alone is all-reduced, one placed
// on the group with the server goes through the server.
// CHECK-LABEL: func.func @hybrid
// CHECK: hetu.ps_push <mean> %arg1 key "arg0"
// CHECK: hetu.sync_replicas <mean> %arg3
// CHECK: hetu.sgd %arg2, %{{.*}} lr 1.000000e-01 {hetu.ctx = #hetu.group<"gpu:0,gpu:1">}
// RANK1-LABEL: func.func @hybrid__rank1
// RANK1: hetu.send %arg1 to #hetu.device<"cpu:0">
// RANK1: hetu.recv from #hetu.device<"cpu:0">
// RANK1: hetu.all_reduce <mean> %arg3 on #hetu.group<"gpu:0,gpu:1">
module attributes {hetu.default_ctx = #hetu.group<"cpu:0,gpu:0,gpu:1">} {
  func.func @hybrid(%w: tensor<4x2xf32> {hetu.trainable}, %g: tensor<4x2xf32>, %d: tensor<2xf32> {hetu.trainable}, %gd: tensor<2xf32>) -> (tensor<4x2xf32>, tensor<2xf32>) {
    %n = hetu.sgd %w, %g lr 0.1 : tensor<4x2xf32>
    %nd = hetu.sgd %d, %gd lr 0.1 {hetu.ctx = #hetu.group<"gpu:0,gpu:1">} : tensor<2xf32>
    return %n, %nd : tensor<4x2xf32>, tensor<2xf32>
  }
}
