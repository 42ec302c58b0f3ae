// RUN: hetu-opt %s | FileCheck %s
// Round trip: parse -> print -> parse gives the same printout.
// RUN: hetu-opt %s | hetu-opt | FileCheck %s
// The generic form round-trips too.
// RUN: hetu-opt %s -mlir-print-op-generic | hetu-opt | FileCheck %s

// CHECK-LABEL: func.func @dispatch
func.func @dispatch(%x: tensor<16x32xf32>, %w: tensor<32x64xf32>)
    -> (tensor<16x32xf32>, tensor<32x64xf32>, tensor<16x32xf32>, tensor<32x64xf32>) {
  // CHECK: hetu.dispatch %{{.*}} to #hetu.states<[2, 1]> on #hetu.group<"(gpu:1,gpu:2)"> : tensor<16x32xf32>
  %a = hetu.dispatch %x to #hetu.states<[2, 1]> on #hetu.group<"(gpu:1,gpu:2)"> : tensor<16x32xf32>
  // CHECK: hetu.dispatch %{{.*}} to #hetu.states<[1, 1], duplicate = 2> : tensor<32x64xf32>
  %b = hetu.dispatch %w to #hetu.states<[1, 1], duplicate = 2> : tensor<32x64xf32>
  // Four devices per worker, two replicas.
  // CHECK: hetu.dispatch %{{.*}} to #hetu.states<[2, 2], order = [1, 0]> on #hetu.group<"(gpu:0,gpu:1,gpu:2,gpu:3),(gpu:4,gpu:5,gpu:6,gpu:7)">
  %c = hetu.dispatch %x to #hetu.states<[2, 2], order = [1, 0]>
         on #hetu.group<"(gpu:0,gpu:1,gpu:2,gpu:3),(gpu:4,gpu:5,gpu:6,gpu:7)"> : tensor<16x32xf32>
  // CHECK: hetu.dispatch_gradient %{{.*}} like %{{.*}} : tensor<32x64xf32>
  %g = hetu.dispatch_gradient %b like %w : tensor<32x64xf32>
  return %a, %b, %c, %g : tensor<16x32xf32>, tensor<32x64xf32>, tensor<16x32xf32>, tensor<32x64xf32>
}

// CHECK-LABEL: func.func @p2p
func.func @p2p(%x: tensor<16x64xf32>) -> tensor<16x64xf32> {
  // CHECK: hetu.send %{{.*}} to #hetu.device<"gpu:1"> : tensor<16x64xf32>
  hetu.send %x to #hetu.device<"gpu:1"> : tensor<16x64xf32>
  // CHECK: hetu.send %{{.*}} to #hetu.device<"node1:gpu:1"> : tensor<16x64xf32> {tag = 3 : i64}
  hetu.send %x to #hetu.device<"node1:gpu:1"> : tensor<16x64xf32> {tag = 3}
  // CHECK: hetu.recv from #hetu.device<"gpu:0"> : tensor<16x64xf32>
  %y = hetu.recv from #hetu.device<"gpu:0"> : tensor<16x64xf32>
  return %y : tensor<16x64xf32>
}

// CHECK-LABEL: func.func @collectives
func.func @collectives(%x: tensor<8x64xf32>, %s: tensor<16x64xf32>) {
  // CHECK: hetu.all_reduce <sum> %{{.*}} on #hetu.group<"gpu:0,gpu:1"> : tensor<8x64xf32>
  %0 = hetu.all_reduce <sum> %x on #hetu.group<"gpu:0,gpu:1"> : tensor<8x64xf32>
  // CHECK: hetu.all_reduce <mean>
  %1 = hetu.all_reduce <mean> %x on #hetu.group<"gpu:0,gpu:1"> : tensor<8x64xf32>
  // CHECK: hetu.all_reduce <max>
  %2 = hetu.all_reduce <max> %x on #hetu.group<"gpu:0,gpu:1"> : tensor<8x64xf32>
  // CHECK: hetu.all_gather %{{.*}} dim 0 on #hetu.group<"gpu:0,gpu:1"> : tensor<8x64xf32> -> tensor<16x64xf32>
  %3 = hetu.all_gather %x dim 0 on #hetu.group<"gpu:0,gpu:1"> : tensor<8x64xf32> -> tensor<16x64xf32>
  // CHECK: hetu.all_gather %{{.*}} dim 1 on #hetu.group<"gpu:3,gpu:2,gpu:1,gpu:0"> : tensor<8x64xf32> -> tensor<8x256xf32>
  %4 = hetu.all_gather %x dim 1 on #hetu.group<"gpu:3,gpu:2,gpu:1,gpu:0"> : tensor<8x64xf32> -> tensor<8x256xf32>
  // CHECK: hetu.reduce_scatter <sum> %{{.*}} dim 0 on #hetu.group<"gpu:0,gpu:1"> : tensor<16x64xf32> -> tensor<8x64xf32>
  %5 = hetu.reduce_scatter <sum> %s dim 0 on #hetu.group<"gpu:0,gpu:1"> : tensor<16x64xf32> -> tensor<8x64xf32>
  // CHECK: hetu.broadcast %{{.*}} root #hetu.device<"gpu:1"> on #hetu.group<"gpu:0,gpu:1"> : tensor<8x64xf32>
  %6 = hetu.broadcast %x root #hetu.device<"gpu:1"> on #hetu.group<"gpu:0,gpu:1"> : tensor<8x64xf32>
  // CHECK: hetu.reduce <prod> %{{.*}} root #hetu.device<"gpu:0"> on #hetu.group<"gpu:0,gpu:1"> : tensor<8x64xf32>
  %7 = hetu.reduce <prod> %x root #hetu.device<"gpu:0"> on #hetu.group<"gpu:0,gpu:1"> : tensor<8x64xf32>
  // CHECK: hetu.reduce <min>
  %8 = hetu.reduce <min> %x root #hetu.device<"gpu:0"> on #hetu.group<"gpu:0,gpu:1"> : tensor<8x64xf32>
  return
}

// CHECK-LABEL: func.func @ps
func.func @ps(%g: tensor<32x64xf32>) -> tensor<32x64xf32> {
  // CHECK: %[[S:.*]] = hetu.ps_push <mean> %{{.*}} key "w1" to #hetu.device<"cpu:0"> : tensor<32x64xf32>
  %s = hetu.ps_push <mean> %g key "w1" to #hetu.device<"cpu:0"> : tensor<32x64xf32>
  // CHECK: hetu.ps_pull %[[S]] key "w1" from #hetu.device<"node2:cpu:0"> : tensor<32x64xf32>
  %w = hetu.ps_pull %s key "w1" from #hetu.device<"node2:cpu:0"> : tensor<32x64xf32>
  return %w : tensor<32x64xf32>
}

// Placement and annotation attributes.
// CHECK-LABEL: func.func @placed
// CHECK-SAME: %{{.*}}: tensor<4xf32> {hetu.trainable}
// CHECK-SAME: hetu.default_ctx = #hetu.group<"gpu:0,gpu:1">
func.func @placed(%w: tensor<4xf32> {hetu.trainable}, %x: tensor<4xf32>) -> tensor<4xf32>
    attributes {hetu.default_ctx = #hetu.group<"gpu:0,gpu:1">} {
  // CHECK: arith.addf %{{.*}}, %{{.*}} {hetu.ctx = #hetu.group<"gpu:2,gpu:3">, hetu.states = [#hetu.states<[1]>], hetu.strategy = #hetu.strategy<allreduce>}
  %y = arith.addf %w, %x {hetu.ctx = #hetu.group<"gpu:2,gpu:3">, hetu.states = [#hetu.states<[1]>], hetu.strategy = #hetu.strategy<allreduce>} : tensor<4xf32>
  return %y : tensor<4xf32>
}

// Memref forms (after bufferization): operands of any layout, results are
// new buffers.
// CHECK-LABEL: func.func @memrefs
func.func @memrefs(%m: memref<4x8xf32>, %s: memref<2x8xf32, strided<[8, 1], offset: 8>>) {
  // CHECK: hetu.send %{{.*}} to #hetu.device<"gpu:1"> : memref<2x8xf32, strided<[8, 1], offset: 8>>
  hetu.send %s to #hetu.device<"gpu:1"> : memref<2x8xf32, strided<[8, 1], offset: 8>>
  // CHECK: hetu.recv from #hetu.device<"gpu:1"> : memref<4x8xf32>
  %r = hetu.recv from #hetu.device<"gpu:1"> : memref<4x8xf32>
  // CHECK: hetu.all_reduce <sum> %{{.*}} on #hetu.group<"gpu:0,gpu:1"> : memref<2x8xf32, strided<[8, 1], offset: 8>> -> memref<2x8xf32>
  %a = hetu.all_reduce <sum> %s on #hetu.group<"gpu:0,gpu:1"> : memref<2x8xf32, strided<[8, 1], offset: 8>> -> memref<2x8xf32>
  // CHECK: hetu.all_gather %{{.*}} dim 0 on #hetu.group<"gpu:0,gpu:1"> : memref<4x8xf32> -> memref<8x8xf32>
  %g = hetu.all_gather %m dim 0 on #hetu.group<"gpu:0,gpu:1"> : memref<4x8xf32> -> memref<8x8xf32>
  return
}

// CHECK-LABEL: func.func @training
// CHECK-SAME: {hetu.updates = 0 : i64}
func.func @training(%w: tensor<4xf32> {hetu.trainable}, %g: tensor<4xf32>) -> (tensor<4xf32> {hetu.updates = 0}) {
  // CHECK: hetu.sync_replicas <mean> %{{.*}} : tensor<4xf32>
  %s = hetu.sync_replicas <mean> %g : tensor<4xf32>
  // CHECK: hetu.sgd %{{.*}}, %{{.*}} lr 5.000000e-02 : tensor<4xf32>
  %n = hetu.sgd %w, %s lr 0.05 : tensor<4xf32>
  return %n : tensor<4xf32>
}

// CHECK-LABEL: func.func @momentum
func.func @momentum(%w: tensor<4xf32>, %g: tensor<4xf32>, %v: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  // CHECK: %{{.*}}, %{{.*}} = hetu.momentum %{{.*}}, %{{.*}}, %{{.*}} lr 5.000000e-02 momentum 9.000000e-01 : tensor<4xf32>
  %n, %nv = hetu.momentum %w, %g, %v lr 0.05 momentum 0.9 : tensor<4xf32>
  return %n, %nv : tensor<4xf32>, tensor<4xf32>
}

// CHECK-LABEL: func.func @adam
func.func @adam(%w: tensor<4xf32>, %g: tensor<4xf32>, %m: tensor<4xf32>, %v: tensor<4xf32>, %t: tensor<f32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  // CHECK: hetu.adam %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} step %{{.*}} lr 1.000000e-03 beta1 9.000000e-01 beta2 {{.*}} eps 1.000000e-08 : tensor<4xf32>, tensor<f32>
  %n, %nm, %nv = hetu.adam %w, %g, %m, %v step %t lr 0.001 beta1 0.9 beta2 0.999 eps 1.0e-8 : tensor<4xf32>, tensor<f32>
  // CHECK: hetu.adamw %{{.*}} weight_decay 1.000000e-02 : tensor<4xf32>, tensor<f32>
  %n2, %nm2, %nv2 = hetu.adamw %n, %g, %nm, %nv step %t lr 0.001 beta1 0.9 beta2 0.999 eps 1.0e-8 weight_decay 0.01 : tensor<4xf32>, tensor<f32>
  return %n2, %nm2, %nv2 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}
