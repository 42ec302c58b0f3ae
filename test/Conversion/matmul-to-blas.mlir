// RUN: hetu-opt %s -hetu-matmul-to-blas | FileCheck %s

// Row-major f32/f64 matmuls and batch matmuls on buffers call the runtime's
// CPU BLAS gemm (C += A B), tiles (strided rows with an offset) included,
// on every rank (a parameter server's too); other matmuls stay for the
// loops.
// CHECK-DAG: func.func private @hetu_rt_blas_gemm_f32(memref<*xf32>, memref<*xf32>, memref<*xf32>)
// CHECK-DAG: func.func private @hetu_rt_blas_gemm_f64(memref<*xf64>, memref<*xf64>, memref<*xf64>)
// CHECK-DAG: func.func private @hetu_rt_blas_batched_gemm_f32(memref<*xf32>, memref<*xf32>, memref<*xf32>)
// CHECK-LABEL: func.func @cpu
// CHECK: %[[A:.*]] = memref.cast %arg0 : memref<8x16xf32> to memref<*xf32>
// CHECK: %[[B:.*]] = memref.cast %arg1 : memref<16x4xf32> to memref<*xf32>
// CHECK: %[[C:.*]] = memref.cast %arg2 : memref<8x4xf32> to memref<*xf32>
// CHECK: call @hetu_rt_blas_gemm_f32(%[[A]], %[[B]], %[[C]])
// CHECK: memref.cast %arg3 : memref<4x16xf64, strided<[32, 1], offset: 4>> to memref<*xf64>
// CHECK: call @hetu_rt_blas_gemm_f64
// CHECK: call @hetu_rt_blas_batched_gemm_f32
// Integers, a column-major (transposed) view and user-defined maps stay.
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : memref<8x16xi32>
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : memref<8x16xf32, strided<[1, 8]>>
// CHECK: linalg.matmul indexing_maps = [#map, #map1, #map2]
// CHECK-LABEL: func.func @server
// CHECK: call @hetu_rt_blas_gemm_f32
// Tensors (before bufferization) are not touched.
// CHECK-LABEL: func.func @tensors
// CHECK: linalg.matmul
func.func @cpu(%a: memref<8x16xf32>, %b: memref<16x4xf32>, %c: memref<8x4xf32>,
               %t: memref<4x16xf64, strided<[32, 1], offset: 4>>, %u: memref<16x2xf64>, %v: memref<4x2xf64>,
               %ia: memref<8x16xi32>, %ib: memref<16x4xi32>, %ic: memref<8x4xi32>,
               %ta: memref<8x16xf32, strided<[1, 8]>>, %sq: memref<4x4xf32>,
               %ba: memref<3x8x16xf32>, %bb: memref<3x16x4xf32>, %bc: memref<3x8x4xf32>) {
  linalg.matmul ins(%a, %b : memref<8x16xf32>, memref<16x4xf32>) outs(%c : memref<8x4xf32>)
  linalg.matmul ins(%t, %u : memref<4x16xf64, strided<[32, 1], offset: 4>>, memref<16x2xf64>) outs(%v : memref<4x2xf64>)
  linalg.batch_matmul ins(%ba, %bb : memref<3x8x16xf32>, memref<3x16x4xf32>) outs(%bc : memref<3x8x4xf32>)
  linalg.matmul ins(%ia, %ib : memref<8x16xi32>, memref<16x4xi32>) outs(%ic : memref<8x4xi32>)
  linalg.matmul ins(%ta, %b : memref<8x16xf32, strided<[1, 8]>>, memref<16x4xf32>) outs(%c : memref<8x4xf32>)
  linalg.matmul indexing_maps = [affine_map<(d0, d1, d2) -> (d2, d0)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>]
    ins(%b, %b : memref<16x4xf32>, memref<16x4xf32>) outs(%sq : memref<4x4xf32>)
  return
}
func.func @server(%a: memref<8x16xf32>, %b: memref<16x4xf32>, %c: memref<8x4xf32>)
    attributes {hetu.device = #hetu.device<"cpu:0">} {
  linalg.matmul ins(%a, %b : memref<8x16xf32>, memref<16x4xf32>) outs(%c : memref<8x4xf32>)
  return
}
func.func @tensors(%a: tensor<8x16xf32>, %b: tensor<16x4xf32>, %c: tensor<8x4xf32>) -> tensor<8x4xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<8x16xf32>, tensor<16x4xf32>) outs(%c : tensor<8x4xf32>) -> tensor<8x4xf32>
  return %r : tensor<8x4xf32>
}
