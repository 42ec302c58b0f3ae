//===- Blas.cpp - Matmuls on the CPU through a BLAS ---------------------===//
//
// hetu_rt_blas_*: C += A B for the CPU ranks' matmuls (what
// hetu-matmul-to-blas calls), through the CBLAS interface of a BLAS loaded
// at run time: $HETU_BLAS_LIBRARY, else OpenBLAS (libopenblas.so.0), else
// the system's libblas.so.3 (Debian's alternatives: OpenBLAS when
// installed, the reference BLAS otherwise). Loading at run time keeps the
// launcher's dependencies as they were and lets a user pick the library.
//
// Threads: ranks x BLAS threads never oversubscribe the cores by default.
// OpenBLAS gets max(1, cores / ranks on this machine) threads (ranks: the
// MPI processes on the node, or the threads backend's ranks);
// HETU_BLAS_THREADS=N sets N.
//
//===----------------------------------------------------------------------===//

#include "hetu_runtime.h"

#include "../Gemm.h"

#include <cstdlib>
#include <dlfcn.h>
#include <mutex>
#include <string>
#include <thread>
#include <type_traits>
#include <algorithm>

namespace {

// CBLAS's enumerators (cblas.h is not needed at build time).
enum { kRowMajor = 101, kNoTrans = 111, kTrans = 112 };

struct Cblas {
  void (*sgemm)(int, int, int, int, int, int, float, const float *, int,
                const float *, int, float, float *, int) = nullptr;
  void (*dgemm)(int, int, int, int, int, int, double, const double *, int,
                const double *, int, double, double *, int) = nullptr;
  void (*setThreads)(int) = nullptr;
  std::string error;
};

/// The library, loaded once.
const Cblas &cblas() {
  static Cblas lib;
  static std::once_flag once;
  std::call_once(once, [] {
    std::string tried;
    void *handle = nullptr;
    const char *chosen = std::getenv("HETU_BLAS_LIBRARY");
    for (const char *name :
         {chosen, "libopenblas.so.0", "libblas.so.3", "libblas.so"}) {
      if (!name || (chosen && name != chosen))
        continue;
      if ((handle = dlopen(name, RTLD_NOW | RTLD_LOCAL)))
        break;
      tried += std::string(tried.empty() ? "" : ", ") + name;
    }
    if (!handle) {
      lib.error = "hetu_rt_blas: cannot load a BLAS (tried " + tried +
                  "); install libopenblas0 or set HETU_BLAS_LIBRARY";
      return;
    }
    lib.sgemm = reinterpret_cast<decltype(lib.sgemm)>(
        dlsym(handle, "cblas_sgemm"));
    lib.dgemm = reinterpret_cast<decltype(lib.dgemm)>(
        dlsym(handle, "cblas_dgemm"));
    lib.setThreads = reinterpret_cast<decltype(lib.setThreads)>(
        dlsym(handle, "openblas_set_num_threads"));
    if (!lib.sgemm || !lib.dgemm) {
      lib.error = "hetu_rt_blas: the BLAS has no cblas_sgemm/cblas_dgemm";
      return;
    }
    if (lib.setThreads) {
      int threads = 0;
      if (const char *n = std::getenv("HETU_BLAS_THREADS"))
        threads = std::atoi(n);
      if (threads < 1) {
        int64_t ranks = hetu_rt_num_ranks();
        if (const char *local = std::getenv("OMPI_COMM_WORLD_LOCAL_SIZE"))
          ranks = std::atoi(local);
        int64_t cores = std::thread::hardware_concurrency();
        threads = static_cast<int>(
            std::max<int64_t>(1, cores / std::max<int64_t>(1, ranks)));
      }
      lib.setThreads(threads);
    }
  });
  if (!lib.error.empty())
    hetu::rt::fail(lib.error);
  return lib;
}

template <typename T, int R>
void gemm(const char *name, int64_t arank, void *a, int64_t brank, void *b,
          int64_t crank, void *c) {
  hetu::rt::Gemm<T> g =
      hetu::rt::gemmOperands<T, R>(name, arank, a, brank, b, crank, c);
  if (g.empty())
    return;
  const Cblas &lib = cblas();
  for (int64_t i = 0; i < g.batch; ++i) {
    const T *pa = g.a + i * g.strideA, *pb = g.b + i * g.strideB;
    T *pc = g.c + i * g.strideC;
    auto m = static_cast<int>(g.m), n = static_cast<int>(g.n),
         k = static_cast<int>(g.k);
    auto lda = static_cast<int>(g.lda), ldb = static_cast<int>(g.ldb),
         ldc = static_cast<int>(g.ldc);
    int ta = g.transA ? kTrans : kNoTrans, tb = g.transB ? kTrans : kNoTrans;
    if constexpr (std::is_same_v<T, float>)
      lib.sgemm(kRowMajor, ta, tb, m, n, k, 1.0f, pa, lda, pb, ldb, 1.0f, pc,
                ldc);
    else
      lib.dgemm(kRowMajor, ta, tb, m, n, k, 1.0, pa, lda, pb, ldb, 1.0, pc,
                ldc);
  }
}

} // namespace

extern "C" {
void hetu_rt_blas_gemm_f32(int64_t arank, void *a, int64_t brank, void *b,
                           int64_t crank, void *c) {
  gemm<float, 2>("hetu_rt_blas_gemm_f32", arank, a, brank, b, crank, c);
}
void hetu_rt_blas_gemm_f64(int64_t arank, void *a, int64_t brank, void *b,
                           int64_t crank, void *c) {
  gemm<double, 2>("hetu_rt_blas_gemm_f64", arank, a, brank, b, crank, c);
}
void hetu_rt_blas_batched_gemm_f32(int64_t arank, void *a, int64_t brank,
                                   void *b, int64_t crank, void *c) {
  gemm<float, 3>("hetu_rt_blas_batched_gemm_f32", arank, a, brank, b, crank,
                 c);
}
void hetu_rt_blas_batched_gemm_f64(int64_t arank, void *a, int64_t brank,
                                   void *b, int64_t crank, void *c) {
  gemm<double, 3>("hetu_rt_blas_batched_gemm_f64", arank, a, brank, b, crank,
                  c);
}
}
