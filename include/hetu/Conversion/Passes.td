//===- Passes.td - Conversions of the hetu dialect --------*- tablegen -*-===//
//
// From hetu ops (communication, optimizer updates) and linalg matmuls to
// runtime calls and arithmetic: one folder per conversion in lib/Conversion.
//
//===----------------------------------------------------------------------===//

#ifndef HETU_CONVERSION_PASSES_TD
#define HETU_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertHetuToRuntime : Pass<"convert-hetu-to-runtime", "::mlir::ModuleOp"> {
  let summary = "Lower hetu communication on memrefs to runtime calls";
  let description = [{
    After bufferization, every communication op of a partitioned module
    (memref forms of `hetu.send`, `hetu.recv`, `hetu.all_reduce`,
    `hetu.all_gather`, `hetu.reduce_scatter`, `hetu.broadcast`,
    `hetu.reduce`) becomes a call into the `hetu_runtime` C ABI
    (`hetu_runtime.h`): `hetu_rt_<op>_<f32|f64|i32|i64>`, with buffers passed
    as unranked memrefs (any layout; the runtime packs strided views),
    devices turned into ranks through the module's `hetu.rank_map`, and
    collective groups as constant `memref<Nxi64>` globals of ranks. Ops that
    produce a buffer (`recv`, collectives) become a `memref.alloc` filled by
    the call.

    ```mlir
    hetu.send %m to #hetu.device<"gpu:1"> : memref<8x64xf32> {tag = 3 : i64}
    // becomes
    %u = memref.cast %m : memref<8x64xf32> to memref<*xf32>
    call @hetu_rt_send_f32(%c1, %c3, %u) : (i64, i64, memref<*xf32>) -> ()
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::func::FuncDialect",
    "::mlir::memref::MemRefDialect"
  ];
}

def ConvertHetuOptimizers : Pass<"convert-hetu-optimizers", "::mlir::ModuleOp"> {
  let summary = "Lower optimizer updates (hetu.sgd, hetu.momentum, hetu.adam, "
                "hetu.adamw) to arithmetic on tensors";
  let description = [{
    `hetu.sgd %p, %g lr L` becomes `arith.subf %p, (arith.mulf %g, L)` on
    tensors; `hetu.momentum %p, %g, %v lr L momentum M` becomes
    `v' = arith.addf (arith.mulf %v, M), %g` and `p' = arith.subf %p,
    (arith.mulf v', L)`. `hetu.adam` and `hetu.adamw` become the moments'
    elementwise updates and the bias corrections `1 - beta^t`, computed as
    scalars from the step count and filled into tensors. The first step of
    `hetu-lower-to-cpu` and `hetu-lower-to-cuda`.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::tensor::TensorDialect"];
}

def HetuMatmulToBlas : Pass<"hetu-matmul-to-blas", "::mlir::ModuleOp"> {
  let summary = "Matmuls on buffers become CPU BLAS calls through the runtime";
  let description = [{
    For `hetu-lower-to-cpu`: every float contraction on f32 or f64 buffers
    (`linalg.matmul`, `linalg.batch_matmul`, or a `linalg.generic` whose
    payload is `C + A * B`) with no broadcast operand becomes a call of the
    runtime's `hetu_rt_blas_gemm_<f32|f64>(A, B, C)` or
    `hetu_rt_blas_batched_gemm_<f32|f64>` (C += A * B, unranked memrefs),
    which runs the CBLAS gemm of a BLAS loaded at run time (OpenBLAS by
    default; see `docs/Running.md`) instead of naive loops. An operand read
    transposed (an attention's `q k^T`, a weight gradient's `x^T dy`) is
    passed as a `memref.transpose` view, which the runtime gives the BLAS
    as a transposed (column-major) matrix; several batch, m, n or k
    dimensions (a reshape folded into the contraction) are collapsed into
    one each (`memref.collapse_shape`) where their strides allow.
    Offsets and row strides of subviews are passed through. Contractions
    whose operands cannot be viewed so (no unit stride in either matrix
    dimension, dimensions that do not collapse) are left to the loop
    lowering.

    ```mlir
    linalg.matmul ins(%a, %b : memref<8x16xf32>, memref<16x4xf32>)
                  outs(%c : memref<8x4xf32>)
    // becomes
    call @hetu_rt_blas_gemm_f32(%ua, %ub, %uc)
        : (memref<*xf32>, memref<*xf32>, memref<*xf32>) -> ()
    ```
  }];
  let dependentDialects = ["::mlir::func::FuncDialect",
                           "::mlir::memref::MemRefDialect"];
}

def HetuMatmulToCublas : Pass<"hetu-matmul-to-cublas", "::mlir::ModuleOp"> {
  let summary = "Host matmuls on buffers become cuBLAS calls through the runtime";
  let description = [{
    For `hetu-lower-to-cuda`: every `linalg.matmul` and
    `linalg.batch_matmul` of host functions on f32 or f64 buffers, with the
    default indexing maps and row-major operands (innermost stride 1),
    becomes a call of the runtime's `hetu_rt_cublas_gemm_<f32|f64>(A, B, C)`
    or `hetu_rt_cublas_batched_gemm_<f32|f64>` (C += A * B, unranked
    memrefs), which runs cuBLAS (strided-batched for batches) on the rank's
    GPU, the library loaded at run time, instead of a naive kernel. Other
    matmuls, and those of ranks placed on a CPU, are left to the loop
    lowering.

    ```mlir
    linalg.matmul ins(%a, %b : memref<8x16xf32>, memref<16x4xf32>)
                  outs(%c : memref<8x4xf32>)
    // becomes
    call @hetu_rt_cublas_gemm_f32(%ua, %ub, %uc)
        : (memref<*xf32>, memref<*xf32>, memref<*xf32>) -> ()
    ```
  }];
  let dependentDialects = ["::mlir::func::FuncDialect",
                           "::mlir::memref::MemRefDialect"];
}

#endif // HETU_CONVERSION_PASSES_TD
