// RUN: hetu-opt %s -split-input-file -hetu-deduce-strategy -hetu-infer-states -hetu-partition | FileCheck %s
// RUN: hetu-opt %s -split-input-file -hetu-deduce-strategy -hetu-infer-states -hetu-partition=rank=1 | FileCheck %s --check-prefix=RANK1

// SPEC 7.2 left split: gpu:0 -> (gpu:1,gpu:2) -> gpu:3. gpu:0 sends row
// halves of the activation and the whole weight (replicated on the tuple) to
// both tuple devices; gpu:3 assembles the two row halves; the result goes
// back to the default placement, gpu:0.
// CHECK-LABEL: func.func @left__rank0(
// CHECK-SAME: %{{.*}}: tensor<16x64xf32> {hetu.slice = #hetu.slice<index = 0, replica = 0, position = 0, states = #hetu.states<[1, 1]>, offsets = [0, 0]>}
// CHECK-SAME: -> (tensor<16x8xf32> {hetu.slice = #hetu.slice<index = 0,
// CHECK-SAME: attributes {hetu.device = #hetu.device<"gpu:0">, hetu.function = "left", hetu.rank = 0 : i64}
// CHECK:   %[[TOP:.*]] = tensor.extract_slice %{{.*}}[0, 0] [8, 64] [1, 1]
// CHECK:   hetu.send %[[TOP]] to #hetu.device<"gpu:1"> : tensor<8x64xf32>
// CHECK:   %[[BOTTOM:.*]] = tensor.extract_slice %{{.*}}[8, 0] [8, 64] [1, 1]
// CHECK:   hetu.send %[[BOTTOM]] to #hetu.device<"gpu:2"> : tensor<8x64xf32>
// CHECK:   hetu.send %{{.*}} to #hetu.device<"gpu:1"> : tensor<64x8xf32>
// CHECK:   hetu.send %{{.*}} to #hetu.device<"gpu:2"> : tensor<64x8xf32>
// CHECK:   %[[OUT:.*]] = hetu.recv from #hetu.device<"gpu:3"> : tensor<16x8xf32>
// CHECK:   return %[[OUT]]
// CHECK-LABEL: func.func @left__rank1()
// CHECK:   %[[A:.*]] = hetu.recv from #hetu.device<"gpu:0"> : tensor<8x64xf32>
// CHECK:   %[[W:.*]] = hetu.recv from #hetu.device<"gpu:0"> : tensor<64x8xf32>
// CHECK:   %[[Y:.*]] = linalg.matmul ins(%[[A]], %[[W]] : tensor<8x64xf32>, tensor<64x8xf32>) outs(%{{.*}} : tensor<8x8xf32>)
// CHECK:   hetu.send %[[Y]] to #hetu.device<"gpu:3"> : tensor<8x8xf32>
// CHECK-LABEL: func.func @left__rank2()
// CHECK:   linalg.matmul {{.*}} -> tensor<8x8xf32>
// CHECK-LABEL: func.func @left__rank3()
// CHECK:   %[[P0:.*]] = hetu.recv from #hetu.device<"gpu:1"> : tensor<8x8xf32>
// CHECK:   %[[P1:.*]] = hetu.recv from #hetu.device<"gpu:2"> : tensor<8x8xf32>
// CHECK:   %[[I0:.*]] = tensor.insert_slice %[[P0]] into %{{.*}}[0, 0] [8, 8] [1, 1]
// CHECK:   %[[I1:.*]] = tensor.insert_slice %[[P1]] into %[[I0]][8, 0] [8, 8] [1, 1]
// CHECK:   %[[T:.*]] = math.tanh %[[I1]] : tensor<16x8xf32>
// CHECK:   hetu.send %[[T]] to #hetu.device<"gpu:0"> : tensor<16x8xf32>
#T = #hetu.group<"(gpu:1,gpu:2)">
module attributes {hetu.default_ctx = #hetu.group<"gpu:0">} {
  func.func @left(%x: tensor<16x64xf32>, %w: tensor<64x8xf32> {hetu.trainable}) -> tensor<16x8xf32> {
    %a = hetu.dispatch %x to #hetu.states<[2, 1]> on #T : tensor<16x64xf32>
    %b = hetu.dispatch %w to #hetu.states<[1, 1], duplicate = 2> on #T : tensor<64x8xf32>
    %e = tensor.empty() : tensor<16x8xf32>
    %y = linalg.matmul {hetu.ctx = #T} ins(%a, %b : tensor<16x64xf32>, tensor<64x8xf32>)
                       outs(%e : tensor<16x8xf32>) -> tensor<16x8xf32>
    %r = hetu.dispatch %y to #hetu.states<[1, 1]> on #hetu.group<"gpu:3"> : tensor<16x8xf32>
    %t = math.tanh %r {hetu.ctx = #hetu.group<"gpu:3">} : tensor<16x8xf32>
    return %t : tensor<16x8xf32>
  }
}

// -----

// Middle split with a non-zero init (a bias of ones): partial copy 0
// (gpu:1) keeps the init, copy 1 (gpu:2) starts from zeros, gpu:0 adds the
// two partial sums once.
// CHECK-LABEL: func.func @bias__rank0(
// CHECK:   %[[S0:.*]] = hetu.recv from #hetu.device<"gpu:1"> : tensor<4x2xf32>
// CHECK:   %[[S1:.*]] = hetu.recv from #hetu.device<"gpu:2"> : tensor<4x2xf32>
// CHECK:   %[[SUM:.*]] = linalg.add ins(%[[S0]], %[[S1]] : tensor<4x2xf32>, tensor<4x2xf32>)
// CHECK:   return %[[SUM]]
// CHECK-LABEL: func.func @bias__rank1()
// CHECK:   %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK:   %[[INIT:.*]] = linalg.fill ins(%[[ONE]] : f32)
// CHECK:   linalg.matmul ins({{.*}} : tensor<4x4xf32>, tensor<4x2xf32>) outs(%[[INIT]] : tensor<4x2xf32>)
// CHECK-LABEL: func.func @bias__rank2()
// CHECK:   %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK:   %[[ZEROS:.*]] = linalg.fill ins(%[[ZERO]] : f32)
// CHECK:   linalg.matmul ins({{.*}} : tensor<4x4xf32>, tensor<4x2xf32>) outs(%[[ZEROS]] : tensor<4x2xf32>)
#T = #hetu.group<"(gpu:1,gpu:2)">
module attributes {hetu.default_ctx = #hetu.group<"gpu:0">} {
  func.func @bias(%x: tensor<4x8xf32>, %w: tensor<8x2xf32>) -> tensor<4x2xf32> {
    %one = arith.constant 1.0 : f32
    %a = hetu.dispatch %x to #hetu.states<[1, 2]> on #T : tensor<4x8xf32>
    %b = hetu.dispatch %w to #hetu.states<[2, 1]> on #T : tensor<8x2xf32>
    %e = tensor.empty() : tensor<4x2xf32>
    %f = linalg.fill {hetu.ctx = #T} ins(%one : f32) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
    %y = linalg.matmul {hetu.ctx = #T} ins(%a, %b : tensor<4x8xf32>, tensor<8x2xf32>) outs(%f : tensor<4x2xf32>) -> tensor<4x2xf32>
    return %y : tensor<4x2xf32>
  }
}

// -----

// Same devices, same order: collectives. Partial -> split is a
// reduce_scatter, partial -> replicated an all_reduce, split -> replicated an
// all_gather; a dispatch of a replicated argument is a local slice.
// With rank=1 only rank 1's functions remain.
// RANK1-NOT: func.func @{{.*}}__rank0
// RANK1-LABEL: func.func @coll__rank1(
// RANK1:   %[[A:.*]] = tensor.extract_slice %arg0[0, 4] [4, 4] [1, 1] : tensor<4x8xf32> to tensor<4x4xf32>
// RANK1:   %[[B:.*]] = tensor.extract_slice %arg1[4, 0] [4, 6] [1, 1] : tensor<8x6xf32> to tensor<4x6xf32>
// RANK1:   %[[Y:.*]] = linalg.matmul ins(%[[A]], %[[B]] : tensor<4x4xf32>, tensor<4x6xf32>)
// RANK1:   %[[RS:.*]] = hetu.reduce_scatter <sum> %[[Y]] dim 0 on #hetu.group<"gpu:0,gpu:1"> : tensor<4x6xf32> -> tensor<2x6xf32>
// RANK1:   %[[T:.*]] = math.exp %[[RS]] : tensor<2x6xf32>
// RANK1:   %[[U:.*]] = math.exp %[[A]] : tensor<4x4xf32>
// RANK1:   %[[AR:.*]] = hetu.all_reduce <sum> %[[Y]] on #hetu.group<"gpu:0,gpu:1"> : tensor<4x6xf32>
// RANK1:   %[[AG0:.*]] = hetu.all_gather %[[T]] dim 0 on #hetu.group<"gpu:0,gpu:1"> : tensor<2x6xf32> -> tensor<4x6xf32>
// RANK1:   %[[AG1:.*]] = hetu.all_gather %[[U]] dim 1 on #hetu.group<"gpu:0,gpu:1"> : tensor<4x4xf32> -> tensor<4x8xf32>
// RANK1:   return %[[AR]], %[[AG0]], %[[AG1]]
// RANK1-NOT: func.func @coll__rank0
#T = #hetu.group<"(gpu:0,gpu:1)">
module attributes {hetu.default_ctx = #T} {
  func.func @coll(%x: tensor<4x8xf32>, %w: tensor<8x6xf32>) -> (tensor<4x6xf32>, tensor<4x6xf32>, tensor<4x8xf32>) {
    %a = hetu.dispatch %x to #hetu.states<[1, 2]> : tensor<4x8xf32>
    %b = hetu.dispatch %w to #hetu.states<[2, 1]> : tensor<8x6xf32>
    %e = tensor.empty() : tensor<4x6xf32>
    %y = linalg.matmul ins(%a, %b : tensor<4x8xf32>, tensor<8x6xf32>) outs(%e : tensor<4x6xf32>) -> tensor<4x6xf32>
    %s = hetu.dispatch %y to #hetu.states<[2, 1]> : tensor<4x6xf32>
    %t = math.exp %s : tensor<4x6xf32>
    %u = math.exp %a : tensor<4x8xf32>
    return %y, %t, %u : tensor<4x6xf32>, tensor<4x6xf32>, tensor<4x8xf32>
  }
}

// -----

// SPEC 7.4 data + pipeline: replica i of a stage feeds replica i of the
// next (gpu:0 -> gpu:1, gpu:4 -> gpu:5); the ranks of the default placement
// take replica 0 and 1 of the arguments and results.
// CHECK-LABEL: func.func @dp__rank0(
// CHECK-SAME: replica = 0,
// CHECK:   %[[E:.*]] = math.exp %arg0
// CHECK:   hetu.send %[[E]] to #hetu.device<"gpu:1">
// CHECK:   %[[R:.*]] = hetu.recv from #hetu.device<"gpu:1">
// CHECK:   return %[[R]]
// CHECK-LABEL: func.func @dp__rank1()
// CHECK:   %[[X:.*]] = hetu.recv from #hetu.device<"gpu:0">
// CHECK:   %[[T:.*]] = math.tanh %[[X]]
// CHECK:   hetu.send %[[T]] to #hetu.device<"gpu:0">
// CHECK-LABEL: func.func @dp__rank2(
// CHECK-SAME: replica = 1,
// CHECK-SAME: hetu.device = #hetu.device<"gpu:4">
// CHECK:   hetu.send %{{.*}} to #hetu.device<"gpu:5">
// CHECK-LABEL: func.func @dp__rank3()
// CHECK:   hetu.recv from #hetu.device<"gpu:4">
module attributes {hetu.default_ctx = #hetu.group<"gpu:0,gpu:4">} {
  func.func @dp(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
    %a = math.exp %x : tensor<4x8xf32>
    %b = math.tanh %a {hetu.ctx = #hetu.group<"gpu:1,gpu:5">} : tensor<4x8xf32>
    return %b : tensor<4x8xf32>
  }
}

// -----

// Hand-made 2-D resharding:
//  1. (gpu:0,gpu:1) [2,1] -> reversed tuple (gpu:1,gpu:0) [2,1]: the two
//     devices swap their row blocks (gpu:0 sends first: destination order).
//  2. (gpu:1,gpu:0) [2,1] -> (gpu:1,gpu:2) [1,2], overlapping groups: gpu:1
//     keeps its own quarter locally, the others go over the wire.
//  3. (gpu:1,gpu:2) [1,2] -> (gpu:3..gpu:6) [4,1], N -> M.
// CHECK-LABEL: func.func @reshard__rank0(
// CHECK:   %[[MINE:.*]] = math.exp %{{.*}} : tensor<2x8xf32>
// CHECK:   hetu.send %[[MINE]] to #hetu.device<"gpu:1"> : tensor<2x8xf32>
// CHECK:   %[[SWAPPED:.*]] = hetu.recv from #hetu.device<"gpu:1"> : tensor<2x8xf32>
// CHECK:   %[[D:.*]] = math.exp %[[SWAPPED]]
// CHECK:   tensor.extract_slice %[[D]][0, 0] [2, 4] [1, 1]
// CHECK:   hetu.send {{.*}} to #hetu.device<"gpu:1"> : tensor<2x4xf32>
// CHECK:   tensor.extract_slice %[[D]][0, 4] [2, 4] [1, 1]
// CHECK:   hetu.send {{.*}} to #hetu.device<"gpu:2"> : tensor<2x4xf32>
// CHECK-LABEL: func.func @reshard__rank1(
// CHECK:   %[[MINE1:.*]] = math.exp %{{.*}} : tensor<2x8xf32>
// CHECK:   %[[FROM0:.*]] = hetu.recv from #hetu.device<"gpu:0"> : tensor<2x8xf32>
// CHECK:   hetu.send %[[MINE1]] to #hetu.device<"gpu:0"> : tensor<2x8xf32>
// CHECK:   %[[D1:.*]] = math.exp %[[FROM0]]
// CHECK:   %[[KEEP:.*]] = tensor.extract_slice %[[D1]][0, 0] [2, 4] [1, 1]
// CHECK:   %[[OTHER:.*]] = hetu.recv from #hetu.device<"gpu:0"> : tensor<2x4xf32>
// CHECK:   %[[Q:.*]] = tensor.insert_slice %[[KEEP]] into %{{.*}}[0, 0] [2, 4] [1, 1]
// CHECK:   tensor.insert_slice %[[OTHER]] into %[[Q]][2, 0] [2, 4] [1, 1]
// CHECK-COUNT-4: hetu.send {{.*}} : tensor<1x4xf32>
// CHECK-LABEL: func.func @reshard__rank3()
// CHECK:   hetu.recv from #hetu.device<"gpu:1"> : tensor<1x4xf32>
// CHECK:   hetu.recv from #hetu.device<"gpu:2"> : tensor<1x4xf32>
// CHECK:   math.exp {{.*}} : tensor<1x8xf32>
module attributes {hetu.default_ctx = #hetu.group<"(gpu:0,gpu:1)">} {
  func.func @reshard(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
    %a = hetu.dispatch %x to #hetu.states<[2, 1]> : tensor<4x8xf32>
    %b = math.exp %a : tensor<4x8xf32>
    %c = hetu.dispatch %b to #hetu.states<[2, 1]> on #hetu.group<"(gpu:1,gpu:0)"> : tensor<4x8xf32>
    %d = math.exp %c {hetu.ctx = #hetu.group<"(gpu:1,gpu:0)">} : tensor<4x8xf32>
    %e = hetu.dispatch %d to #hetu.states<[1, 2]> on #hetu.group<"(gpu:1,gpu:2)"> : tensor<4x8xf32>
    %f = math.exp %e {hetu.ctx = #hetu.group<"(gpu:1,gpu:2)">} : tensor<4x8xf32>
    %g = hetu.dispatch %f to #hetu.states<[4, 1]> on #hetu.group<"(gpu:3,gpu:4,gpu:5,gpu:6)"> : tensor<4x8xf32>
    %h = math.exp %g {hetu.ctx = #hetu.group<"(gpu:3,gpu:4,gpu:5,gpu:6)">} : tensor<4x8xf32>
    return %h : tensor<4x8xf32>
  }
}

// -----

// Gather over two dimensions: a [2,2] tile order [1,0] on a 4-tuple back to
// one device. gpu:4 receives the four quarters from their owners: device k
// of the tuple holds rows block k%2, columns block k/2.
// CHECK-LABEL: func.func @gather2d__rank4(
// CHECK:   %[[Q0:.*]] = hetu.recv from #hetu.device<"gpu:0"> : tensor<2x4xf32>
// CHECK:   %[[Q1:.*]] = hetu.recv from #hetu.device<"gpu:2"> : tensor<2x4xf32>
// CHECK:   %[[Q2:.*]] = hetu.recv from #hetu.device<"gpu:1"> : tensor<2x4xf32>
// CHECK:   %[[Q3:.*]] = hetu.recv from #hetu.device<"gpu:3"> : tensor<2x4xf32>
// CHECK:   tensor.insert_slice %[[Q0]] into %{{.*}}[0, 0] [2, 4]
// CHECK:   tensor.insert_slice %[[Q1]] into %{{.*}}[0, 4] [2, 4]
// CHECK:   tensor.insert_slice %[[Q2]] into %{{.*}}[2, 0] [2, 4]
// CHECK:   tensor.insert_slice %[[Q3]] into %{{.*}}[2, 4] [2, 4]
module attributes {hetu.default_ctx = #hetu.group<"gpu:4">} {
  func.func @gather2d(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
    %a = hetu.dispatch %x to #hetu.states<[2, 2], order = [1, 0]> on #hetu.group<"(gpu:0,gpu:1,gpu:2,gpu:3)"> : tensor<4x8xf32>
    %b = math.exp %a {hetu.ctx = #hetu.group<"(gpu:0,gpu:1,gpu:2,gpu:3)">} : tensor<4x8xf32>
    %c = hetu.dispatch %b to #hetu.states<[1, 1]> on #hetu.group<"gpu:4"> : tensor<4x8xf32>
    return %c : tensor<4x8xf32>
  }
}
