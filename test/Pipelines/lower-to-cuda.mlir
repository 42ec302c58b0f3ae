// REQUIRES: cuda-toolkit
// RUN: hetu-opt %s -hetu-deduce-strategy -hetu-infer-states -hetu-partition=rank=1 -hetu-lower-to-cuda | FileCheck %s
// RUN: hetu-opt %s -hetu-deduce-strategy -hetu-infer-states -hetu-partition=rank=1 "-hetu-lower-to-cuda=chip=sm_80" | FileCheck %s --check-prefix=SM80
// The parameter server of a PS model (rank 2, on cpu:0) stays on the host,
// as the rank map places it: heap buffers and host loops, no kernel, no
// managed memory, no cuBLAS.
// RUN: hetu-opt %S/../../examples/mlp_train_ps.mlir -hetu-deduce-strategy -hetu-grad-sync -hetu-infer-states -hetu-partition=rank=2 -hetu-lower-to-cuda | FileCheck %s --check-prefix=SERVER --implicit-check-not=mgpu --implicit-check-not=cublas --implicit-check-not=gpu.module --implicit-check-not=gpu.launch
// SERVER: llvm.func @train__rank2({{.*}}hetu.device = #hetu.device<"cpu:0">
// SERVER: llvm.call @malloc
// SERVER: llvm.call @hetu_rt_recv_f32
// SERVER: llvm.br
// SERVER: llvm.fmul
// SERVER: llvm.call @hetu_rt_send_f32

// Rank 1 of a 2-device tuple: the fill becomes a kernel compiled for sm_90
// by default (a fatbin embedded in the module), the matmul tile a cuBLAS
// call, buffers are managed memory, communication (the all-gather of the
// result) stays runtime calls.
// CHECK: llvm.func @mlp__rank1(
// CHECK: llvm.call @mgpuMemAlloc
// CHECK: gpu.launch_func  @mlp__rank1_kernel::@mlp__rank1_kernel blocks in ({{.*}}) threads in ({{.*}})
// CHECK: llvm.call @hetu_rt_cublas_gemm_f32
// CHECK: llvm.call @hetu_rt_all_gather_f32
// CHECK: llvm.call @mgpuMemFree
// CHECK: gpu.binary @mlp__rank1_kernel  [#gpu.object<#nvvm.target<chip = "sm_90">
// SM80: #nvvm.target<chip = "sm_80">
module attributes {hetu.default_ctx = #hetu.group<"(gpu:0,gpu:1)">} {
  func.func @mlp(%x: tensor<40x24xf32>, %w: tensor<24x16xf32>) -> tensor<40x16xf32> {
    %xd = hetu.dispatch %x to #hetu.states<[2, 1]> : tensor<40x24xf32>
    %zero = arith.constant 0.0 : f32
    %e = tensor.empty() : tensor<40x16xf32>
    %z = linalg.fill ins(%zero : f32) outs(%e : tensor<40x16xf32>) -> tensor<40x16xf32>
    %y = linalg.matmul ins(%xd, %w : tensor<40x24xf32>, tensor<24x16xf32>) outs(%z : tensor<40x16xf32>) -> tensor<40x16xf32>
    return %y : tensor<40x16xf32>
  }
}
