//===- Passes.td - Transforms of the lowering pipelines ---*- tablegen -*-===//
//
// Passes on the rank programs as the lowering pipelines take them apart
// (buffers, upstream dialects): sharing the programs of ranks by role, math
// approximations, the GPU's reductions and memory, host ranks' loops.
//
//===----------------------------------------------------------------------===//

#ifndef HETU_TRANSFORMS_PASSES_TD
#define HETU_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def HetuShareRankPrograms : Pass<"hetu-share-rank-programs", "::mlir::ModuleOp"> {
  let summary = "Compile once the rank programs that differ only in constants";
  let description = [{
    Data-parallel replicas, and generally ranks that play the same role in a
    layout, get rank programs that differ only in the ranks of their peers,
    the tags of their messages and the groups of their collectives. After
    `convert-hetu-to-runtime` those are integer or index `arith.constant`s
    and `memref.get_global`s of group tables, so this pass finds the rank
    programs (functions with `hetu.rank`) of one source function that are
    equal up to such constants, moves the common body into one private
    function `@<function>__role<k>` that takes the differing constants as
    arguments, and leaves each rank's function as a call to it with its own
    constants (`no_inline`, so that LLVM compiles the body once). Every rank
    keeps its own function, signature and attributes (`hetu.slice`, ...):
    what runs is unchanged, and compile time and code size grow with the
    number of distinct roles, not with the number of ranks.

    ```mlir
    func.func @f__rank0(%x: memref<4x8xf32>) { ... %c1 = arith.constant 1 : i64
      call @hetu_rt_send_f32(%c1, ...) ... }
    func.func @f__rank2(%x: memref<4x8xf32>) { ... %c3 = arith.constant 3 : i64
      call @hetu_rt_send_f32(%c3, ...) ... }
    // become
    func.func private @f__role0(%x: memref<4x8xf32>, %peer: i64) { ... }
    func.func @f__rank0(%x: memref<4x8xf32>) {
      %c1 = arith.constant 1 : i64
      call @f__role0(%x, %c1) {no_inline} : (memref<4x8xf32>, i64) -> ()
      return
    }
    ```

    With `detach`, the ranks' functions are left as private declarations
    that carry `hetu.role` and `hetu.role_params` (no body); a later run
    gives them their calls. `hetu-lower-to-cpu` and `hetu-lower-to-cuda` run
    it detached right after `convert-hetu-to-runtime` and again after
    `buffer-deallocation-pipeline`, whose simplification costs more on a
    call returning many buffers than on the shared body itself. Functions
    without `hetu.rank`, and rank programs no other rank shares, are left
    unchanged.
  }];
  let options = [
    Option<"detach", "detach", "bool", /*default=*/"false",
           "Leave the ranks' functions as declarations for a later run to "
           "complete">
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::func::FuncDialect",
                           "::mlir::memref::MemRefDialect"];
}

def HetuApproximateMath : Pass<"hetu-approximate-math"> {
  let summary = "f32 math functions as polynomial approximations the loop vectoriser can vectorise";
  let description = [{
    For `hetu-lower-to-cpu`: the f32 `math` ops named in `ops` (by default
    `exp`, `expm1`, `tanh`, `log`, `log1p`, `log2` and `erf`: softmax,
    GELU, cross entropy) are rewritten with upstream's polynomial
    approximations (`populateMathPolynomialApproximationPatterns`) into
    `arith` code with no libm call, so the loops around them vectorise, and
    no libm slow path runs (glibc's `expf` sets `errno` through a wrapper
    when a masked softmax underflows). The approximations are within a few
    ulp of libm over the whole f32 range, with infinities, NaN and
    underflow handled. f64 ops are left alone (they still call libm), so a
    `--verify` reference promoted to f64 shares nothing with them. Only the
    selected ops and what their rewrites create are touched (no folding of
    the rest of the program), on scalars and vectors: math ops on tensors
    are rewritten once they are in linalg bodies
    (`convert-elementwise-to-linalg` first). A name upstream has no
    approximation for is an error.

    ```mlir
    %e = math.exp %x : f32
    // becomes a range reduction, a polynomial and a scale by 2^n in arith
    ```
  }];
  let options = [
    ListOption<"ops", "ops", "std::string",
               "The math ops to approximate (mnemonics without `math.`: exp, "
               "expm1, tanh, log, log1p, log2, erf, erfc, atan, atan2, sin, "
               "cos, cbrt); default: exp, expm1, tanh, log, log1p, log2, erf">
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::vector::VectorDialect"];
}

def HetuGpuSplitReductions : Pass<"hetu-gpu-split-reductions", "::mlir::func::FuncOp"> {
  let summary = "Split reductions to a scalar into partial sums a kernel can compute";
  let description = [{
    For `hetu-lower-to-cuda`, on tensors: a linalg op whose loops are all
    reductions (a loss summed over a batch) has no parallel loop, so the GPU
    mapping would run it on the host, reading its operands out of GPU
    memory. This pass collapses its loops into one
    (`linalg::collapseOpIterationDims`) and splits it with upstream's
    `linalg::splitReduction` into partial reductions over a parallel
    dimension of `ratio` interleaved slices (a power of two near the square
    root of the element count), which becomes a kernel, and a final
    reduction of the `ratio` partial values. Ops with fewer than
    `min-elements` elements, dynamic shapes, several results, a body that
    reads its indices (`linalg.index`), or a combiner upstream does not
    recognise are left alone, as are the programs of ranks placed on a CPU.

    ```mlir
    %s = linalg.reduce ins(%sq : tensor<512x1024xf32>) outs(%z : tensor<f32>) dimensions = [0, 1]
    // becomes partial sums over tensor<1024xf32> (512 terms each, in a
    // parallel loop), then a reduction of those 1024 values into %z
    ```
  }];
  let options = [
    Option<"minElements", "min-elements", "int64_t", /*default=*/"4096",
           "Smallest reduction (elements) worth splitting">
  ];
  let dependentDialects = ["::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::arith::ArithDialect"];
}

def HetuGpuManagedMemory : Pass<"hetu-gpu-managed-memory", "::mlir::ModuleOp"> {
  let summary = "Host buffers of a partitioned program become CUDA managed memory";
  let description = [{
    For `hetu-lower-to-cuda`: the buffers of host functions (outside
    `gpu.module`s) must be reachable from the GPU kernels and from the host
    code that stays on the CPU (the runtime's communication, scalars), so
    every `memref.alloc` becomes `gpu.alloc host_shared` (managed memory)
    and every `memref.dealloc` its `gpu.dealloc`. Constants
    (`memref.get_global`) are copied into managed buffers, freed before the
    function returns. Programs of ranks placed on a CPU (`hetu.device` of
    kind cpu) keep their heap buffers.

    ```mlir
    %m = memref.alloc() : memref<8x4xf32>
    // becomes
    %m = gpu.alloc host_shared () : memref<8x4xf32>
    ```
  }];
  let dependentDialects = ["::mlir::gpu::GPUDialect",
                           "::mlir::memref::MemRefDialect"];
}

def HetuHostRankLoops : Pass<"hetu-host-rank-loops", "::mlir::func::FuncOp"> {
  let summary = "The linalg ops of ranks placed on a CPU become host loops";
  let description = [{
    For `hetu-lower-to-cuda`: a partitioned program whose rank is placed on a
    CPU (`hetu.device = #hetu.device<"cpu:0">`, e.g. a parameter server of a
    hybrid model) runs on the host, as the rank map says, and never touches
    a GPU. Its `linalg` ops become `scf.for` loops here, before the rest of
    the pipeline maps the remaining (GPU ranks') linalg ops to kernels;
    `hetu-gpu-managed-memory` and `hetu-matmul-to-cublas` also leave such
    functions alone, so they keep plain heap buffers. Functions without a
    `hetu.device` (or on a GPU) are left unchanged.

    ```mlir
    func.func @train__rank2(...) attributes {hetu.device = #hetu.device<"cpu:0">} {
      linalg.generic ... // becomes scf.for loops with memref.load/store
    ```
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::scf::SCFDialect"];
}

#endif // HETU_TRANSFORMS_PASSES_TD
