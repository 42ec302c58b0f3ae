// Each SPEC section 7 configuration through hetu-partition: every rank's
// program, local shapes, who sends what to whom. The inputs are
// examples/gen_mlp.py's (--config named above each); test/Integration/
// spec7-*.test runs them all with --verify.
// RUN: hetu-opt %s -split-input-file --hetu-deduce-strategy --hetu-infer-states --hetu-partition | FileCheck %s

// --config pipeline3
// 7.1: the activation and the layer-2 weight go to gpu:1, the result to gpu:2,
// and back to the default placement.
// CHECK-LABEL: func.func @mlp__rank0(
// CHECK: hetu.send %{{.*}} to #hetu.device<"gpu:1"> : tensor<16x64xf32>
// CHECK: hetu.send %{{.*}} to #hetu.device<"gpu:1"> : tensor<64x8xf32>
// CHECK: hetu.recv from #hetu.device<"gpu:2"> : tensor<16x8xf32>
// CHECK-LABEL: func.func @mlp__rank1()
// CHECK: linalg.matmul ins({{.*}} : tensor<16x64xf32>, tensor<64x8xf32>)
// CHECK: hetu.send %{{.*}} to #hetu.device<"gpu:2"> : tensor<16x8xf32>
// CHECK-LABEL: func.func @mlp__rank2()
// CHECK: hetu.send %{{.*}} to #hetu.device<"gpu:0"> : tensor<16x8xf32>
module attributes {hetu.default_ctx = #hetu.group<"gpu:0">} {
  func.func @mlp(%x: tensor<16x32xf32>, %w1: tensor<32x64xf32> {hetu.trainable}, %w2: tensor<64x8xf32> {hetu.trainable}) -> tensor<16x8xf32> {
    %zero = arith.constant 0.0 : f32
    %e1 = tensor.empty() : tensor<16x64xf32>
    %z2 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<16x64xf32>) -> tensor<16x64xf32>
    %y3 = linalg.matmul ins(%x, %w1 : tensor<16x32xf32>, tensor<32x64xf32>) outs(%z2 : tensor<16x64xf32>) -> tensor<16x64xf32>
    %e4 = tensor.empty() : tensor<16x64xf32>
    %z5 = linalg.fill ins(%zero : f32) outs(%e4 : tensor<16x64xf32>) -> tensor<16x64xf32>
    %e6 = tensor.empty() : tensor<16x64xf32>
    %r7 = linalg.max ins(%y3, %z5 : tensor<16x64xf32>, tensor<16x64xf32>) outs(%e6 : tensor<16x64xf32>) -> tensor<16x64xf32>
    %e8 = tensor.empty() : tensor<16x8xf32>
    %z9 = linalg.fill {hetu.ctx = #hetu.group<"gpu:1">} ins(%zero : f32) outs(%e8 : tensor<16x8xf32>) -> tensor<16x8xf32>
    %y10 = linalg.matmul {hetu.ctx = #hetu.group<"gpu:1">} ins(%r7, %w2 : tensor<16x64xf32>, tensor<64x8xf32>) outs(%z9 : tensor<16x8xf32>) -> tensor<16x8xf32>
    %e11 = tensor.empty() : tensor<16x8xf32>
    %z12 = linalg.fill {hetu.ctx = #hetu.group<"gpu:2">} ins(%zero : f32) outs(%e11 : tensor<16x8xf32>) -> tensor<16x8xf32>
    %e13 = tensor.empty() : tensor<16x8xf32>
    %r14 = linalg.max {hetu.ctx = #hetu.group<"gpu:2">} ins(%y10, %z12 : tensor<16x8xf32>, tensor<16x8xf32>) outs(%e13 : tensor<16x8xf32>) -> tensor<16x8xf32>
    return %r14 : tensor<16x8xf32>
  }
}

// -----

// --config split-right
// 7.2 right: the whole activation to both tuple devices, a column half of the
// weight to each; gpu:3 assembles the two column halves.
// CHECK-LABEL: func.func @mlp__rank0(
// CHECK-COUNT-2: hetu.send %{{.*}} : tensor<16x64xf32>
// CHECK-COUNT-2: hetu.send %{{.*}} : tensor<64x4xf32>
// CHECK-LABEL: func.func @mlp__rank1()
// CHECK: linalg.matmul ins({{.*}} : tensor<16x64xf32>, tensor<64x4xf32>) outs({{.*}} : tensor<16x4xf32>)
// CHECK-LABEL: func.func @mlp__rank3()
// CHECK: tensor.insert_slice {{.*}}[0, 0] [16, 4]
// CHECK: tensor.insert_slice {{.*}}[0, 4] [16, 4]
module attributes {hetu.default_ctx = #hetu.group<"gpu:0">} {
  func.func @mlp(%x: tensor<16x32xf32>, %w1: tensor<32x64xf32> {hetu.trainable}, %w2: tensor<64x8xf32> {hetu.trainable}) -> tensor<16x8xf32> {
    %zero = arith.constant 0.0 : f32
    %e1 = tensor.empty() : tensor<16x64xf32>
    %z2 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<16x64xf32>) -> tensor<16x64xf32>
    %y3 = linalg.matmul ins(%x, %w1 : tensor<16x32xf32>, tensor<32x64xf32>) outs(%z2 : tensor<16x64xf32>) -> tensor<16x64xf32>
    %e4 = tensor.empty() : tensor<16x64xf32>
    %z5 = linalg.fill ins(%zero : f32) outs(%e4 : tensor<16x64xf32>) -> tensor<16x64xf32>
    %e6 = tensor.empty() : tensor<16x64xf32>
    %r7 = linalg.max ins(%y3, %z5 : tensor<16x64xf32>, tensor<16x64xf32>) outs(%e6 : tensor<16x64xf32>) -> tensor<16x64xf32>
    %d8 = hetu.dispatch %r7 to #hetu.states<[1, 1], duplicate = 2> on #hetu.group<"(gpu:1,gpu:2)"> : tensor<16x64xf32>
    %d9 = hetu.dispatch %w2 to #hetu.states<[1, 2]> on #hetu.group<"(gpu:1,gpu:2)"> : tensor<64x8xf32>
    %e10 = tensor.empty() : tensor<16x8xf32>
    %z11 = linalg.fill {hetu.ctx = #hetu.group<"(gpu:1,gpu:2)">} ins(%zero : f32) outs(%e10 : tensor<16x8xf32>) -> tensor<16x8xf32>
    %y12 = linalg.matmul {hetu.ctx = #hetu.group<"(gpu:1,gpu:2)">} ins(%d8, %d9 : tensor<16x64xf32>, tensor<64x8xf32>) outs(%z11 : tensor<16x8xf32>) -> tensor<16x8xf32>
    %d13 = hetu.dispatch %y12 to #hetu.states<[1, 1]> on #hetu.group<"gpu:3"> : tensor<16x8xf32>
    %e14 = tensor.empty() : tensor<16x8xf32>
    %z15 = linalg.fill {hetu.ctx = #hetu.group<"gpu:3">} ins(%zero : f32) outs(%e14 : tensor<16x8xf32>) -> tensor<16x8xf32>
    %e16 = tensor.empty() : tensor<16x8xf32>
    %r17 = linalg.max {hetu.ctx = #hetu.group<"gpu:3">} ins(%d13, %z15 : tensor<16x8xf32>, tensor<16x8xf32>) outs(%e16 : tensor<16x8xf32>) -> tensor<16x8xf32>
    return %r17 : tensor<16x8xf32>
  }
}

// -----

// --config mp1
// 7.3 split 1 ([2,2] x [2,1] dup 2 on 4 devices): 8x32 activation tiles and
// 32x8 weight tiles; gpu:4 assembles each of the two partial copies from
// two row blocks and adds them once.
// CHECK-LABEL: func.func @mlp__rank0()
// CHECK: linalg.matmul ins({{.*}} : tensor<8x32xf32>, tensor<32x8xf32>) outs({{.*}} : tensor<8x8xf32>)
// CHECK-LABEL: func.func @mlp__rank4(
// CHECK-COUNT-4: hetu.send %{{.*}} : tensor<8x32xf32>
// CHECK-COUNT-4: hetu.send %{{.*}} : tensor<32x8xf32>
// CHECK-COUNT-4: hetu.recv {{.*}} : tensor<8x8xf32>
// CHECK: linalg.add
// CHECK-NOT: linalg.add
module attributes {hetu.default_ctx = #hetu.group<"gpu:4">} {
  func.func @mlp(%x: tensor<16x32xf32>, %w1: tensor<32x64xf32> {hetu.trainable}, %w2: tensor<64x8xf32> {hetu.trainable}) -> tensor<16x8xf32> {
    %zero = arith.constant 0.0 : f32
    %e1 = tensor.empty() : tensor<16x64xf32>
    %z2 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<16x64xf32>) -> tensor<16x64xf32>
    %y3 = linalg.matmul ins(%x, %w1 : tensor<16x32xf32>, tensor<32x64xf32>) outs(%z2 : tensor<16x64xf32>) -> tensor<16x64xf32>
    %e4 = tensor.empty() : tensor<16x64xf32>
    %z5 = linalg.fill ins(%zero : f32) outs(%e4 : tensor<16x64xf32>) -> tensor<16x64xf32>
    %e6 = tensor.empty() : tensor<16x64xf32>
    %r7 = linalg.max ins(%y3, %z5 : tensor<16x64xf32>, tensor<16x64xf32>) outs(%e6 : tensor<16x64xf32>) -> tensor<16x64xf32>
    %d8 = hetu.dispatch %r7 to #hetu.states<[2, 2]> on #hetu.group<"(gpu:0,gpu:1,gpu:2,gpu:3)"> : tensor<16x64xf32>
    %d9 = hetu.dispatch %w2 to #hetu.states<[2, 1], duplicate = 2> on #hetu.group<"(gpu:0,gpu:1,gpu:2,gpu:3)"> : tensor<64x8xf32>
    %e10 = tensor.empty() : tensor<16x8xf32>
    %z11 = linalg.fill {hetu.ctx = #hetu.group<"(gpu:0,gpu:1,gpu:2,gpu:3)">} ins(%zero : f32) outs(%e10 : tensor<16x8xf32>) -> tensor<16x8xf32>
    %y12 = linalg.matmul {hetu.ctx = #hetu.group<"(gpu:0,gpu:1,gpu:2,gpu:3)">} ins(%d8, %d9 : tensor<16x64xf32>, tensor<64x8xf32>) outs(%z11 : tensor<16x8xf32>) -> tensor<16x8xf32>
    %d13 = hetu.dispatch %y12 to #hetu.states<[1, 1]> on #hetu.group<"gpu:4"> : tensor<16x8xf32>
    return %d13 : tensor<16x8xf32>
  }
}

// -----

// --config mp5
// 7.3 split 5 ([1,4] x [4,1]): four partial sums of the whole output.
// CHECK-LABEL: func.func @mlp__rank0()
// CHECK: linalg.matmul ins({{.*}} : tensor<16x16xf32>, tensor<16x8xf32>) outs({{.*}} : tensor<16x8xf32>)
// CHECK-LABEL: func.func @mlp__rank4(
// CHECK-COUNT-3: linalg.add
module attributes {hetu.default_ctx = #hetu.group<"gpu:4">} {
  func.func @mlp(%x: tensor<16x32xf32>, %w1: tensor<32x64xf32> {hetu.trainable}, %w2: tensor<64x8xf32> {hetu.trainable}) -> tensor<16x8xf32> {
    %zero = arith.constant 0.0 : f32
    %e1 = tensor.empty() : tensor<16x64xf32>
    %z2 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<16x64xf32>) -> tensor<16x64xf32>
    %y3 = linalg.matmul ins(%x, %w1 : tensor<16x32xf32>, tensor<32x64xf32>) outs(%z2 : tensor<16x64xf32>) -> tensor<16x64xf32>
    %e4 = tensor.empty() : tensor<16x64xf32>
    %z5 = linalg.fill ins(%zero : f32) outs(%e4 : tensor<16x64xf32>) -> tensor<16x64xf32>
    %e6 = tensor.empty() : tensor<16x64xf32>
    %r7 = linalg.max ins(%y3, %z5 : tensor<16x64xf32>, tensor<16x64xf32>) outs(%e6 : tensor<16x64xf32>) -> tensor<16x64xf32>
    %d8 = hetu.dispatch %r7 to #hetu.states<[1, 4]> on #hetu.group<"(gpu:0,gpu:1,gpu:2,gpu:3)"> : tensor<16x64xf32>
    %d9 = hetu.dispatch %w2 to #hetu.states<[4, 1]> on #hetu.group<"(gpu:0,gpu:1,gpu:2,gpu:3)"> : tensor<64x8xf32>
    %e10 = tensor.empty() : tensor<16x8xf32>
    %z11 = linalg.fill {hetu.ctx = #hetu.group<"(gpu:0,gpu:1,gpu:2,gpu:3)">} ins(%zero : f32) outs(%e10 : tensor<16x8xf32>) -> tensor<16x8xf32>
    %y12 = linalg.matmul {hetu.ctx = #hetu.group<"(gpu:0,gpu:1,gpu:2,gpu:3)">} ins(%d8, %d9 : tensor<16x64xf32>, tensor<64x8xf32>) outs(%z11 : tensor<16x8xf32>) -> tensor<16x8xf32>
    %d13 = hetu.dispatch %y12 to #hetu.states<[1, 1]> on #hetu.group<"gpu:4"> : tensor<16x8xf32>
    return %d13 : tensor<16x8xf32>
  }
}

// -----

// --config data-pipeline
// 7.4: replica 0 flows gpu:0 -> gpu:1 -> gpu:2 -> gpu:3, replica 1 gpu:4 ->
// gpu:5 -> gpu:6 -> gpu:7.
// CHECK-LABEL: func.func @mlp__rank0(
// CHECK: hetu.send %{{.*}} to #hetu.device<"gpu:1">
// CHECK-LABEL: func.func @mlp__rank4(
// CHECK: hetu.send %{{.*}} to #hetu.device<"gpu:5">
// CHECK-LABEL: func.func @mlp__rank6()
// CHECK: hetu.recv from #hetu.device<"gpu:5">
module attributes {hetu.default_ctx = #hetu.group<"gpu:0,gpu:4">} {
  func.func @mlp(%x: tensor<16x32xf32>, %w1: tensor<32x64xf32> {hetu.trainable}, %w2: tensor<64x8xf32> {hetu.trainable}) -> tensor<16x8xf32> {
    %zero = arith.constant 0.0 : f32
    %e1 = tensor.empty() : tensor<16x64xf32>
    %z2 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<16x64xf32>) -> tensor<16x64xf32>
    %y3 = linalg.matmul ins(%x, %w1 : tensor<16x32xf32>, tensor<32x64xf32>) outs(%z2 : tensor<16x64xf32>) -> tensor<16x64xf32>
    %e4 = tensor.empty() : tensor<16x64xf32>
    %z5 = linalg.fill {hetu.ctx = #hetu.group<"gpu:1,gpu:5">} ins(%zero : f32) outs(%e4 : tensor<16x64xf32>) -> tensor<16x64xf32>
    %e6 = tensor.empty() : tensor<16x64xf32>
    %r7 = linalg.max {hetu.ctx = #hetu.group<"gpu:1,gpu:5">} ins(%y3, %z5 : tensor<16x64xf32>, tensor<16x64xf32>) outs(%e6 : tensor<16x64xf32>) -> tensor<16x64xf32>
    %e8 = tensor.empty() : tensor<16x8xf32>
    %z9 = linalg.fill {hetu.ctx = #hetu.group<"gpu:2,gpu:6">} ins(%zero : f32) outs(%e8 : tensor<16x8xf32>) -> tensor<16x8xf32>
    %y10 = linalg.matmul {hetu.ctx = #hetu.group<"gpu:2,gpu:6">} ins(%r7, %w2 : tensor<16x64xf32>, tensor<64x8xf32>) outs(%z9 : tensor<16x8xf32>) -> tensor<16x8xf32>
    %e11 = tensor.empty() : tensor<16x8xf32>
    %z12 = linalg.fill {hetu.ctx = #hetu.group<"gpu:3,gpu:7">} ins(%zero : f32) outs(%e11 : tensor<16x8xf32>) -> tensor<16x8xf32>
    %e13 = tensor.empty() : tensor<16x8xf32>
    %r14 = linalg.max {hetu.ctx = #hetu.group<"gpu:3,gpu:7">} ins(%y10, %z12 : tensor<16x8xf32>, tensor<16x8xf32>) outs(%e13 : tensor<16x8xf32>) -> tensor<16x8xf32>
    return %r14 : tensor<16x8xf32>
  }
}

// -----

// --config dmp-middle
// 7.5 middle: each replica's first stage feeds its own tuple.
// CHECK-LABEL: func.func @mlp__rank0(
// CHECK: hetu.send %{{.*}} to #hetu.device<"gpu:1"> : tensor<16x32xf32>
// CHECK: hetu.send %{{.*}} to #hetu.device<"gpu:2"> : tensor<16x32xf32>
// CHECK-LABEL: func.func @mlp__rank3()
// CHECK: hetu.recv from #hetu.device<"gpu:1"> : tensor<16x8xf32>
// CHECK: hetu.recv from #hetu.device<"gpu:2"> : tensor<16x8xf32>
// CHECK: linalg.add
// CHECK-LABEL: func.func @mlp__rank4(
// CHECK: hetu.send %{{.*}} to #hetu.device<"gpu:5"> : tensor<16x32xf32>
// CHECK: hetu.send %{{.*}} to #hetu.device<"gpu:6"> : tensor<16x32xf32>
module attributes {hetu.default_ctx = #hetu.group<"gpu:0,gpu:4">} {
  func.func @mlp(%x: tensor<16x32xf32>, %w1: tensor<32x64xf32> {hetu.trainable}, %w2: tensor<64x8xf32> {hetu.trainable}) -> tensor<16x8xf32> {
    %zero = arith.constant 0.0 : f32
    %e1 = tensor.empty() : tensor<16x64xf32>
    %z2 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<16x64xf32>) -> tensor<16x64xf32>
    %y3 = linalg.matmul ins(%x, %w1 : tensor<16x32xf32>, tensor<32x64xf32>) outs(%z2 : tensor<16x64xf32>) -> tensor<16x64xf32>
    %e4 = tensor.empty() : tensor<16x64xf32>
    %z5 = linalg.fill ins(%zero : f32) outs(%e4 : tensor<16x64xf32>) -> tensor<16x64xf32>
    %e6 = tensor.empty() : tensor<16x64xf32>
    %r7 = linalg.max ins(%y3, %z5 : tensor<16x64xf32>, tensor<16x64xf32>) outs(%e6 : tensor<16x64xf32>) -> tensor<16x64xf32>
    %d8 = hetu.dispatch %r7 to #hetu.states<[1, 2]> on #hetu.group<"(gpu:1,gpu:2),(gpu:5,gpu:6)"> : tensor<16x64xf32>
    %d9 = hetu.dispatch %w2 to #hetu.states<[2, 1]> on #hetu.group<"(gpu:1,gpu:2),(gpu:5,gpu:6)"> : tensor<64x8xf32>
    %e10 = tensor.empty() : tensor<16x8xf32>
    %z11 = linalg.fill {hetu.ctx = #hetu.group<"(gpu:1,gpu:2),(gpu:5,gpu:6)">} ins(%zero : f32) outs(%e10 : tensor<16x8xf32>) -> tensor<16x8xf32>
    %y12 = linalg.matmul {hetu.ctx = #hetu.group<"(gpu:1,gpu:2),(gpu:5,gpu:6)">} ins(%d8, %d9 : tensor<16x64xf32>, tensor<64x8xf32>) outs(%z11 : tensor<16x8xf32>) -> tensor<16x8xf32>
    %d13 = hetu.dispatch %y12 to #hetu.states<[1, 1]> on #hetu.group<"gpu:3,gpu:7"> : tensor<16x8xf32>
    %e14 = tensor.empty() : tensor<16x8xf32>
    %z15 = linalg.fill {hetu.ctx = #hetu.group<"gpu:3,gpu:7">} ins(%zero : f32) outs(%e14 : tensor<16x8xf32>) -> tensor<16x8xf32>
    %e16 = tensor.empty() : tensor<16x8xf32>
    %r17 = linalg.max {hetu.ctx = #hetu.group<"gpu:3,gpu:7">} ins(%d13, %z15 : tensor<16x8xf32>, tensor<16x8xf32>) outs(%e16 : tensor<16x8xf32>) -> tensor<16x8xf32>
    return %r17 : tensor<16x8xf32>
  }
}

// -----

// --config ps
// 7.6: four data-parallel workers need no communication in the forward pass;
// the server (cpu:0, the last rank) gets an empty program.
// CHECK-LABEL: func.func @mlp__rank0(
// CHECK-NOT: hetu.send
// CHECK-LABEL: func.func @mlp__rank4() attributes {hetu.device = #hetu.device<"cpu:0">
// CHECK-NEXT: return
module attributes {hetu.default_ctx = #hetu.group<"cpu:0,gpu:0,gpu:1,gpu:4,gpu:5">} {
  func.func @mlp(%x: tensor<16x32xf32>, %w1: tensor<32x64xf32> {hetu.trainable}, %w2: tensor<64x8xf32> {hetu.trainable}) -> tensor<16x8xf32> {
    %zero = arith.constant 0.0 : f32
    %e1 = tensor.empty() : tensor<16x64xf32>
    %z2 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<16x64xf32>) -> tensor<16x64xf32>
    %y3 = linalg.matmul ins(%x, %w1 : tensor<16x32xf32>, tensor<32x64xf32>) outs(%z2 : tensor<16x64xf32>) -> tensor<16x64xf32>
    %e4 = tensor.empty() : tensor<16x64xf32>
    %z5 = linalg.fill ins(%zero : f32) outs(%e4 : tensor<16x64xf32>) -> tensor<16x64xf32>
    %e6 = tensor.empty() : tensor<16x64xf32>
    %r7 = linalg.max ins(%y3, %z5 : tensor<16x64xf32>, tensor<16x64xf32>) outs(%e6 : tensor<16x64xf32>) -> tensor<16x64xf32>
    %e8 = tensor.empty() : tensor<16x8xf32>
    %z9 = linalg.fill ins(%zero : f32) outs(%e8 : tensor<16x8xf32>) -> tensor<16x8xf32>
    %y10 = linalg.matmul ins(%r7, %w2 : tensor<16x64xf32>, tensor<64x8xf32>) outs(%z9 : tensor<16x8xf32>) -> tensor<16x8xf32>
    %e11 = tensor.empty() : tensor<16x8xf32>
    %z12 = linalg.fill ins(%zero : f32) outs(%e11 : tensor<16x8xf32>) -> tensor<16x8xf32>
    %e13 = tensor.empty() : tensor<16x8xf32>
    %r14 = linalg.max ins(%y10, %z12 : tensor<16x8xf32>, tensor<16x8xf32>) outs(%e13 : tensor<16x8xf32>) -> tensor<16x8xf32>
    return %r14 : tensor<16x8xf32>
  }
}

// -----

// --config reversed
// 7.7: rows 0-7 go to gpu:3 (position 0 of (gpu:3,gpu:2)) from copy 0 of the
// replicated activation (gpu:0), rows 8-15 to gpu:2 from copy 1 (gpu:1).
// CHECK-LABEL: func.func @mlp__rank0(
// CHECK: tensor.extract_slice %{{.*}}[0, 0] [8, 64]
// CHECK: hetu.send %{{.*}} to #hetu.device<"gpu:3"> : tensor<8x64xf32>
// CHECK-LABEL: func.func @mlp__rank1(
// CHECK: tensor.extract_slice %{{.*}}[8, 0] [8, 64]
// CHECK: hetu.send %{{.*}} to #hetu.device<"gpu:2"> : tensor<8x64xf32>
module attributes {hetu.default_ctx = #hetu.group<"(gpu:0,gpu:1)">} {
  func.func @mlp(%x: tensor<16x32xf32>, %w1: tensor<32x64xf32> {hetu.trainable}, %w2: tensor<64x8xf32> {hetu.trainable}) -> tensor<16x8xf32> {
    %zero = arith.constant 0.0 : f32
    %e1 = tensor.empty() : tensor<16x64xf32>
    %z2 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<16x64xf32>) -> tensor<16x64xf32>
    %y3 = linalg.matmul ins(%x, %w1 : tensor<16x32xf32>, tensor<32x64xf32>) outs(%z2 : tensor<16x64xf32>) -> tensor<16x64xf32>
    %e4 = tensor.empty() : tensor<16x64xf32>
    %z5 = linalg.fill ins(%zero : f32) outs(%e4 : tensor<16x64xf32>) -> tensor<16x64xf32>
    %e6 = tensor.empty() : tensor<16x64xf32>
    %r7 = linalg.max ins(%y3, %z5 : tensor<16x64xf32>, tensor<16x64xf32>) outs(%e6 : tensor<16x64xf32>) -> tensor<16x64xf32>
    %d8 = hetu.dispatch %r7 to #hetu.states<[2, 1]> on #hetu.group<"(gpu:3,gpu:2)"> : tensor<16x64xf32>
    %d9 = hetu.dispatch %w2 to #hetu.states<[1, 1], duplicate = 2> on #hetu.group<"(gpu:3,gpu:2)"> : tensor<64x8xf32>
    %e10 = tensor.empty() : tensor<16x8xf32>
    %z11 = linalg.fill {hetu.ctx = #hetu.group<"(gpu:3,gpu:2)">} ins(%zero : f32) outs(%e10 : tensor<16x8xf32>) -> tensor<16x8xf32>
    %y12 = linalg.matmul {hetu.ctx = #hetu.group<"(gpu:3,gpu:2)">} ins(%d8, %d9 : tensor<16x64xf32>, tensor<64x8xf32>) outs(%z11 : tensor<16x8xf32>) -> tensor<16x8xf32>
    %e13 = tensor.empty() : tensor<16x8xf32>
    %z14 = linalg.fill {hetu.ctx = #hetu.group<"(gpu:3,gpu:2)">} ins(%zero : f32) outs(%e13 : tensor<16x8xf32>) -> tensor<16x8xf32>
    %e15 = tensor.empty() : tensor<16x8xf32>
    %r16 = linalg.max {hetu.ctx = #hetu.group<"(gpu:3,gpu:2)">} ins(%y12, %z14 : tensor<16x8xf32>, tensor<16x8xf32>) outs(%e15 : tensor<16x8xf32>) -> tensor<16x8xf32>
    return %r16 : tensor<16x8xf32>
  }
}
