// Runtime failures are errors with both ranks named, never a hang.
// RUN: split-file %s %t
// RUN: not hetu-run %t/mismatch.mlir 2>&1 | FileCheck %s --check-prefix=MISMATCH
// RUN: env HETU_TIMEOUT_S=1 not hetu-run %t/missing.mlir 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: env HETU_TIMEOUT_S=1 not hetu-run %t/dtype.mlir 2>&1 | FileCheck %s --check-prefix=DTYPE
// RUN: env HETU_TIMEOUT_S=1 not hetu-run %t/cycle.mlir 2>&1 | FileCheck %s --check-prefix=CYCLE

// MISMATCH: hetu-run: runtime error: rank 1: rank 1 expected f32 x 8 (32 bytes, tag 0) from rank 0, but rank 0 sent f32 x 4 (16 bytes, tag 0)
// MISSING: hetu-run: runtime error: rank 1: timed out after 1.000000 s waiting for rank 0 to send f32 x 8 (32 bytes, tag 5)
// A deadlock (each rank receives first) is named as one.
// CYCLE: hetu-run: runtime error: rank {{[01]}}: timed out after 1.000000 s waiting for rank {{[01]}} to send f32 x 4 (16 bytes, tag 0) (ranks wait on each other in a cycle: {{[01]}} -> {{[01]}} -> {{[01]}})
// DTYPE: rank 1 expected i32 x 4 (16 bytes, tag 0) from rank 0, but rank 0 sent f32 x 4 (16 bytes, tag 0)

//--- mismatch.mlir
module attributes {hetu.rank_map = [#hetu.device<"gpu:0">, #hetu.device<"gpu:1">]} {
  func.func @f__rank0() attributes {hetu.rank = 0 : i64, hetu.function = "f"} {
    %c = arith.constant dense<1.0> : tensor<4xf32>
    hetu.send %c to #hetu.device<"gpu:1"> : tensor<4xf32>
    return
  }
  func.func @f__rank1() attributes {hetu.rank = 1 : i64, hetu.function = "f"} {
    %r = hetu.recv from #hetu.device<"gpu:0"> : tensor<8xf32>
    return
  }
}

//--- missing.mlir
module attributes {hetu.rank_map = [#hetu.device<"gpu:0">, #hetu.device<"gpu:1">]} {
  func.func @f__rank0() attributes {hetu.rank = 0 : i64, hetu.function = "f"} {
    return
  }
  func.func @f__rank1() attributes {hetu.rank = 1 : i64, hetu.function = "f"} {
    %r = hetu.recv from #hetu.device<"gpu:0"> : tensor<8xf32> {tag = 5 : i64}
    return
  }
}

//--- dtype.mlir
module attributes {hetu.rank_map = [#hetu.device<"gpu:0">, #hetu.device<"gpu:1">]} {
  func.func @f__rank0() attributes {hetu.rank = 0 : i64, hetu.function = "f"} {
    %c = arith.constant dense<1.0> : tensor<4xf32>
    hetu.send %c to #hetu.device<"gpu:1"> : tensor<4xf32>
    return
  }
  func.func @f__rank1() attributes {hetu.rank = 1 : i64, hetu.function = "f"} {
    %r = hetu.recv from #hetu.device<"gpu:0"> : tensor<4xi32>
    return
  }
}

//--- cycle.mlir
module attributes {hetu.rank_map = [#hetu.device<"gpu:0">, #hetu.device<"gpu:1">]} {
  func.func @f__rank0() attributes {hetu.rank = 0 : i64, hetu.function = "f"} {
    %r = hetu.recv from #hetu.device<"gpu:1"> : tensor<4xf32>
    hetu.send %r to #hetu.device<"gpu:1"> : tensor<4xf32>
    return
  }
  func.func @f__rank1() attributes {hetu.rank = 1 : i64, hetu.function = "f"} {
    %r = hetu.recv from #hetu.device<"gpu:0"> : tensor<4xf32>
    hetu.send %r to #hetu.device<"gpu:0"> : tensor<4xf32>
    return
  }
}
