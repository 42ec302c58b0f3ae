// RUN: hetu-opt %s -split-input-file -pass-pipeline='builtin.module(func.func(hetu-gpu-split-reductions))' | FileCheck %s
// RUN: hetu-opt %s -split-input-file -pass-pipeline='builtin.module(func.func(hetu-gpu-split-reductions{min-elements=1000000}))' | FileCheck %s --check-prefix=LARGE

// A loss (every loop a reduction) becomes partial sums over a parallel
// dimension of 512 interleaved slices, then a reduction of those 512 values.
// CHECK-LABEL: func.func @loss
// CHECK: %[[FLAT:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0, 1]] : tensor<512x1024xf32> into tensor<524288xf32>
// CHECK: %[[SLICES:.*]] = tensor.expand_shape %[[FLAT]] {{\[\[}}0, 1]] output_shape [1024, 512]
// CHECK: %[[INIT:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<512xf32>)
// The parallel loop is outer, so it maps to one kernel.
// CHECK: %[[PARTIAL:.*]] = linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]{{.*}} ins(%[[SLICES]] : tensor<1024x512xf32>) outs(%[[INIT]] : tensor<512xf32>)
// CHECK: arith.addf
// CHECK: linalg.generic {{.*}}iterator_types = ["reduction"]{{.*}} ins(%[[PARTIAL]] : tensor<512xf32>)
// LARGE-LABEL: func.func @loss
// LARGE-NOT: tensor.collapse_shape
// LARGE: linalg.reduce
func.func @loss(%sq: tensor<512x1024xf32>, %z: tensor<f32>) -> tensor<f32> {
  %s = linalg.reduce ins(%sq : tensor<512x1024xf32>) outs(%z : tensor<f32>) dimensions = [0, 1]
    (%in: f32, %acc: f32) {
      %add = arith.addf %in, %acc : f32
      linalg.yield %add : f32
    }
  return %s : tensor<f32>
}

// -----

// Left alone: a reduction with a parallel loop (already a kernel), a small
// one, a dynamic one, one whose body reads its indices (upstream's split
// would keep the body, with the split loops' indices), and any in the
// program of a rank on a CPU.
// CHECK-LABEL: func.func @rows
// CHECK-NOT: tensor.collapse_shape
// CHECK: linalg.reduce
// CHECK-LABEL: func.func @small
// CHECK-NOT: tensor.collapse_shape
// CHECK: linalg.reduce
// CHECK-LABEL: func.func @dynamic
// CHECK-NOT: tensor.collapse_shape
// CHECK: linalg.reduce
// CHECK-LABEL: func.func @indexed
// CHECK-NOT: tensor.collapse_shape
// CHECK: linalg.generic
// CHECK: linalg.index 0
// CHECK-LABEL: func.func @server
// CHECK-NOT: tensor.collapse_shape
// CHECK: linalg.reduce
func.func @rows(%x: tensor<512x1024xf32>, %z: tensor<512xf32>) -> tensor<512xf32> {
  %s = linalg.reduce ins(%x : tensor<512x1024xf32>) outs(%z : tensor<512xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %add = arith.addf %in, %acc : f32
      linalg.yield %add : f32
    }
  return %s : tensor<512xf32>
}
func.func @small(%x: tensor<16x8xf32>, %z: tensor<f32>) -> tensor<f32> {
  %s = linalg.reduce ins(%x : tensor<16x8xf32>) outs(%z : tensor<f32>) dimensions = [0, 1]
    (%in: f32, %acc: f32) {
      %add = arith.addf %in, %acc : f32
      linalg.yield %add : f32
    }
  return %s : tensor<f32>
}
func.func @dynamic(%x: tensor<?x1024xf32>, %z: tensor<f32>) -> tensor<f32> {
  %s = linalg.reduce ins(%x : tensor<?x1024xf32>) outs(%z : tensor<f32>) dimensions = [0, 1]
    (%in: f32, %acc: f32) {
      %add = arith.addf %in, %acc : f32
      linalg.yield %add : f32
    }
  return %s : tensor<f32>
}
func.func @indexed(%x: tensor<512x1024xf32>, %z: tensor<f32>) -> tensor<f32> {
  %s = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> ()>],
                       iterator_types = ["reduction", "reduction"]}
      ins(%x : tensor<512x1024xf32>) outs(%z : tensor<f32>) {
    ^bb0(%in: f32, %acc: f32):
      %i = linalg.index 0 : index
      %ii = arith.index_cast %i : index to i64
      %w = arith.sitofp %ii : i64 to f32
      %p = arith.mulf %in, %w : f32
      %add = arith.addf %p, %acc : f32
      linalg.yield %add : f32
  } -> tensor<f32>
  return %s : tensor<f32>
}
func.func @server(%x: tensor<512x1024xf32>, %z: tensor<f32>) -> tensor<f32>
    attributes {hetu.device = #hetu.device<"cpu:0">} {
  %s = linalg.reduce ins(%x : tensor<512x1024xf32>) outs(%z : tensor<f32>) dimensions = [0, 1]
    (%in: f32, %acc: f32) {
      %add = arith.addf %in, %acc : f32
      linalg.yield %add : f32
    }
  return %s : tensor<f32>
}
