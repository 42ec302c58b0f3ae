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
// Integers stay; a column-major buffer goes as it is (the runtime passes
// it to the BLAS transposed); user-defined maps read an operand transposed
// through a memref.transpose view.
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : memref<8x16xi32>
// CHECK: memref.cast %arg9 : memref<8x16xf32, strided<[1, 8]>> to memref<*xf32>
// CHECK: call @hetu_rt_blas_gemm_f32
// CHECK: %[[T:.*]] = memref.transpose %arg1 (d0, d1) -> (d1, d0) : memref<16x4xf32> to memref<4x16xf32, strided<[1, 4]>>
// CHECK: memref.cast %[[T]]
// CHECK: call @hetu_rt_blas_gemm_f32
// CHECK-NOT: linalg.matmul
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

// An attention's scores (q k^T per batch and head) as a generic
// contraction: k read transposed, the two batch dimensions collapsed into
// one.
// CHECK-LABEL: func.func @attention
// CHECK: %[[Q:.*]] = memref.collapse_shape %arg0 {{\[}}[0, 1], [2], [3]] : memref<2x4x8x16xf32> into memref<8x8x16xf32>
// CHECK: memref.cast %[[Q]]
// CHECK: %[[KT:.*]] = memref.transpose %arg1 (d0, d1, d2, d3) -> (d0, d1, d3, d2) : memref<2x4x8x16xf32> to memref<2x4x16x8xf32, strided<[512, 128, 1, 16]>>
// CHECK: %[[K:.*]] = memref.collapse_shape %[[KT]] {{\[}}[0, 1], [2], [3]] : memref<2x4x16x8xf32, strided<[512, 128, 1, 16]>> into memref<8x16x8xf32, strided<[128, 1, 16]>>
// CHECK: memref.cast %[[K]]
// CHECK: %[[S:.*]] = memref.collapse_shape %arg2
// CHECK: memref.cast %[[S]]
// CHECK: call @hetu_rt_blas_batched_gemm_f32
// CHECK-NOT: linalg.generic
func.func @attention(%q: memref<2x4x8x16xf32>, %k: memref<2x4x8x16xf32>, %s: memref<2x4x8x8xf32>) {
  linalg.generic {indexing_maps = [affine_map<(b, h, i, j, d) -> (b, h, i, d)>,
                                   affine_map<(b, h, i, j, d) -> (b, h, j, d)>,
                                   affine_map<(b, h, i, j, d) -> (b, h, i, j)>],
                  iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%q, %k : memref<2x4x8x16xf32>, memref<2x4x8x16xf32>) outs(%s : memref<2x4x8x8xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    %r = arith.addf %c, %m : f32
    linalg.yield %r : f32
  }
  return
}

// A weight gradient x^T dy written into a transposed result (loops in any
// order, the product's operands swapped in the payload): every operand a
// view, C's too.
// CHECK-LABEL: func.func @transposed_result
// CHECK: memref.transpose %arg0 (d0, d1) -> (d1, d0)
// CHECK: memref.transpose %arg2 (d0, d1) -> (d1, d0)
// CHECK: call @hetu_rt_blas_gemm_f64
func.func @transposed_result(%x: memref<32x8xf64>, %dy: memref<32x4xf64>, %dwt: memref<4x8xf64>) {
  linalg.generic {indexing_maps = [affine_map<(k, n, m) -> (k, m)>,
                                   affine_map<(k, n, m) -> (k, n)>,
                                   affine_map<(k, n, m) -> (n, m)>],
                  iterator_types = ["reduction", "parallel", "parallel"]}
      ins(%x, %dy : memref<32x8xf64>, memref<32x4xf64>) outs(%dwt : memref<4x8xf64>) {
  ^bb0(%a: f64, %b: f64, %c: f64):
    %m = arith.mulf %b, %a : f64
    %r = arith.addf %m, %c : f64
    linalg.yield %r : f64
  }
  return
}

// A projection into heads with the reshapes folded in (rows: batch x
// sequence, columns: heads x width) and a weight gradient summed over batch
// and sequence (two k dimensions): each group of dimensions collapses into
// one.
// CHECK-LABEL: func.func @folded_reshapes
// CHECK: memref.collapse_shape %arg0 {{\[}}[0, 1], [2]] : memref<8x32x64xf32> into memref<256x64xf32>
// CHECK: memref.collapse_shape %arg1 {{\[}}[0], [1, 2]] : memref<64x4x16xf32> into memref<64x64xf32>
// CHECK: memref.collapse_shape %arg2 {{\[}}[0, 1], [2, 3]] : memref<8x32x4x16xf32> into memref<256x64xf32>
// CHECK: call @hetu_rt_blas_gemm_f32
// CHECK: memref.transpose %arg0 (d0, d1, d2) -> (d2, d0, d1)
// CHECK: memref.collapse_shape %{{.*}} {{\[}}[0], [1, 2]] : memref<64x8x32xf32, strided<[1, 2048, 64]>> into memref<64x256xf32, strided<[1, 64]>>
// CHECK: call @hetu_rt_blas_gemm_f32
// CHECK-NOT: linalg.generic
func.func @folded_reshapes(%x: memref<8x32x64xf32>, %w: memref<64x4x16xf32>, %y: memref<8x32x4x16xf32>,
                           %dy: memref<8x32x64xf32>, %dw: memref<64x64xf32>) {
  linalg.generic {indexing_maps = [affine_map<(b, s, h, d, e) -> (b, s, e)>,
                                   affine_map<(b, s, h, d, e) -> (e, h, d)>,
                                   affine_map<(b, s, h, d, e) -> (b, s, h, d)>],
                  iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%x, %w : memref<8x32x64xf32>, memref<64x4x16xf32>) outs(%y : memref<8x32x4x16xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    %r = arith.addf %c, %m : f32
    linalg.yield %r : f32
  }
  linalg.generic {indexing_maps = [affine_map<(i, j, b, s) -> (b, s, i)>,
                                   affine_map<(i, j, b, s) -> (b, s, j)>,
                                   affine_map<(i, j, b, s) -> (i, j)>],
                  iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
      ins(%x, %dy : memref<8x32x64xf32>, memref<8x32x64xf32>) outs(%dw : memref<64x64xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    %r = arith.addf %c, %m : f32
    linalg.yield %r : f32
  }
  return
}

// Left to the loops: a batch whose dimensions do not collapse (the heads
// interleaved with the sequence), an operand with no unit stride, a
// broadcast operand, two reduction dimensions stored in the other order
// than the loops run (their strides do not collapse), a payload that is
// not a multiply-add.
// CHECK-LABEL: func.func @stays
// CHECK-NOT: call
// CHECK-COUNT-5: linalg.generic
// CHECK-NOT: call
func.func @stays(%q: memref<2x8x4x16xf32>, %k: memref<2x4x16x8xf32>, %s: memref<2x4x8x8xf32>,
                 %a: memref<8x16xf32, strided<[32, 2]>>, %b: memref<16x4xf32>, %c: memref<8x4xf32>,
                 %v: memref<16xf32>, %a3: memref<8x2x16xf32>, %b3: memref<2x16x4xf32>,
                 %a2: memref<8x16xf32>) {
  linalg.generic {indexing_maps = [affine_map<(b, h, i, j, d) -> (b, i, h, d)>,
                                   affine_map<(b, h, i, j, d) -> (b, h, d, j)>,
                                   affine_map<(b, h, i, j, d) -> (b, h, i, j)>],
                  iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%q, %k : memref<2x8x4x16xf32>, memref<2x4x16x8xf32>) outs(%s : memref<2x4x8x8xf32>) {
  ^bb0(%x: f32, %y: f32, %z: f32):
    %m = arith.mulf %x, %y : f32
    %r = arith.addf %z, %m : f32
    linalg.yield %r : f32
  }
  linalg.generic {indexing_maps = [affine_map<(i, j, p) -> (i, p)>,
                                   affine_map<(i, j, p) -> (p, j)>,
                                   affine_map<(i, j, p) -> (i, j)>],
                  iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<8x16xf32, strided<[32, 2]>>, memref<16x4xf32>) outs(%c : memref<8x4xf32>) {
  ^bb0(%x: f32, %y: f32, %z: f32):
    %m = arith.mulf %x, %y : f32
    %r = arith.addf %z, %m : f32
    linalg.yield %r : f32
  }
  linalg.generic {indexing_maps = [affine_map<(i, j, p) -> (p)>,
                                   affine_map<(i, j, p) -> (p, j)>,
                                   affine_map<(i, j, p) -> (i, j)>],
                  iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%v, %b : memref<16xf32>, memref<16x4xf32>) outs(%c : memref<8x4xf32>) {
  ^bb0(%x: f32, %y: f32, %z: f32):
    %m = arith.mulf %x, %y : f32
    %r = arith.addf %z, %m : f32
    linalg.yield %r : f32
  }
  linalg.generic {indexing_maps = [affine_map<(i, j, p, q) -> (i, q, p)>,
                                   affine_map<(i, j, p, q) -> (q, p, j)>,
                                   affine_map<(i, j, p, q) -> (i, j)>],
                  iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
      ins(%a3, %b3 : memref<8x2x16xf32>, memref<2x16x4xf32>) outs(%c : memref<8x4xf32>) {
  ^bb0(%x: f32, %y: f32, %z: f32):
    %m = arith.mulf %x, %y : f32
    %r = arith.addf %z, %m : f32
    linalg.yield %r : f32
  }
  linalg.generic {indexing_maps = [affine_map<(i, j, p) -> (i, p)>,
                                   affine_map<(i, j, p) -> (p, j)>,
                                   affine_map<(i, j, p) -> (i, j)>],
                  iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a2, %b : memref<8x16xf32>, memref<16x4xf32>) outs(%c : memref<8x4xf32>) {
  ^bb0(%x: f32, %y: f32, %z: f32):
    %m = arith.mulf %x, %y : f32
    %r = arith.subf %z, %m : f32
    linalg.yield %r : f32
  }
  return
}
