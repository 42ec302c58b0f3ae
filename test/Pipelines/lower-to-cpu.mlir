// The whole hetu-lower-to-cpu pipeline: a partitioned rank program ends in
// the LLVM dialect, communication as runtime calls.
// RUN: hetu-opt %s -hetu-lower-to-cpu | FileCheck %s

// CHECK: llvm.func @hetu_rt_all_reduce_f32(i64, i64, !llvm.ptr, i64, !llvm.ptr, i64, !llvm.ptr)
// CHECK: llvm.func @f__rank0(
// CHECK: llvm.call @hetu_rt_all_reduce_f32
// CHECK-NOT: hetu.
module attributes {hetu.rank_map = [#hetu.device<"gpu:0">, #hetu.device<"gpu:1">]} {
  func.func @f__rank0(%x: tensor<4x8xf32>, %w: tensor<4x8xf32>) -> tensor<4x8xf32> {
    %y = math.tanh %x : tensor<4x8xf32>
    %n = hetu.sgd %w, %y lr 0.5 : tensor<4x8xf32>
    %s = hetu.all_reduce <sum> %n on #hetu.group<"gpu:0,gpu:1"> : tensor<4x8xf32>
    return %s : tensor<4x8xf32>
  }
}
