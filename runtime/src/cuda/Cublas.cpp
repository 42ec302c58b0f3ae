//===- Cublas.cpp - The runtime's cuBLAS gemms ----------------------------===//
//
// hetu_rt_cublas_*: the matmuls hetu-matmul-to-cublas emits, on the calling
// rank's compute stream. cuBLAS is loaded at run time, like the driver and
// NCCL, so the runtime builds and links without CUDA.
//
//===----------------------------------------------------------------------===//

#include "hetu_runtime.h"

#include "../Gemm.h"
#include "../Runtime.h"
#include "CudaInternal.h"
#include "Driver.h"

#include <chrono>
#include <dlfcn.h>
#include <string>
#include <type_traits>

using hetu::rt::cuda::resolve;
using namespace hetu::rt::cuda::detail;

namespace {

/// cuBLAS, loaded on first use ($HETU_CUBLAS_LIBRARY, or libcublas.so.13,
/// .12, .so), with one handle per rank (a handle is not to be used by two
/// threads at once) on the rank's stream.
struct Cublas {
  int (*create)(void **);
  int (*setStream)(void *, void *);
  int (*sgemm)(void *, int, int, int, int, int, const float *, const float *,
               int, const float *, int, const float *, float *, int);
  int (*dgemm)(void *, int, int, int, int, int, const double *,
               const double *, int, const double *, int, const double *,
               double *, int);
  int (*sgemmBatched)(void *, int, int, int, int, int, const float *,
                      const float *, int, long long, const float *, int,
                      long long, const float *, float *, int, long long, int);
  int (*dgemmBatched)(void *, int, int, int, int, int, const double *,
                      const double *, int, long long, const double *, int,
                      long long, const double *, double *, int, long long,
                      int);
};
Cublas cublas;
bool cublasLoaded = false;

/// The calling rank's cuBLAS handle, on its stream; stops the rank if
/// cuBLAS is missing.
void *cublasHandle() {
  bind();
  std::string error;
  {
    std::lock_guard<std::mutex> lock(initMutex);
    if (!cublasLoaded) {
      const char *path = std::getenv("HETU_CUBLAS_LIBRARY");
      void *lib = path ? dlopen(path, RTLD_NOW | RTLD_GLOBAL) : nullptr;
      for (const char *name : {"libcublas.so.13", "libcublas.so.12",
                               "libcublas.so"})
        if (!path && !lib)
          lib = dlopen(name, RTLD_NOW | RTLD_GLOBAL);
      if (!lib)
        error = std::string("cannot load cuBLAS (") +
                (path ? path : "libcublas.so.13/.12/.so") + "): " + dlerror() +
                "; set HETU_CUBLAS_LIBRARY or LD_LIBRARY_PATH";
      else if (!resolve(lib, "cublasCreate_v2", cublas.create) ||
               !resolve(lib, "cublasSetStream_v2", cublas.setStream) ||
               !resolve(lib, "cublasSgemm_v2", cublas.sgemm) ||
               !resolve(lib, "cublasDgemm_v2", cublas.dgemm) ||
               !resolve(lib, "cublasSgemmStridedBatched",
                        cublas.sgemmBatched) ||
               !resolve(lib, "cublasDgemmStridedBatched",
                        cublas.dgemmBatched))
        error = "cuBLAS lacks one of cublasCreate_v2, cublasSetStream_v2, "
                "cublas{S,D}gemm_v2, cublas{S,D}gemmStridedBatched";
      else
        cublasLoaded = true;
    }
  }
  if (!error.empty())
    hetu::rt::fail(error);
  RankState &state = rankState();
  if (!state.cublas) {
    if (cublas.create(&state.cublas) != 0) {
      state.cublas = nullptr;
      hetu::rt::fail("cublasCreate failed on GPU " +
                     std::to_string(currentDevice));
    }
    if (cublas.setStream(state.cublas, computeStream()) != 0)
      hetu::rt::fail("cublasSetStream failed");
  }
  return state.cublas;
}

/// C += A B for each of `batch` row-major matrices. Row-major C = A B is
/// column-major C^T = B^T A^T: the same buffers with their row strides as
/// leading dimensions.
template <typename T, int R>
void gemm(const char *name, int64_t arank, void *a, int64_t brank, void *b,
          int64_t crank, void *c) {
  hetu::rt::Gemm<T> g =
      hetu::rt::gemmOperands<T, R>(name, arank, a, brank, b, crank, c);
  if (g.empty())
    return;
  // hetu-matmul-to-cublas passes row-major operands only.
  if (g.transA || g.transB)
    hetu::rt::fail(std::string(name) + ": operands must be row-major");
  void *handle = cublasHandle();
  int m = static_cast<int>(g.m), n = static_cast<int>(g.n),
      k = static_cast<int>(g.k);
  int lda = static_cast<int>(g.lda), ldb = static_cast<int>(g.ldb),
      ldc = static_cast<int>(g.ldc);
  const T one = 1;
  const int kNoTranspose = 0;
  auto started = std::chrono::steady_clock::now();
  int status;
  if constexpr (R == 2 && std::is_same_v<T, float>)
    status = cublas.sgemm(handle, kNoTranspose, kNoTranspose, n, m, k, &one,
                          g.b, ldb, g.a, lda, &one, g.c, ldc);
  else if constexpr (R == 2)
    status = cublas.dgemm(handle, kNoTranspose, kNoTranspose, n, m, k, &one,
                          g.b, ldb, g.a, lda, &one, g.c, ldc);
  else if constexpr (std::is_same_v<T, float>)
    status = cublas.sgemmBatched(handle, kNoTranspose, kNoTranspose, n, m, k,
                                 &one, g.b, ldb, g.strideB, g.a, lda,
                                 g.strideA, &one, g.c, ldc, g.strideC,
                                 static_cast<int>(g.batch));
  else
    status = cublas.dgemmBatched(handle, kNoTranspose, kNoTranspose, n, m, k,
                                 &one, g.b, ldb, g.strideB, g.a, lda,
                                 g.strideA, &one, g.c, ldc, g.strideC,
                                 static_cast<int>(g.batch));
  if (status != 0)
    hetu::rt::fail(std::string(name) + ": cuBLAS status " +
                   std::to_string(status));
  // Host code may read C next.
  check(driver.cuStreamSynchronize(computeStream()), "cuStreamSynchronize");
  if (profile.on)
    profileAdd(std::string(name) + " " + std::to_string(g.batch) + "x" +
                   std::to_string(m) + "x" + std::to_string(n) + "x" +
                   std::to_string(k),
               since(started));
}

} // namespace

extern "C" {

void hetu_rt_cublas_gemm_f32(int64_t arank, void *a, int64_t brank, void *b,
                             int64_t crank, void *c) {
  gemm<float, 2>("hetu_rt_cublas_gemm_f32", arank, a, brank, b, crank, c);
}

void hetu_rt_cublas_gemm_f64(int64_t arank, void *a, int64_t brank, void *b,
                             int64_t crank, void *c) {
  gemm<double, 2>("hetu_rt_cublas_gemm_f64", arank, a, brank, b, crank, c);
}

void hetu_rt_cublas_batched_gemm_f32(int64_t arank, void *a, int64_t brank,
                                     void *b, int64_t crank, void *c) {
  gemm<float, 3>("hetu_rt_cublas_batched_gemm_f32", arank, a, brank, b, crank,
                 c);
}

void hetu_rt_cublas_batched_gemm_f64(int64_t arank, void *a, int64_t brank,
                                     void *b, int64_t crank, void *c) {
  gemm<double, 3>("hetu_rt_cublas_batched_gemm_f64", arank, a, brank, b,
                  crank, c);
}

} // extern "C"
