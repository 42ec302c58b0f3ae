// RUN: hetu-opt %s -convert-hetu-to-runtime | FileCheck %s

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
    return %r, %a, %g : memref<3xi64>, memref<2x8xf32>, memref<8xf64>
  }
}
