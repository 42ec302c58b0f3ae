/*===- FakeCublas.c - A cuBLAS stand-in for tests -------------------------===*\
|*                                                                            *|
|* cublasCreate_v2, cublasSetStream_v2 and {S,D}gemm (plain and strided-     *|
|* batched) on the host, column-major as cuBLAS. With FakeCudaDriver.c        *|
|* (managed memory is host memory), a model whose only kernels are matmuls    *|
|* computes real results, so the tests check the runtime's mapping of         *|
|* row-major operands to cuBLAS (leading dimensions, batch strides, offsets)  *|
|* against the single-device reference.                                       *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#include <stdlib.h>

int cublasCreate_v2(void **handle) {
  *handle = malloc(1);
  return 0;
}

int cublasSetStream_v2(void *handle, void *stream) {
  (void)handle;
  (void)stream;
  return 0;
}

int cublasDestroy_v2(void *handle) {
  free(handle);
  return 0;
}

#define HETU_FAKE_GEMM(NAME, T)                                                \
  int NAME(void *handle, int transa, int transb, int m, int n, int k,          \
           const T *alpha, const T *a, int lda, const T *b, int ldb,           \
           const T *beta, T *c, int ldc) {                                     \
    if (transa || transb)                                                      \
      return 7; /* only what the runtime asks for */                           \
    for (int j = 0; j < n; ++j)                                                \
      for (int i = 0; i < m; ++i) {                                            \
        T sum = 0;                                                             \
        for (int l = 0; l < k; ++l)                                            \
          sum += a[i + (long)l * lda] * b[l + (long)j * ldb];                  \
        c[i + (long)j * ldc] = *alpha * sum + *beta * c[i + (long)j * ldc];    \
      }                                                                        \
    return 0;                                                                  \
  }

HETU_FAKE_GEMM(cublasSgemm_v2, float)
HETU_FAKE_GEMM(cublasDgemm_v2, double)

#define HETU_FAKE_BATCHED(NAME, GEMM, T)                                       \
  int NAME(void *handle, int transa, int transb, int m, int n, int k,          \
           const T *alpha, const T *a, int lda, long long strideA,             \
           const T *b, int ldb, long long strideB, const T *beta, T *c,        \
           int ldc, long long strideC, int batch) {                            \
    for (int i = 0; i < batch; ++i) {                                          \
      int status = GEMM(handle, transa, transb, m, n, k, alpha,                \
                        a + i * strideA, lda, b + i * strideB, ldb, beta,      \
                        c + i * strideC, ldc);                                 \
      if (status)                                                              \
        return status;                                                         \
    }                                                                          \
    return 0;                                                                  \
  }

HETU_FAKE_BATCHED(cublasSgemmStridedBatched, cublasSgemm_v2, float)
HETU_FAKE_BATCHED(cublasDgemmStridedBatched, cublasDgemm_v2, double)
