// RUN: hetu-opt %s -hetu-gpu-managed-memory | FileCheck %s

// Host buffers become managed memory; kernels' code is left alone.
// CHECK-LABEL: func.func @host
// CHECK: %[[M:.*]] = gpu.alloc  host_shared () : memref<4xf32>
// CHECK: %[[G:.*]] = memref.get_global @cst : memref<4xf32>
// CHECK: %[[C:.*]] = gpu.alloc  host_shared () : memref<4xf32>
// CHECK: memref.copy %[[G]], %[[C]]
// CHECK: %[[T0:.*]] = gpu.wait async
// CHECK: %[[T1:.*]] = gpu.dealloc async [%[[T0]]] %[[M]]
// CHECK: gpu.wait [%[[T1]]]
// CHECK: gpu.dealloc async [%{{.*}}] %[[C]]
// CHECK: return
// The program of a rank on a CPU (a parameter server) keeps heap buffers.
// CHECK-LABEL: func.func @server
// CHECK-NOT: gpu.
// CHECK: memref.alloc()
// CHECK-NOT: gpu.
// CHECK: memref.dealloc
// CHECK: gpu.module @kernels
// CHECK: memref.alloca
module attributes {gpu.container_module} {
  memref.global "private" constant @cst : memref<4xf32> = dense<1.0>
  func.func @host(%n: index) -> f32 {
    %m = memref.alloc() : memref<4xf32>
    %g = memref.get_global @cst : memref<4xf32>
    %c0 = arith.constant 0 : index
    %v = memref.load %g[%c0] : memref<4xf32>
    memref.store %v, %m[%c0] : memref<4xf32>
    %w = memref.load %m[%c0] : memref<4xf32>
    memref.dealloc %m : memref<4xf32>
    return %w : f32
  }
  func.func @server() -> f32 attributes {hetu.device = #hetu.device<"cpu:0">} {
    %m = memref.alloc() : memref<4xf32>
    %c0 = arith.constant 0 : index
    %w = memref.load %m[%c0] : memref<4xf32>
    memref.dealloc %m : memref<4xf32>
    return %w : f32
  }
  gpu.module @kernels {
    gpu.func @k() kernel {
      %a = memref.alloca() : memref<4xf32>
      gpu.return
    }
  }
}
