// RUN: hetu-opt %s -split-input-file -hetu-share-rank-programs | FileCheck %s
// Detached (what the lowering pipelines do before deallocation), then
// completed by a second run: the same result.
// RUN: hetu-opt %s -split-input-file -pass-pipeline='builtin.module(hetu-share-rank-programs{detach=true},hetu-share-rank-programs)' | FileCheck %s
// RUN: hetu-opt %s -split-input-file -pass-pipeline='builtin.module(hetu-share-rank-programs{detach=true})' | FileCheck %s --check-prefix=DETACHED
// DETACHED-LABEL: func.func private @f__role0(
// DETACHED: func.func private @f__rank0(memref<4xf32> {hetu.slice = {{.*}}}) attributes {{.*}}hetu.role = @f__role0, hetu.role_params = [1, @group_a]}
// DETACHED-NEXT: func.func private @f__rank1(memref<4xf32> {hetu.slice = {{.*}}}) attributes {{.*}}hetu.role = @f__role0, hetu.role_params = [0, @group_b]}
// DETACHED-NEXT: func.func @f__rank2(

// Ranks 0 and 1 differ only in a peer (an i64 constant) and a group table:
// one shared body takes both as arguments, and each rank calls it with its
// own. Rank 2 sends a different shape: a program of its own, unchanged.
// CHECK-LABEL: func.func private @f__role0(
// CHECK-SAME: %[[X:.*]]: memref<4xf32>, %[[PEER:.*]]: i64, %[[GROUP:.*]]: memref<2xi64>)
// CHECK-SAME: attributes {hetu.device = #hetu.device<"gpu:0">}
// CHECK-NOT: hetu.rank
// CHECK: %[[TAG:.*]] = arith.constant 7 : i64
// CHECK: call @send(%[[PEER]], %[[TAG]], %[[X]])
// CHECK: call @reduce(%[[GROUP]], %[[X]])
// CHECK-LABEL: func.func @f__rank0(
// CHECK-SAME: hetu.slice = #hetu.slice<index = 0, replica = 0, position = 0, states = #hetu.states<[1]>, offsets = [0]>
// CHECK-SAME: hetu.device = #hetu.device<"gpu:0">, hetu.function = "f", hetu.rank = 0 : i64, hetu.role = @f__role0, hetu.role_params = [1, @group_a]
// CHECK-NEXT: %[[C:.*]] = arith.constant 1 : i64
// CHECK-NEXT: %[[G:.*]] = memref.get_global @group_a : memref<2xi64>
// CHECK-NEXT: call @f__role0(%{{.*}}, %[[C]], %[[G]]) {no_inline}
// CHECK-NEXT: return
// CHECK-LABEL: func.func @f__rank1(
// CHECK-SAME: hetu.role = @f__role0, hetu.role_params = [0, @group_b]
// CHECK-NEXT: arith.constant 0 : i64
// CHECK-NEXT: memref.get_global @group_b
// CHECK-NEXT: call @f__role0
// CHECK-LABEL: func.func @f__rank2(
// CHECK-NOT: hetu.role
// CHECK: call @send
module {
  memref.global "private" constant @group_a : memref<2xi64> = dense<[0, 1]>
  memref.global "private" constant @group_b : memref<2xi64> = dense<[1, 0]>
  func.func private @send(i64, i64, memref<4xf32>)
  func.func private @send8(i64, i64, memref<8xf32>)
  func.func private @reduce(memref<2xi64>, memref<4xf32>)
  func.func @f__rank0(%x: memref<4xf32> {hetu.slice = #hetu.slice<index = 0, replica = 0, position = 0,
                                           states = #hetu.states<[1]>, offsets = [0]>})
      attributes {hetu.rank = 0 : i64, hetu.device = #hetu.device<"gpu:0">, hetu.function = "f"} {
    %peer = arith.constant 1 : i64
    %tag = arith.constant 7 : i64
    call @send(%peer, %tag, %x) : (i64, i64, memref<4xf32>) -> ()
    %g = memref.get_global @group_a : memref<2xi64>
    call @reduce(%g, %x) : (memref<2xi64>, memref<4xf32>) -> ()
    return
  }
  func.func @f__rank1(%x: memref<4xf32> {hetu.slice = #hetu.slice<index = 0, replica = 1, position = 0,
                                           states = #hetu.states<[1]>, offsets = [0]>})
      attributes {hetu.rank = 1 : i64, hetu.device = #hetu.device<"gpu:1">, hetu.function = "f"} {
    %peer = arith.constant 0 : i64
    %tag = arith.constant 7 : i64
    call @send(%peer, %tag, %x) : (i64, i64, memref<4xf32>) -> ()
    %g = memref.get_global @group_b : memref<2xi64>
    call @reduce(%g, %x) : (memref<2xi64>, memref<4xf32>) -> ()
    return
  }
  func.func @f__rank2(%x: memref<4xf32>, %y: memref<8xf32>)
      attributes {hetu.rank = 2 : i64, hetu.device = #hetu.device<"gpu:2">, hetu.function = "f"} {
    %peer = arith.constant 0 : i64
    %tag = arith.constant 7 : i64
    call @send8(%peer, %tag, %y) : (i64, i64, memref<8xf32>) -> ()
    return
  }
}

// -----

// Equal up to constants, but a float constant differs (data, not a peer):
// no sharing. Programs on a CPU and on a GPU never share a body either
// (hetu-host-rank-loops compiles them differently).
// CHECK-NOT: __role
// CHECK-LABEL: func.func @g__rank0(
// CHECK: arith.constant 1.0
// CHECK-LABEL: func.func @g__rank1(
// CHECK: arith.constant 2.0
// CHECK-LABEL: func.func @g__rank2(
// CHECK-LABEL: func.func @g__rank3(
module {
  func.func private @use(f32, i64)
  func.func @g__rank0() attributes {hetu.rank = 0 : i64, hetu.function = "g"} {
    %v = arith.constant 1.0 : f32
    %c = arith.constant 0 : i64
    call @use(%v, %c) : (f32, i64) -> ()
    return
  }
  func.func @g__rank1() attributes {hetu.rank = 1 : i64, hetu.function = "g"} {
    %v = arith.constant 2.0 : f32
    %c = arith.constant 1 : i64
    call @use(%v, %c) : (f32, i64) -> ()
    return
  }
  func.func @g__rank2() attributes {hetu.rank = 2 : i64, hetu.function = "g", hetu.device = #hetu.device<"cpu:0">} {
    %v = arith.constant 3.0 : f32
    %c = arith.constant 2 : i64
    call @use(%v, %c) : (f32, i64) -> ()
    return
  }
  func.func @g__rank3() attributes {hetu.rank = 3 : i64, hetu.function = "g", hetu.device = #hetu.device<"gpu:3">} {
    %v = arith.constant 3.0 : f32
    %c = arith.constant 3 : i64
    call @use(%v, %c) : (f32, i64) -> ()
    return
  }
}
