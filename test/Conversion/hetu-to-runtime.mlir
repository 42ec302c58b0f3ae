// RUN: hetu-opt %s -split-input-file -convert-hetu-to-runtime | FileCheck %s

// CHECK-DAG: memref.global "private" constant @__hetu_group_0 : memref<2xi64> = dense<[1, 0]>
// CHECK-DAG: func.func private @hetu_rt_send_f32(i64, i64, memref<*xf32>)
// CHECK-DAG: func.func private @hetu_rt_recv_i64(i64, i64, memref<*xi64>)
// CHECK-DAG: func.func private @hetu_rt_all_reduce_f32(i64, memref<*xi64>, memref<*xf32>, memref<*xf32>)
// CHECK-DAG: func.func private @hetu_rt_all_gather_f64(i64, memref<*xi64>, memref<*xf64>, memref<*xf64>)
module attributes {hetu.rank_map = [#hetu.device<"gpu:0">, #hetu.device<"gpu:1">]} {
  // CHECK-LABEL: func.func @f
  func.func @f(%m: memref<2x8xf32, strided<[8, 1], offset: 8>>, %d: memref<4xf64>) -> (memref<3xi64>, memref<2x8xf32>, memref<8xf64>) {
    // Devices become ranks; any layout goes through as an unranked memref.
    // CHECK: %[[U:.*]] = memref.cast %{{.*}} : memref<2x8xf32, strided<[8, 1], offset: 8>> to memref<*xf32>
    // CHECK: call @hetu_rt_send_f32(%c1_i64, %c4_i64, %[[U]])
    hetu.send %m to #hetu.device<"gpu:1"> : memref<2x8xf32, strided<[8, 1], offset: 8>> {tag = 4 : i64}
    // CHECK: %[[R:.*]] = memref.alloc() : memref<3xi64>
    // CHECK: %[[RU:.*]] = memref.cast %[[R]] : memref<3xi64> to memref<*xi64>
    // CHECK: call @hetu_rt_recv_i64(%c0_i64{{.*}}, %{{.*}}, %[[RU]])
    %r = hetu.recv from #hetu.device<"gpu:0"> : memref<3xi64>
    // CHECK: %[[G:.*]] = memref.get_global @__hetu_group_0 : memref<2xi64>
    // CHECK: %[[A:.*]] = memref.alloc() : memref<2x8xf32>
    // CHECK: call @hetu_rt_all_reduce_f32(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}})
    %a = hetu.all_reduce <max> %m on #hetu.group<"gpu:1,gpu:0"> : memref<2x8xf32, strided<[8, 1], offset: 8>> -> memref<2x8xf32>
    // CHECK: memref.get_global @__hetu_group_0
    // CHECK: call @hetu_rt_all_gather_f64
    %g = hetu.all_gather %d dim 0 on #hetu.group<"gpu:1,gpu:0"> : memref<4xf64> -> memref<8xf64>
    // CHECK-NOT: hetu.
    // CHECK: return
    return %r, %a, %g : memref<3xi64>, memref<2x8xf32>, memref<8xf64>
  }
}

// The other collectives: the reduction kind, dimension and root come before
// the group table, ranks from the rank map; every call of one element type
// and name shares one declaration, every group one table.
// RUN: hetu-opt %s -split-input-file -convert-hetu-to-runtime | FileCheck %s --check-prefix=MORE
// MORE-LABEL: func.func @g
// MORE: %[[SUM:.*]] = arith.constant 0 : i64
// MORE: %[[DIM:.*]] = arith.constant 1 : i64
// MORE: call @hetu_rt_reduce_scatter_f32(%[[SUM]], %[[DIM]], %{{.*}}, %{{.*}}, %{{.*}}) : (i64, i64, memref<*xi64>, memref<*xf32>, memref<*xf32>) -> ()
// MORE: %[[ROOT1:.*]] = arith.constant 1 : i64
// MORE: call @hetu_rt_broadcast_i32(%[[ROOT1]], %{{.*}}, %{{.*}}, %{{.*}}) : (i64, memref<*xi64>, memref<*xi32>, memref<*xi32>) -> ()
// MORE: %[[MAX:.*]] = arith.constant {{[0-9]+}} : i64
// MORE: %[[ROOT0:.*]] = arith.constant 0 : i64
// MORE: call @hetu_rt_reduce_f32(%[[MAX]], %[[ROOT0]], %{{.*}}, %{{.*}}, %{{.*}})
// MORE: call @hetu_rt_reduce_f32(
// MORE-NOT: hetu.
// MORE-NOT: __hetu_group_1
// MORE: return

// -----
module attributes {hetu.rank_map = [#hetu.device<"gpu:0">, #hetu.device<"gpu:1">]} {
  func.func @g(%x: memref<4x8xf32>, %i: memref<6xi32>) -> (memref<4x4xf32>, memref<6xi32>, memref<4x8xf32>, memref<4x8xf32>) {
    %s = hetu.reduce_scatter <sum> %x dim 1 on #hetu.group<"gpu:0,gpu:1"> : memref<4x8xf32> -> memref<4x4xf32>
    %b = hetu.broadcast %i root #hetu.device<"gpu:1"> on #hetu.group<"gpu:0,gpu:1"> : memref<6xi32>
    %r = hetu.reduce <max> %x root #hetu.device<"gpu:0"> on #hetu.group<"gpu:0,gpu:1"> : memref<4x8xf32>
    %r2 = hetu.reduce <max> %x root #hetu.device<"gpu:0"> on #hetu.group<"gpu:0,gpu:1"> : memref<4x8xf32>
    return %s, %b, %r, %r2 : memref<4x4xf32>, memref<6xi32>, memref<4x8xf32>, memref<4x8xf32>
  }
}
