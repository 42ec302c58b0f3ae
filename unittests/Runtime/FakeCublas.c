/*===- FakeCublas.c - A cuBLAS stand-in for tests -------------------------===*\
|*                                                                            *|
|* cublasCreate_v2, cublasSgemm_v2 and cublasDgemm_v2 on the host, column-    *|
|* major as cuBLAS: with FakeCudaDriver.c (managed memory is host memory),    *|
|* a model whose only kernels are matmuls computes real results, so the       *|
|* tests check the runtime's row-major-to-cuBLAS mapping (leading             *|
|* dimensions, offsets) against the single-device reference.                 *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#include <stdlib.h>

int cublasCreate_v2(void **handle) {
  *handle = malloc(1);
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
