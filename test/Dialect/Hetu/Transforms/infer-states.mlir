// RUN: hetu-opt %s -split-input-file -hetu-infer-states | FileCheck %s

// Device k of a worker holds, for states with order [e0, e1, ...], the
// mixed-radix digits of k over the extents of e0, e1, ... (last fastest).
// Each case below works the device -> tile map out by hand.

// SPEC 7.2 / Hetu test_model_mlp --split left, on the tuple (gpu:1,gpu:2):
// activation rows split [2,1] (device k: rows block k), weight replicated.
// The matmul loops (i, j, k): i pinned to block k by the activation, j and
// the reduction k unsplit -> output [2,1], no partial.
// CHECK-LABEL: func.func @left
#T = #hetu.group<"(gpu:1,gpu:2)">
module attributes {hetu.default_ctx = #hetu.group<"gpu:0">} {
  func.func @left(%x: tensor<16x64xf32>, %w: tensor<64x8xf32> {hetu.trainable}) -> tensor<16x8xf32> {
    // Function arguments are replicated on their (single-device) workers.
    // CHECK: hetu.dispatch {{.*}}hetu.states = [#hetu.states<[2, 1]>]
    %a = hetu.dispatch %x to #hetu.states<[2, 1]> on #T : tensor<16x64xf32>
    // CHECK: hetu.dispatch {{.*}}hetu.states = [#hetu.states<[1, 1], duplicate = 2>]
    %b = hetu.dispatch %w to #hetu.states<[1, 1], duplicate = 2> on #T : tensor<64x8xf32>
    // The init is rematerialised in the matmul's states.
    // CHECK: tensor.empty() {hetu.states = [#hetu.states<[2, 1]>]}
    %e = tensor.empty() : tensor<16x8xf32>
    // CHECK: linalg.matmul {{.*}}hetu.states = [#hetu.states<[2, 1]>]
    %y = linalg.matmul {hetu.ctx = #T} ins(%a, %b : tensor<16x64xf32>, tensor<64x8xf32>)
                       outs(%e : tensor<16x8xf32>) -> tensor<16x8xf32>
    // CHECK: hetu.dispatch {{.*}}hetu.states = [#hetu.states<[1, 1]>]
    %r = hetu.dispatch %y to #hetu.states<[1, 1]> on #hetu.group<"gpu:3"> : tensor<16x8xf32>
    return %r : tensor<16x8xf32>
  }
}

// -----

// --split right: activation replicated, weight columns split [1,2]: loop j
// pinned to block k -> output [1,2].
// CHECK-LABEL: func.func @right
#T = #hetu.group<"(gpu:1,gpu:2)">
module attributes {hetu.default_ctx = #hetu.group<"gpu:0">} {
  func.func @right(%x: tensor<16x64xf32>, %w: tensor<64x8xf32>) -> tensor<16x8xf32> {
    %a = hetu.dispatch %x to #hetu.states<[1, 1], duplicate = 2> on #T : tensor<16x64xf32>
    %b = hetu.dispatch %w to #hetu.states<[1, 2]> on #T : tensor<64x8xf32>
    %e = tensor.empty() : tensor<16x8xf32>
    // CHECK: linalg.matmul {{.*}}hetu.states = [#hetu.states<[1, 2]>]
    %y = linalg.matmul {hetu.ctx = #T} ins(%a, %b : tensor<16x64xf32>, tensor<64x8xf32>)
                       outs(%e : tensor<16x8xf32>) -> tensor<16x8xf32>
    return %y : tensor<16x8xf32>
  }
}

// -----

// --split middle: activation columns [1,2] and weight rows [2,1] both pin the
// reduction loop k to block k of 2 -> each device holds a partial sum of the
// whole output: [1,1] partial 2. The zero init is filled whole on both
// devices (duplicate 2); keeping it on one partial copy only is a transition
// hetu-partition inserts.
// CHECK-LABEL: func.func @middle
#T = #hetu.group<"(gpu:1,gpu:2)">
module attributes {hetu.default_ctx = #hetu.group<"gpu:0">} {
  func.func @middle(%x: tensor<16x64xf32>, %w: tensor<64x8xf32>) -> tensor<16x8xf32> {
    %zero = arith.constant 0.0 : f32
    %a = hetu.dispatch %x to #hetu.states<[1, 2]> on #T : tensor<16x64xf32>
    %b = hetu.dispatch %w to #hetu.states<[2, 1]> on #T : tensor<64x8xf32>
    // CHECK: arith.constant {hetu.states = [#hetu.states<[], duplicate = 2>]}
    // CHECK: tensor.empty() {hetu.states = [#hetu.states<[1, 1], duplicate = 2>]}
    %e = tensor.empty() : tensor<16x8xf32>
    // CHECK: linalg.fill {{.*}}hetu.states = [#hetu.states<[1, 1], duplicate = 2>]
    %z = linalg.fill {hetu.ctx = #T} ins(%zero : f32) outs(%e : tensor<16x8xf32>) -> tensor<16x8xf32>
    // CHECK: linalg.matmul {{.*}}hetu.states = [#hetu.states<[1, 1], partial = 2>]
    %y = linalg.matmul {hetu.ctx = #T} ins(%a, %b : tensor<16x64xf32>, tensor<64x8xf32>)
                       outs(%z : tensor<16x8xf32>) -> tensor<16x8xf32>
    // Back on one device the value is whole again.
    // CHECK: hetu.dispatch {{.*}}hetu.states = [#hetu.states<[1, 1]>]
    %r = hetu.dispatch %y to #hetu.states<[1, 1]> on #hetu.group<"gpu:3"> : tensor<16x8xf32>
    return %r : tensor<16x8xf32>
  }
}

// -----

// SPEC 7.3 / Hetu test_mlp_mp on a tuple of 4 devices.
// CHECK-LABEL: func.func @mlp_mp
#T4 = #hetu.group<"(gpu:0,gpu:1,gpu:2,gpu:3)">
module attributes {hetu.default_ctx = #hetu.group<"gpu:4">} {
  func.func @mlp_mp(%x: tensor<16x32xf32>, %w: tensor<32x64xf32>, %z: tensor<16x64xf32>)
      -> (tensor<16x64xf32>, tensor<16x64xf32>, tensor<16x64xf32>, tensor<16x64xf32>, tensor<16x64xf32>, tensor<16x64xf32>) {
    // Split 0, [4,1] x [1,1] dup 4: rows block k on device k -> [4,1].
    // CHECK: linalg.matmul {{.*}}hetu.states = [#hetu.states<[4, 1]>]
    %a0 = hetu.dispatch %x to #hetu.states<[4, 1]> on #T4 : tensor<16x32xf32>
    %b0 = hetu.dispatch %w to #hetu.states<[1, 1], duplicate = 4> on #T4 : tensor<32x64xf32>
    %y0 = linalg.matmul {hetu.ctx = #T4} ins(%a0, %b0 : tensor<16x32xf32>, tensor<32x64xf32>) outs(%z : tensor<16x64xf32>) -> tensor<16x64xf32>

    // Split 1, [2,2] x [2,1] dup 2. Activation (order [0, 1]): device k has
    // i = k/2, k-loop = k%2. Weight (order [-1, 0, 1]): copy k/2, k-loop = k%2:
    // the k-loops agree. Output: i = k/2 (2 blocks), partial index k%2 (the
    // k-loop block): partial outer-to-inner after rows -> order [0, -2, 1].
    // CHECK: linalg.matmul {{.*}}hetu.states = [#hetu.states<[2, 1], partial = 2, order = [0, -2, 1]>]
    %a1 = hetu.dispatch %x to #hetu.states<[2, 2]> on #T4 : tensor<16x32xf32>
    %b1 = hetu.dispatch %w to #hetu.states<[2, 1], duplicate = 2> on #T4 : tensor<32x64xf32>
    %y1 = linalg.matmul {hetu.ctx = #T4} ins(%a1, %b1 : tensor<16x32xf32>, tensor<32x64xf32>) outs(%z : tensor<16x64xf32>) -> tensor<16x64xf32>

    // Split 2, [2,1] dup 2 x [1,2] dup 2. Activation (default order [-1, 0, 1]):
    // i = k%2. For the tiles to line up the weight's column block must vary
    // with the copy index: order [1, -1, 0] gives j = k/2. Device k computes
    // tile (k%2, k/2): all four tiles, dim 0 fastest -> [2,2] order [1, 0],
    // no partial, no duplicate (Hetu V0's gcd rule would say duplicate 2).
    // CHECK: linalg.matmul {{.*}}hetu.states = [#hetu.states<[2, 2], order = [1, 0]>]
    %a2 = hetu.dispatch %x to #hetu.states<[2, 1], duplicate = 2> on #T4 : tensor<16x32xf32>
    %b2 = hetu.dispatch %w to #hetu.states<[1, 2], duplicate = 2, order = [1, -1, 0]> on #T4 : tensor<32x64xf32>
    %y2 = linalg.matmul {hetu.ctx = #T4} ins(%a2, %b2 : tensor<16x32xf32>, tensor<32x64xf32>) outs(%z : tensor<16x64xf32>) -> tensor<16x64xf32>

    // Split 3, [1,2] dup 2 x [2,2]. Activation: k-loop = k%2. Weight with
    // order [1, 0]: j = k/2, k-loop = k%2 (agrees). Output: j = k/2, partial
    // index k%2 -> [1,2] partial 2, order [1, 0, -2].
    // CHECK: linalg.matmul {{.*}}hetu.states = [#hetu.states<[1, 2], partial = 2, order = [1, 0, -2]>]
    %a3 = hetu.dispatch %x to #hetu.states<[1, 2], duplicate = 2> on #T4 : tensor<16x32xf32>
    %b3 = hetu.dispatch %w to #hetu.states<[2, 2], order = [1, 0]> on #T4 : tensor<32x64xf32>
    %y3 = linalg.matmul {hetu.ctx = #T4} ins(%a3, %b3 : tensor<16x32xf32>, tensor<32x64xf32>) outs(%z : tensor<16x64xf32>) -> tensor<16x64xf32>

    // Split 4, [1,1] dup 4 x [1,4]: columns block k -> [1,4].
    // CHECK: linalg.matmul {{.*}}hetu.states = [#hetu.states<[1, 4]>]
    %a4 = hetu.dispatch %x to #hetu.states<[1, 1], duplicate = 4> on #T4 : tensor<16x32xf32>
    %b4 = hetu.dispatch %w to #hetu.states<[1, 4]> on #T4 : tensor<32x64xf32>
    %y4 = linalg.matmul {hetu.ctx = #T4} ins(%a4, %b4 : tensor<16x32xf32>, tensor<32x64xf32>) outs(%z : tensor<16x64xf32>) -> tensor<16x64xf32>

    // Split 5, [1,4] x [4,1]: k-loop block k on device k -> 4 partial sums.
    // CHECK: linalg.matmul {{.*}}hetu.states = [#hetu.states<[1, 1], partial = 4>]
    %a5 = hetu.dispatch %x to #hetu.states<[1, 4]> on #T4 : tensor<16x32xf32>
    %b5 = hetu.dispatch %w to #hetu.states<[4, 1]> on #T4 : tensor<32x64xf32>
    %y5 = linalg.matmul {hetu.ctx = #T4} ins(%a5, %b5 : tensor<16x32xf32>, tensor<32x64xf32>) outs(%z : tensor<16x64xf32>) -> tensor<16x64xf32>
    return %y0, %y1, %y2, %y3, %y4, %y5 : tensor<16x64xf32>, tensor<16x64xf32>, tensor<16x64xf32>, tensor<16x64xf32>, tensor<16x64xf32>, tensor<16x64xf32>
  }
}

// -----

// test_mlp_mp --split2: two model-parallel layers back to back. Layer 1 is
// split 1 above: [2,1] partial 2 order [0, -2, 1]. The relu reads it reduced:
// the partial copies become duplicates on the same devices (rows k/2, copy
// k%2: [2,1] dup 2 order [0, -1, 1]). Layer 2's weight [1,2] (default order
// [-1, 0, 1]: j = k%2) with rows i = k/2 gives every tile once: [2,2].
// CHECK-LABEL: func.func @two_layers
#T4 = #hetu.group<"(gpu:0,gpu:1,gpu:2,gpu:3)">
module attributes {hetu.default_ctx = #hetu.group<"gpu:4">} {
  func.func @two_layers(%x: tensor<16x32xf32>, %w1: tensor<32x64xf32>, %w2: tensor<64x8xf32>) -> tensor<16x8xf32> {
    %zero = arith.constant 0.0 : f32
    %a = hetu.dispatch %x to #hetu.states<[2, 2]> on #T4 : tensor<16x32xf32>
    %b = hetu.dispatch %w1 to #hetu.states<[2, 1], duplicate = 2> on #T4 : tensor<32x64xf32>
    %e1 = tensor.empty() : tensor<16x64xf32>
    %h = linalg.matmul {hetu.ctx = #T4} ins(%a, %b : tensor<16x32xf32>, tensor<32x64xf32>) outs(%e1 : tensor<16x64xf32>) -> tensor<16x64xf32>
    // CHECK: linalg.matmul {{.*}}hetu.states = [#hetu.states<[2, 1], partial = 2, order = [0, -2, 1]>]
    // The zeros of the relu take the reduced states of its other operand.
    // CHECK: linalg.fill {{.*}}hetu.states = [#hetu.states<[2, 1], duplicate = 2, order = [0, -1, 1]>]
    %e2 = tensor.empty() : tensor<16x64xf32>
    %z = linalg.fill {hetu.ctx = #T4} ins(%zero : f32) outs(%e2 : tensor<16x64xf32>) -> tensor<16x64xf32>
    // CHECK: linalg.max {{.*}}hetu.states = [#hetu.states<[2, 1], duplicate = 2, order = [0, -1, 1]>]
    %r = linalg.max {hetu.ctx = #T4} ins(%h, %z : tensor<16x64xf32>, tensor<16x64xf32>) outs(%e2 : tensor<16x64xf32>) -> tensor<16x64xf32>
    %c = hetu.dispatch %w2 to #hetu.states<[1, 2], duplicate = 2> on #T4 : tensor<64x8xf32>
    %e3 = tensor.empty() : tensor<16x8xf32>
    // CHECK: linalg.matmul {{.*}}hetu.states = [#hetu.states<[2, 2]>]
    %y = linalg.matmul {hetu.ctx = #T4} ins(%r, %c : tensor<16x64xf32>, tensor<64x8xf32>) outs(%e3 : tensor<16x8xf32>) -> tensor<16x8xf32>
    return %y : tensor<16x8xf32>
  }
}

// -----

// SPEC 7.1, a 3-stage pipeline: one device per stage, everything whole.
// CHECK-LABEL: func.func @pipeline
module attributes {hetu.default_ctx = #hetu.group<"gpu:0">} {
  func.func @pipeline(%x: tensor<16x32xf32>, %w1: tensor<32x64xf32>, %w2: tensor<64x8xf32>) -> tensor<16x8xf32> {
    %e1 = tensor.empty() : tensor<16x64xf32>
    // CHECK: linalg.matmul {{.*}}hetu.states = [#hetu.states<[1, 1]>]
    %h = linalg.matmul ins(%x, %w1 : tensor<16x32xf32>, tensor<32x64xf32>) outs(%e1 : tensor<16x64xf32>) -> tensor<16x64xf32>
    %e2 = tensor.empty() : tensor<16x8xf32>
    // CHECK: linalg.matmul {{.*}}hetu.states = [#hetu.states<[1, 1]>]
    %y = linalg.matmul {hetu.ctx = #hetu.group<"gpu:1">} ins(%h, %w2 : tensor<16x64xf32>, tensor<64x8xf32>) outs(%e2 : tensor<16x8xf32>) -> tensor<16x8xf32>
    // CHECK: math.tanh {{.*}}hetu.states = [#hetu.states<[1, 1]>]
    %t = math.tanh %y {hetu.ctx = #hetu.group<"gpu:2">} : tensor<16x8xf32>
    return %t : tensor<16x8xf32>
  }
}

// -----

// SPEC 7.5: data + model + pipeline. States describe one replica: the same
// as the "left" split for both replicas (gpu:1,gpu:2) and (gpu:5,gpu:6).
// CHECK-LABEL: func.func @dmp
#T = #hetu.group<"(gpu:1,gpu:2),(gpu:5,gpu:6)">
module attributes {hetu.default_ctx = #hetu.group<"gpu:0,gpu:4">} {
  func.func @dmp(%x: tensor<16x64xf32>, %w: tensor<64x8xf32> {hetu.trainable}) -> tensor<16x8xf32> {
    %a = hetu.dispatch %x to #hetu.states<[2, 1]> on #T : tensor<16x64xf32>
    %e = tensor.empty() : tensor<16x8xf32>
    // A weight used on the tuple without a dispatch arrives replicated: the
    // matmul still gets [2,1].
    // CHECK: linalg.matmul {{.*}}hetu.states = [#hetu.states<[2, 1]>]
    %y = linalg.matmul {hetu.ctx = #T} ins(%a, %w : tensor<16x64xf32>, tensor<64x8xf32>)
                       outs(%e : tensor<16x8xf32>) -> tensor<16x8xf32>
    %r = hetu.dispatch %y to #hetu.states<[1, 1]> on #hetu.group<"gpu:3,gpu:7"> : tensor<16x8xf32>
    // CHECK: math.exp {{.*}}hetu.states = [#hetu.states<[1, 1]>]
    %o = math.exp %r {hetu.ctx = #hetu.group<"gpu:3,gpu:7">} : tensor<16x8xf32>
    return %o : tensor<16x8xf32>
  }
}

// -----

// SPEC 7.7: reversed tuple with dispatch {0: 2}. The states are the same as
// on (gpu:2,gpu:3): they are relative to the tuple's order (device 0 of the
// tuple, gpu:3, holds rows block 0).
// CHECK-LABEL: func.func @reversed
module attributes {hetu.default_ctx = #hetu.group<"(gpu:0,gpu:1)">} {
  func.func @reversed(%x: tensor<16x8xf32>) -> tensor<16x8xf32> {
    %a = hetu.dispatch %x to #hetu.states<[2, 1]> on #hetu.group<"(gpu:3,gpu:2)"> : tensor<16x8xf32>
    // CHECK: math.exp {{.*}}hetu.states = [#hetu.states<[2, 1]>]
    %y = math.exp %a {hetu.ctx = #hetu.group<"(gpu:3,gpu:2)">} : tensor<16x8xf32>
    // Function arguments of a tuple placement are replicated on the tuple.
    // CHECK: math.tanh {{.*}}hetu.states = [#hetu.states<[1, 1], duplicate = 2>]
    %t = math.tanh %x : tensor<16x8xf32>
    return %t : tensor<16x8xf32>
  }
}

// -----

// Transposes, broadcasts, reductions and batch matmuls follow from their
// indexing maps.
// CHECK-LABEL: func.func @maps
#T = #hetu.group<"(gpu:0,gpu:1)">
module attributes {hetu.default_ctx = #T} {
  func.func @maps(%x: tensor<4x8xf32>, %v: tensor<8xf32>, %b: tensor<2x4x8xf32>, %c: tensor<2x8x6xf32>)
      -> (tensor<8x4xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<8xf32>, tensor<2x4x6xf32>) {
    %xs = hetu.dispatch %x to #hetu.states<[2, 1]> : tensor<4x8xf32>
    %e0 = tensor.empty() : tensor<8x4xf32>
    // CHECK: linalg.transpose {{.*}}hetu.states = [#hetu.states<[1, 2]>]
    %t = linalg.transpose ins(%xs : tensor<4x8xf32>) outs(%e0 : tensor<8x4xf32>) permutation = [1, 0]
    %vs = hetu.dispatch %v to #hetu.states<[2]> : tensor<8xf32>
    %e1 = tensor.empty() : tensor<4x8xf32>
    // CHECK: linalg.broadcast {{.*}}hetu.states = [#hetu.states<[1, 2]>]
    %bc = linalg.broadcast ins(%vs : tensor<8xf32>) outs(%e1 : tensor<4x8xf32>) dimensions = [0]
    %xc = hetu.dispatch %x to #hetu.states<[1, 2]> : tensor<4x8xf32>
    %e2 = tensor.empty() : tensor<4xf32>
    // Reducing the split dimension: partial sums.
    // CHECK: linalg.reduce {{.*}}hetu.states = [#hetu.states<[1], partial = 2>]
    %r = linalg.reduce ins(%xc : tensor<4x8xf32>) outs(%e2 : tensor<4xf32>) dimensions = [1]
      (%in: f32, %acc: f32) {
        %s = arith.addf %in, %acc : f32
        linalg.yield %s : f32
      }
    // Reducing the other one: the split stays.
    %e3 = tensor.empty() : tensor<8xf32>
    // CHECK: linalg.reduce {{.*}}hetu.states = [#hetu.states<[2]>]
    %r2 = linalg.reduce ins(%xc : tensor<4x8xf32>) outs(%e3 : tensor<8xf32>) dimensions = [0]
      (%in: f32, %acc: f32) {
        %s = arith.addf %in, %acc : f32
        linalg.yield %s : f32
      }
    %bs = hetu.dispatch %b to #hetu.states<[2, 1, 1]> : tensor<2x4x8xf32>
    %e4 = tensor.empty() : tensor<2x4x6xf32>
    // CHECK: linalg.batch_matmul {{.*}}hetu.states = [#hetu.states<[2, 1, 1]>]
    %bm = linalg.batch_matmul ins(%bs, %c : tensor<2x4x8xf32>, tensor<2x8x6xf32>) outs(%e4 : tensor<2x4x6xf32>) -> tensor<2x4x6xf32>
    return %t, %bc, %r, %r2, %bm : tensor<8x4xf32>, tensor<4x8xf32>, tensor<4xf32>, tensor<8xf32>, tensor<2x4x6xf32>
  }
}

// -----

// Elementwise ops, reshapes, loops and dispatch_gradient.
// CHECK-LABEL: func.func @misc
#T = #hetu.group<"(gpu:0,gpu:1)">
module attributes {hetu.default_ctx = #T} {
  func.func @misc(%x: tensor<4x8xf32>, %g: tensor<4x8xf32>, %n: index)
      -> (tensor<32xf32>, tensor<2x2x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>) {
    %xs = hetu.dispatch %x to #hetu.states<[2, 1]> : tensor<4x8xf32>
    // CHECK: arith.addf {{.*}}hetu.states = [#hetu.states<[2, 1]>]
    %s = arith.addf %xs, %xs : tensor<4x8xf32>
    // Collapsing keeps a split of the outermost dimension of the group.
    // CHECK: tensor.collapse_shape {{.*}}hetu.states = [#hetu.states<[2]>]
    %c = tensor.collapse_shape %s [[0, 1]] : tensor<4x8xf32> into tensor<32xf32>
    // CHECK: tensor.expand_shape {{.*}}hetu.states = [#hetu.states<[2, 1, 1]>]
    %e = tensor.expand_shape %s [[0, 1], [2]] output_shape [2, 2, 8] : tensor<4x8xf32> into tensor<2x2x8xf32>
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    // Loop-carried values keep their states.
    // CHECK: scf.for
    // CHECK: math.exp {{.*}}hetu.states = [#hetu.states<[2, 1]>]
    // CHECK: } {hetu.states = [#hetu.states<[2, 1]>]}
    %l = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %s) -> tensor<4x8xf32> {
      %t = math.exp %acc : tensor<4x8xf32>
      scf.yield %t : tensor<4x8xf32>
    }
    // The gradient goes back in the forward value's states (replicated).
    // CHECK: hetu.dispatch_gradient {{.*}}hetu.states = [#hetu.states<[1, 1], duplicate = 2>]
    %gx = hetu.dispatch_gradient %g like %x : tensor<4x8xf32>
    return %c, %e, %l, %gx : tensor<32xf32>, tensor<2x2x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>
  }
}

// -----

// SPEC 7.4: data + pipeline, 4 stages of 2 replicas. Every stage has
// single-device workers: everything is whole within a replica.
// CHECK-LABEL: func.func @data_pipeline
module attributes {hetu.default_ctx = #hetu.group<"gpu:0,gpu:4">} {
  func.func @data_pipeline(%x: tensor<16x32xf32>, %w: tensor<32x32xf32> {hetu.trainable}) -> tensor<16x32xf32> {
    %e = tensor.empty() : tensor<16x32xf32>
    // CHECK: linalg.matmul {{.*}}hetu.states = [#hetu.states<[1, 1]>]
    %a = linalg.matmul ins(%x, %w : tensor<16x32xf32>, tensor<32x32xf32>) outs(%e : tensor<16x32xf32>) -> tensor<16x32xf32>
    // CHECK: math.tanh {{.*}}hetu.states = [#hetu.states<[1, 1]>]
    %b = math.tanh %a {hetu.ctx = #hetu.group<"gpu:1,gpu:5">} : tensor<16x32xf32>
    // CHECK: math.exp {{.*}}hetu.states = [#hetu.states<[1, 1]>]
    %c = math.exp %b {hetu.ctx = #hetu.group<"gpu:2,gpu:6">} : tensor<16x32xf32>
    // CHECK: math.sqrt {{.*}}hetu.states = [#hetu.states<[1, 1]>]
    %d = math.sqrt %c {hetu.ctx = #hetu.group<"gpu:3,gpu:7">} : tensor<16x32xf32>
    return %d : tensor<16x32xf32>
  }
}

// -----

// SPEC 7.5 with the right and middle splits on
// "(gpu:1,gpu:2),(gpu:5,gpu:6)": per replica, as in 7.2.
// CHECK-LABEL: func.func @dmp_right_middle
#T = #hetu.group<"(gpu:1,gpu:2),(gpu:5,gpu:6)">
module attributes {hetu.default_ctx = #hetu.group<"gpu:0,gpu:4">} {
  func.func @dmp_right_middle(%x: tensor<16x64xf32>, %w: tensor<64x8xf32> {hetu.trainable})
      -> (tensor<16x8xf32>, tensor<16x8xf32>) {
    %ar = hetu.dispatch %x to #hetu.states<[1, 1], duplicate = 2> on #T : tensor<16x64xf32>
    %br = hetu.dispatch %w to #hetu.states<[1, 2]> on #T : tensor<64x8xf32>
    %e = tensor.empty() : tensor<16x8xf32>
    // CHECK: linalg.matmul {{.*}}hetu.states = [#hetu.states<[1, 2]>]
    %yr = linalg.matmul {hetu.ctx = #T} ins(%ar, %br : tensor<16x64xf32>, tensor<64x8xf32>)
                        outs(%e : tensor<16x8xf32>) -> tensor<16x8xf32>
    %am = hetu.dispatch %x to #hetu.states<[1, 2]> on #T : tensor<16x64xf32>
    %bm = hetu.dispatch %w to #hetu.states<[2, 1]> on #T : tensor<64x8xf32>
    // CHECK: linalg.matmul {{.*}}hetu.states = [#hetu.states<[1, 1], partial = 2>]
    %ym = linalg.matmul {hetu.ctx = #T} ins(%am, %bm : tensor<16x64xf32>, tensor<64x8xf32>)
                        outs(%e : tensor<16x8xf32>) -> tensor<16x8xf32>
    %rr = hetu.dispatch %yr to #hetu.states<[1, 1]> on #hetu.group<"gpu:3,gpu:7"> : tensor<16x8xf32>
    %rm = hetu.dispatch %ym to #hetu.states<[1, 1]> on #hetu.group<"gpu:3,gpu:7"> : tensor<16x8xf32>
    return %rr, %rm : tensor<16x8xf32>, tensor<16x8xf32>
  }
}

// -----

// Partial states are partial sums: a reduction with another combiner (max)
// keeps its reduced loop whole, and reads its operand gathered; the result
// is whole on both devices.
// CHECK-LABEL: func.func @max_reduction
module attributes {hetu.default_ctx = #hetu.group<"(gpu:0,gpu:1)">} {
  func.func @max_reduction(%x: tensor<4x8xf32>, %o: tensor<4xf32>) -> tensor<4xf32> {
    %a = hetu.dispatch %x to #hetu.states<[1, 2]> : tensor<4x8xf32>
    // CHECK: linalg.reduce {{.*}}hetu.states = [#hetu.states<[1], duplicate = 2>]
    %r = linalg.reduce ins(%a : tensor<4x8xf32>) outs(%o : tensor<4xf32>) dimensions = [1]
      (%in: f32, %acc: f32) {
        %m = arith.maximumf %in, %acc : f32
        linalg.yield %m : f32
      }
    return %r : tensor<4xf32>
  }
}

// -----

// The gradient of a value held as partial sums is whole on every copy: the
// dispatch_gradient of the middle split's output is [1,1] duplicate 2.
// CHECK-LABEL: func.func @gradient_of_partial
#T = #hetu.group<"(gpu:1,gpu:2)">
module attributes {hetu.default_ctx = #hetu.group<"gpu:0">} {
  func.func @gradient_of_partial(%x: tensor<4x8xf32>, %w: tensor<8x2xf32>, %g: tensor<4x2xf32>) -> tensor<4x2xf32> {
    %zero = arith.constant 0.0 : f32
    %a = hetu.dispatch %x to #hetu.states<[1, 2]> on #T : tensor<4x8xf32>
    %b = hetu.dispatch %w to #hetu.states<[2, 1]> on #T : tensor<8x2xf32>
    %e = tensor.empty() : tensor<4x2xf32>
    %z = linalg.fill {hetu.ctx = #T} ins(%zero : f32) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
    // CHECK: linalg.matmul {{.*}}hetu.states = [#hetu.states<[1, 1], partial = 2>]
    %y = linalg.matmul {hetu.ctx = #T} ins(%a, %b : tensor<4x8xf32>, tensor<8x2xf32>) outs(%z : tensor<4x2xf32>) -> tensor<4x2xf32>
    // CHECK: hetu.dispatch_gradient {{.*}}hetu.states = [#hetu.states<[1, 1], duplicate = 2>]
    %dy = hetu.dispatch_gradient %g like %y : tensor<4x2xf32>
    %t = math.tanh %dy {hetu.ctx = #T} : tensor<4x2xf32>
    %r = hetu.dispatch %t to #hetu.states<[1, 1]> on #hetu.group<"gpu:0"> : tensor<4x2xf32>
    return %r : tensor<4x2xf32>
  }
}

// -----

// Sums, differences and negations are linear: two partial sums in one layout
// add up to the partial sums of the result, so nothing is reduced before
// the add (Megatron's backward: the gradients of a row-split input from
// Q, K and V are added, then all-reduced once). A product is not linear in
// both operands: its partial operands are reduced first.
// CHECK-LABEL: func.func @linear_partials
#T = #hetu.group<"(gpu:1,gpu:2)">
module attributes {hetu.default_ctx = #hetu.group<"gpu:0">} {
  func.func @linear_partials(%x: tensor<16x64xf32>, %w: tensor<64x8xf32>, %v: tensor<64x8xf32>) -> (tensor<16x8xf32>, tensor<16x8xf32>) {
    %zero = arith.constant 0.0 : f32
    %a = hetu.dispatch %x to #hetu.states<[1, 2]> on #T : tensor<16x64xf32>
    %b = hetu.dispatch %w to #hetu.states<[2, 1]> on #T : tensor<64x8xf32>
    %c = hetu.dispatch %v to #hetu.states<[2, 1]> on #T : tensor<64x8xf32>
    %e = tensor.empty() : tensor<16x8xf32>
    %z = linalg.fill {hetu.ctx = #T} ins(%zero : f32) outs(%e : tensor<16x8xf32>) -> tensor<16x8xf32>
    %y1 = linalg.matmul {hetu.ctx = #T} ins(%a, %b : tensor<16x64xf32>, tensor<64x8xf32>)
                        outs(%z : tensor<16x8xf32>) -> tensor<16x8xf32>
    %y2 = linalg.matmul {hetu.ctx = #T} ins(%a, %c : tensor<16x64xf32>, tensor<64x8xf32>)
                        outs(%z : tensor<16x8xf32>) -> tensor<16x8xf32>
    // CHECK: arith.addf {{.*}}hetu.states = [#hetu.states<[1, 1], partial = 2>]
    %s = arith.addf %y1, %y2 {hetu.ctx = #T} : tensor<16x8xf32>
    // CHECK: arith.subf {{.*}}hetu.states = [#hetu.states<[1, 1], partial = 2>]
    %d = arith.subf %s, %y2 {hetu.ctx = #T} : tensor<16x8xf32>
    // CHECK: arith.negf {{.*}}hetu.states = [#hetu.states<[1, 1], partial = 2>]
    %n = arith.negf %d {hetu.ctx = #T} : tensor<16x8xf32>
    // CHECK: arith.mulf {{.*}}hetu.states = [#hetu.states<[1, 1], duplicate = 2>]
    %m = arith.mulf %y1, %y2 {hetu.ctx = #T} : tensor<16x8xf32>
    %r1 = hetu.dispatch %n to #hetu.states<[1, 1]> on #hetu.group<"gpu:3"> : tensor<16x8xf32>
    %r2 = hetu.dispatch %m to #hetu.states<[1, 1]> on #hetu.group<"gpu:3"> : tensor<16x8xf32>
    return %r1, %r2 : tensor<16x8xf32>, tensor<16x8xf32>
  }
}
