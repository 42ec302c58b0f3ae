// RUN: hetu-opt %s -split-input-file -pass-pipeline='builtin.module(func.func(hetu-host-rank-loops))' -verify-diagnostics | FileCheck %s

// A rank placed on a CPU (a parameter server): its linalg ops become host
// loops; a GPU rank's and an unplaced function's are left to the GPU mapping.
// CHECK-LABEL: func.func @server
// CHECK-NOT: linalg.
// CHECK: scf.for
// CHECK: scf.for
// CHECK: memref.load
// CHECK: arith.addf
// CHECK: memref.store
// CHECK-LABEL: func.func @worker
// CHECK: linalg.add
// CHECK-LABEL: func.func @unplaced
// CHECK: linalg.matmul
func.func @server(%a: memref<4x8xf32>, %b: memref<4x8xf32>, %c: memref<4x8xf32>)
    attributes {hetu.device = #hetu.device<"cpu:0">, hetu.rank = 2 : i64} {
  linalg.add ins(%a, %b : memref<4x8xf32>, memref<4x8xf32>) outs(%c : memref<4x8xf32>)
  return
}
func.func @worker(%a: memref<4x8xf32>, %b: memref<4x8xf32>, %c: memref<4x8xf32>)
    attributes {hetu.device = #hetu.device<"gpu:0">, hetu.rank = 0 : i64} {
  linalg.add ins(%a, %b : memref<4x8xf32>, memref<4x8xf32>) outs(%c : memref<4x8xf32>)
  return
}
func.func @unplaced(%a: memref<4x8xf32>, %b: memref<8x2xf32>, %c: memref<4x2xf32>) {
  linalg.matmul ins(%a, %b : memref<4x8xf32>, memref<8x2xf32>) outs(%c : memref<4x2xf32>)
  return
}

// -----

// Before bufferization: an error, not a miscompile.
func.func @tensors(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32>
    attributes {hetu.device = #hetu.device<"cpu:0">} {
  // expected-error @+1 {{hetu-host-rank-loops: expected a linalg op on buffers (run after bufferization)}}
  %r = linalg.add ins(%a, %b : tensor<4xf32>, tensor<4xf32>) outs(%a : tensor<4xf32>) -> tensor<4xf32>
  return %r : tensor<4xf32>
}
