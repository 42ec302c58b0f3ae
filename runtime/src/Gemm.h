//===- Gemm.h - Matmul operands as the lowered code passes them -*- C++ -*-===//
//
// What the BLAS and cuBLAS entry points share: the strided memref
// descriptors of C += A B (rank 2, or rank 3 for a batch) and their checked
// shapes, strides, leading dimensions and storage order (a column-major
// operand is a transposed row-major one).
//
//===----------------------------------------------------------------------===//

#ifndef HETU_RUNTIME_GEMM_H
#define HETU_RUNTIME_GEMM_H

#include "Runtime.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>

namespace hetu::rt {

/// A strided memref descriptor of rank R (what an unranked memref points
/// to).
template <typename T, int R> struct Strided {
  T *allocated, *aligned;
  int64_t offset, sizes[R], strides[R];
};

/// C += op(A) op(B) over matrices (each of `batch`), checked. op(X) is X or,
/// where `transX`, the transpose of the row-major matrix X points to: a
/// column-major operand. C is row-major (a column-major C is computed as
/// C^T += op(B)^T op(A)^T).
template <typename T> struct Gemm {
  int64_t batch, m, n, k;
  /// Leading dimensions (row strides of the stored matrices) and batch
  /// strides, in elements.
  int64_t lda, ldb, ldc, strideA, strideB, strideC;
  bool transA = false, transB = false;
  const T *a, *b;
  T *c;
  bool empty() const { return !batch || !m || !n || !k; }
};

namespace detail {
/// How the matrix (last two dimensions) of `x` is stored: row-major (stride
/// 1 along a row), else column-major (stride 1 along a column, a transposed
/// row-major matrix); the leading dimension of what is stored. False when
/// neither.
template <typename T, int R>
bool storage(const Strided<T, R> &x, bool &transposed, int64_t &ld) {
  constexpr int row = R - 2, col = R - 1;
  int64_t rows = x.sizes[row], cols = x.sizes[col];
  if (cols <= 1 || x.strides[col] == 1) {
    transposed = false;
    ld = std::max<int64_t>({x.strides[row], cols, 1});
    return true;
  }
  if (rows <= 1 || x.strides[row] == 1) {
    transposed = true;
    ld = std::max<int64_t>({x.strides[col], rows, 1});
    return true;
  }
  return false;
}
} // namespace detail

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
  bool transC;
  if (!detail::storage(A, g.transA, g.lda) ||
      !detail::storage(B, g.transB, g.ldb) ||
      !detail::storage(C, transC, g.ldc))
    fail(std::string(name) +
         ": operands must be row-major or column-major matrices");
  g.strideA = R == 3 ? A.strides[0] : 0;
  g.strideB = R == 3 ? B.strides[0] : 0;
  g.strideC = R == 3 ? C.strides[0] : 0;
  g.a = A.aligned + A.offset;
  g.b = B.aligned + B.offset;
  g.c = C.aligned + C.offset;
  if (transC) {
    // C^T = op(B)^T op(A)^T, with C^T row-major.
    std::swap(g.m, g.n);
    std::swap(g.a, g.b);
    std::swap(g.lda, g.ldb);
    std::swap(g.strideA, g.strideB);
    std::swap(g.transA, g.transB);
    g.transA = !g.transA;
    g.transB = !g.transB;
  }
  return g;
}

} // namespace hetu::rt

#endif // HETU_RUNTIME_GEMM_H
