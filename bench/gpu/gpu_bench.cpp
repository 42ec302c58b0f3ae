//===- gpu_bench.cpp - The cuda backend against direct NCCL and cuBLAS ----===//
//
//   hetu-bench-gpu [--quick]
//
// For a GPU machine (scripts/gpu-check.sh runs it; it needs no LLVM/MLIR):
//  1. All-reduce bus bandwidth, one rank per GPU (threads): through the
//     runtime (hetu_rt_all_reduce_f32 on the cuda backend, i.e. its NCCL
//     path) against direct ncclAllReduce calls on the same managed buffers.
//  2. Matmul: hetu_rt_cublas_gemm_f32 (what hetu-lower-to-cuda calls for a
//     linalg.matmul) against a direct cublasSgemm on the same buffers.
// Each figure is the best of a few timed rounds, and the ratio is
// runtime / direct in the same run. NCCL, cuBLAS and the driver are loaded
// at run time, as the runtime loads them.
//
//===----------------------------------------------------------------------===//

#include "hetu_runtime.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <string>
#include <thread>
#include <vector>

namespace {

/// A ranked memref descriptor (allocated, aligned, offset, sizes, strides).
struct Desc {
  std::vector<int64_t> w;
  Desc(void *p, std::vector<int64_t> sizes) {
    w = {reinterpret_cast<int64_t>(p), reinterpret_cast<int64_t>(p), 0};
    w.insert(w.end(), sizes.begin(), sizes.end());
    std::vector<int64_t> strides(sizes.size(), 1);
    for (int64_t i = static_cast<int64_t>(sizes.size()) - 2; i >= 0; --i)
      strides[i] = strides[i + 1] * sizes[i + 1];
    w.insert(w.end(), strides.begin(), strides.end());
  }
  void *ptr() { return w.data(); }
};

double now() {
  return std::chrono::duration<double>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

[[noreturn]] void die(const std::string &message) {
  std::fprintf(stderr, "hetu-bench-gpu: %s\n", message.c_str());
  std::exit(1);
}

void *load(const char *env, const char *name) {
  const char *path = std::getenv(env);
  void *lib = dlopen(path ? path : name, RTLD_NOW | RTLD_GLOBAL);
  if (!lib)
    die(std::string("cannot load ") + (path ? path : name) + ": " + dlerror());
  return lib;
}

template <typename F> F symbol(void *lib, const char *name) {
  auto f = reinterpret_cast<F>(dlsym(lib, name));
  if (!f)
    die(std::string("missing ") + name);
  return f;
}

/// Runs fn(rank) on `n` rank threads under hetu_rt_run.
template <typename F> void onRanks(int64_t n, F fn) {
  std::vector<std::thread> threads;
  std::vector<std::string> errors(n);
  for (int64_t r = 0; r < n; ++r)
    threads.emplace_back([&, r] {
      struct Arg {
        F *fn;
        int64_t rank;
      } arg{&fn, r};
      char error[512] = {0};
      if (hetu_rt_run(
              r, [](void *p) {
                auto *a = static_cast<Arg *>(p);
                (*a->fn)(a->rank);
              },
              &arg, error, sizeof error))
        errors[r] = error;
    });
  for (std::thread &t : threads)
    t.join();
  for (const std::string &e : errors)
    if (!e.empty())
      die(e);
}

void allReduce(int64_t n, bool quick) {
  if (n < 2) {
    std::printf("all-reduce: n/a (%lld GPU: NCCL wants one GPU per rank)\n",
                static_cast<long long>(n));
    return;
  }
  void *lib = load("HETU_NCCL_LIBRARY", "libnccl.so.2");
  auto initAll = symbol<int (*)(void **, int, const int *)>(lib,
                                                            "ncclCommInitAll");
  auto ncclAllReduce =
      symbol<int (*)(const void *, void *, size_t, int, int, void *, void *)>(
          lib, "ncclAllReduce");
  std::vector<void *> comms(n);
  std::vector<int> devices(n);
  for (int64_t r = 0; r < n; ++r)
    devices[r] = static_cast<int>(r);
  if (initAll(comms.data(), static_cast<int>(n), devices.data()))
    die("ncclCommInitAll failed");
  std::vector<int64_t> members(n);
  for (int64_t r = 0; r < n; ++r)
    members[r] = r;
  std::printf("all-reduce (f32 sum, %lld ranks, one per GPU): bus bandwidth "
              "GB/s\n%12s %12s %12s %8s\n",
              static_cast<long long>(n), "bytes", "runtime", "direct",
              "ratio");
  std::vector<size_t> sizes = quick ? std::vector<size_t>{1 << 20, 1 << 22}
                                    : std::vector<size_t>{1 << 20, 1 << 24,
                                                          1 << 26, 1 << 28};
  for (size_t bytes : sizes) {
    int64_t count = bytes / sizeof(float);
    int reps = quick ? 2 : 5;
    std::vector<double> hetu(n, 1e30), direct(n, 1e30);
    onRanks(n, [&](int64_t r) {
      auto *buffer = static_cast<float *>(hetu_rt_cuda_alloc(bytes));
      for (int64_t i = 0; i < count; ++i)
        buffer[i] = 1.0f;
      Desc d(buffer, {count}), g(members.data(), {n});
      for (int rep = 0; rep <= reps; ++rep) {
        double t = now();
        hetu_rt_all_reduce_f32(HETU_RT_SUM, 1, g.ptr(), 1, d.ptr(), 1,
                               d.ptr());
        if (rep)
          hetu[r] = std::min(hetu[r], now() - t);
      }
      for (int rep = 0; rep <= reps; ++rep) {
        double t = now();
        if (ncclAllReduce(buffer, buffer, count, /*float32=*/7, /*sum=*/0,
                          comms[r], nullptr))
          die("ncclAllReduce failed");
        hetu_rt_cuda_synchronize();
        if (rep)
          direct[r] = std::min(direct[r], now() - t);
      }
      hetu_rt_cuda_free(buffer);
    });
    double h = *std::max_element(hetu.begin(), hetu.end());
    double d = *std::max_element(direct.begin(), direct.end());
    double factor = 2.0 * (n - 1) / n;
    std::printf("%12zu %12.2f %12.2f %8.2f\n", bytes,
                bytes * factor / h / 1e9, bytes * factor / d / 1e9,
                (bytes / h) / (bytes / d));
  }
}

void gemm(bool quick) {
  void *lib = load("HETU_CUBLAS_LIBRARY", "libcublas.so.13");
  auto create = symbol<int (*)(void **)>(lib, "cublasCreate_v2");
  auto sgemm = symbol<int (*)(void *, int, int, int, int, int, const float *,
                              const float *, int, const float *, int,
                              const float *, float *, int)>(lib,
                                                            "cublasSgemm_v2");
  std::printf("matmul (f32, C += A B, one GPU): TFLOP/s\n%8s %12s %12s %8s\n",
              "n", "runtime", "direct", "ratio");
  for (int64_t size : quick ? std::vector<int64_t>{128}
                            : std::vector<int64_t>{1024, 4096, 8192}) {
    double hetu = 1e30, direct = 1e30;
    int reps = quick ? 2 : 5;
    onRanks(1, [&](int64_t) {
      size_t bytes = size * size * sizeof(float);
      auto *a = static_cast<float *>(hetu_rt_cuda_alloc(bytes));
      auto *b = static_cast<float *>(hetu_rt_cuda_alloc(bytes));
      auto *c = static_cast<float *>(hetu_rt_cuda_alloc(bytes));
      for (int64_t i = 0; i < size * size; ++i)
        a[i] = b[i] = 0.5f, c[i] = 0;
      Desc da(a, {size, size}), db(b, {size, size}), dc(c, {size, size});
      hetu_rt_cuda_synchronize();
      void *handle = nullptr;
      if (create(&handle))
        die("cublasCreate failed");
      const float one = 1;
      for (int rep = 0; rep <= reps; ++rep) {
        double t = now();
        hetu_rt_cublas_gemm_f32(2, da.ptr(), 2, db.ptr(), 2, dc.ptr());
        if (rep)
          hetu = std::min(hetu, now() - t);
      }
      int n = static_cast<int>(size);
      for (int rep = 0; rep <= reps; ++rep) {
        double t = now();
        if (sgemm(handle, 0, 0, n, n, n, &one, b, n, a, n, &one, c, n))
          die("cublasSgemm failed");
        hetu_rt_cuda_synchronize();
        if (rep)
          direct = std::min(direct, now() - t);
      }
      hetu_rt_cuda_free(a);
      hetu_rt_cuda_free(b);
      hetu_rt_cuda_free(c);
    });
    double flops = 2.0 * size * size * size;
    std::printf("%8lld %12.2f %12.2f %8.2f\n", static_cast<long long>(size),
                flops / hetu / 1e12, flops / direct / 1e12, direct / hetu);
  }
}

} // namespace

int main(int argc, char **argv) {
  bool quick = argc > 1 && std::string(argv[1]) == "--quick";
  char error[512] = {0};
  if (hetu_rt_cuda_init(error, sizeof error))
    die(error);
  int64_t n = std::min<int64_t>(hetu_rt_cuda_device_count(), 8);
  if (hetu_rt_init("cuda", std::max<int64_t>(n, 1), error, sizeof error))
    die(error);
  allReduce(n, quick);
  gemm(quick);
  hetu_rt_finalize();
  return 0;
}
