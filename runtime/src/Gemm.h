//===- Gemm.h - Matmul operands as the lowered code passes them -*- C++ -*-===//
//
// What the BLAS and cuBLAS entry points share: the strided memref
// descriptors of C += A B (rank 2, or rank 3 for a batch) and their checked
// shapes, strides and leading dimensions.
//
//===----------------------------------------------------------------------===//

#ifndef HETU_RUNTIME_GEMM_H
#define HETU_RUNTIME_GEMM_H

#include "Runtime.h"

#include <algorithm>
#include <cstdint>
#include <string>

namespace hetu::rt {

/// A strided memref descriptor of rank R (what an unranked memref points
/// to).
template <typename T, int R> struct Strided {
  T *allocated, *aligned;
  int64_t offset, sizes[R], strides[R];
};

/// C += A B over row-major matrices (each of `batch`), checked.
template <typename T> struct Gemm {
  int64_t batch, m, n, k;
  /// Leading dimensions (row strides) and batch strides, in elements.
  int64_t lda, ldb, ldc, strideA, strideB, strideC;
  const T *a, *b;
  T *c;
  bool empty() const { return !batch || !m || !n || !k; }
};

/// The operands of `name` (rank-R unranked memrefs) as a Gemm; stops the
/// rank when the ranks, shapes or layouts do not fit.
template <typename T, int R>
Gemm<T> gemmOperands(const char *name, int64_t arank, void *a, int64_t brank,
                     void *b, int64_t crank, void *c) {
  if (arank != R || brank != R || crank != R)
    fail(std::string(name) + ": operands must be " + std::to_string(R) + "-D");
  auto &A = *static_cast<Strided<T, R> *>(a);
  auto &B = *static_cast<Strided<T, R> *>(b);
  auto &C = *static_cast<Strided<T, R> *>(c);
  constexpr int row = R - 2, col = R - 1;
  Gemm<T> g;
  g.batch = R == 3 ? A.sizes[0] : 1;
  g.m = A.sizes[row];
  g.k = A.sizes[col];
  g.n = B.sizes[col];
  if (B.sizes[row] != g.k || C.sizes[row] != g.m || C.sizes[col] != g.n ||
      (R == 3 && (B.sizes[0] != g.batch || C.sizes[0] != g.batch)))
    fail(std::string(name) + ": shapes do not match");
  for (auto *x : {&A, &B, &C})
    if (x->sizes[col] > 1 && x->strides[col] != 1)
      fail(std::string(name) + ": operands must be row-major");
  auto ld = [&](const Strided<T, R> &x) {
    return std::max<int64_t>({x.strides[row], x.sizes[col], 1});
  };
  g.lda = ld(A);
  g.ldb = ld(B);
  g.ldc = ld(C);
  g.strideA = R == 3 ? A.strides[0] : 0;
  g.strideB = R == 3 ? B.strides[0] : 0;
  g.strideC = R == 3 ? C.strides[0] : 0;
  g.a = A.aligned + A.offset;
  g.b = B.aligned + B.offset;
  g.c = C.aligned + C.offset;
  return g;
}

} // namespace hetu::rt

#endif // HETU_RUNTIME_GEMM_H
