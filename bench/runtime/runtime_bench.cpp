//===- runtime_bench.cpp - Runtime throughput against the raw libraries ---===//
//
//   mpirun -n 2 hetu-bench-runtime mpi      p2p and all-reduce bandwidth of
//                                           the MPI backend vs raw MPI calls
//                                           on the same buffers
//   hetu-bench-runtime threads              p2p bandwidth of the threads
//                                           backend vs memcpy
//   hetu-bench-runtime blas                 square f32 matmuls 64..2048
//                                           through hetu_rt_blas_gemm_f32
//                                           (what lowered CPU matmuls call)
//                                           vs cblas_sgemm called directly
//                                           from the same library, and
//                                           oneDNN's dnnl_sgemm when
//                                           libdnnl.so.2 is installed (the
//                                           library choice)
//
// Sizes 1 KiB .. 64 MiB; each figure is the best of a few timed rounds.
//
//===----------------------------------------------------------------------===//

#include "hetu_runtime.h"

#define OMPI_SKIP_MPICXX 1
#include <mpi.h>

#include <algorithm>
#include <cstdlib>
#include <dlfcn.h>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

struct Desc {
  std::vector<int64_t> w;
  Desc(void *p, int64_t n) {
    w = {reinterpret_cast<int64_t>(p), reinterpret_cast<int64_t>(p), 0, n, 1};
  }
  void *ptr() { return w.data(); }
};

double now() {
  return std::chrono::duration<double>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

int repeatsFor(size_t bytes) {
  return bytes <= (1 << 16) ? 200 : bytes <= (1 << 22) ? 20 : 4;
}

struct Ctx {
  int64_t me;
  std::vector<float> *buffer;
  int64_t count;
  int reps;
  double hetuSeconds = 0, rawSeconds = 0;
  bool allReduce = false;
};

void mpiRound(void *arg) {
  auto *c = static_cast<Ctx *>(arg);
  int64_t peer = 1 - c->me;
  Desc d(c->buffer->data(), c->count);
  std::vector<int64_t> members = {0, 1};
  Desc g(members.data(), 2);
  std::vector<float> out(c->count);
  Desc o(out.data(), c->count);
  for (int round = 0; round < 3; ++round) {
    MPI_Barrier(MPI_COMM_WORLD);
    double t = now();
    for (int i = 0; i < c->reps; ++i) {
      if (c->allReduce)
        hetu_rt_all_reduce_f32(HETU_RT_SUM, 1, g.ptr(), 1, d.ptr(), 1, o.ptr());
      else if (c->me == 0)
        hetu_rt_send_f32(peer, 0, 1, d.ptr());
      else
        hetu_rt_recv_f32(peer, 0, 1, d.ptr());
    }
    MPI_Barrier(MPI_COMM_WORLD);
    double hetu = now() - t;
    t = now();
    for (int i = 0; i < c->reps; ++i) {
      if (c->allReduce)
        MPI_Allreduce(c->buffer->data(), out.data(), (int)c->count, MPI_FLOAT,
                      MPI_SUM, MPI_COMM_WORLD);
      else if (c->me == 0)
        MPI_Send(c->buffer->data(), (int)c->count, MPI_FLOAT, (int)peer, 9,
                 MPI_COMM_WORLD);
      else
        MPI_Recv(c->buffer->data(), (int)c->count, MPI_FLOAT, (int)peer, 9,
                 MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    }
    MPI_Barrier(MPI_COMM_WORLD);
    double raw = now() - t;
    if (round == 0 || hetu < c->hetuSeconds)
      c->hetuSeconds = hetu;
    if (round == 0 || raw < c->rawSeconds)
      c->rawSeconds = raw;
  }
}

int runMPI() {
  char err[512];
  if (hetu_rt_init("mpi", 2, err, sizeof err)) {
    std::fprintf(stderr, "%s\n", err);
    return 1;
  }
  int64_t me = hetu_rt_process_rank();
  if (me == 0)
    std::printf("%10s %-10s %12s %12s %7s\n", "bytes", "operation",
                "hetu GB/s", "MPI GB/s", "ratio");
  for (bool allReduce : {false, true}) {
    for (size_t bytes = 1024; bytes <= (64u << 20); bytes *= 4) {
      std::vector<float> buffer(bytes / 4, 1.0f);
      Ctx c{me, &buffer, (int64_t)(bytes / 4), repeatsFor(bytes)};
      c.allReduce = allReduce;
      if (hetu_rt_run(me, mpiRound, &c, err, sizeof err)) {
        std::fprintf(stderr, "%s\n", err);
        return 1;
      }
      double gbHetu = bytes * c.reps / c.hetuSeconds / 1e9;
      double gbRaw = bytes * c.reps / c.rawSeconds / 1e9;
      if (me == 0)
        std::printf("%10zu %-10s %12.3f %12.3f %7.2f\n", bytes,
                    allReduce ? "all_reduce" : "p2p", gbHetu, gbRaw,
                    gbHetu / gbRaw);
    }
  }
  hetu_rt_finalize();
  return 0;
}

int runThreads() {
  std::printf("%10s %-10s %12s %12s %7s\n", "bytes", "operation",
              "hetu GB/s", "memcpy GB/s", "ratio");
  char err[512];
  for (size_t bytes = 1024; bytes <= (64u << 20); bytes *= 4) {
    int reps = repeatsFor(bytes);
    std::vector<float> src(bytes / 4, 1.0f), dst(bytes / 4);
    double best = 1e30, bestCopy = 1e30;
    for (int round = 0; round < 3; ++round) {
      if (hetu_rt_init("threads", 2, err, sizeof err))
        return 1;
      double t = now();
      struct Arg {
        std::vector<float> *v;
        int64_t peer;
        bool send;
        int reps;
      };
      Arg a0{&src, 1, true, reps}, a1{&dst, 0, false, reps};
      auto body = [](void *p) {
        auto *a = static_cast<Arg *>(p);
        Desc d(a->v->data(), a->v->size());
        for (int i = 0; i < a->reps; ++i)
          a->send ? hetu_rt_send_f32(a->peer, 0, 1, d.ptr())
                  : hetu_rt_recv_f32(a->peer, 0, 1, d.ptr());
      };
      std::thread sender([&] { hetu_rt_run(0, body, &a0, err, sizeof err); });
      std::thread receiver([&] { hetu_rt_run(1, body, &a1, err, sizeof err); });
      sender.join();
      receiver.join();
      best = std::min(best, now() - t);
      hetu_rt_finalize();
      t = now();
      for (int i = 0; i < reps; ++i) {
        std::memcpy(dst.data(), src.data(), bytes);
        asm volatile("" ::: "memory");
      }
      bestCopy = std::min(bestCopy, now() - t);
    }
    double gb = bytes * reps / best / 1e9, gbCopy = bytes * reps / bestCopy / 1e9;
    std::printf("%10zu %-10s %12.3f %12.3f %7.2f\n", bytes, "p2p", gb, gbCopy,
                gb / gbCopy);
  }
  return 0;
}

using Sgemm = void (*)(int, int, int, int, int, int, float, const float *,
                      int, const float *, int, float, float *, int);

using DnnlSgemm = int (*)(char, char, int64_t, int64_t, int64_t, float,
                          const float *, int64_t, const float *, int64_t,
                          float, float *, int64_t);

struct GemmCtx {
  int64_t n;
  std::vector<float> *a, *b, *c;
  Sgemm direct;
  DnnlSgemm dnnl;
  int reps;
  double hetuSeconds = 0, rawSeconds = 0, dnnlSeconds = 0;
};

/// C += A B, n x n, `reps` times each way (inside a rank: the runtime's
/// entry points run as ranks do).
void gemmRound(void *arg) {
  auto *g = static_cast<GemmCtx *>(arg);
  int64_t n = g->n;
  auto desc = [&](std::vector<float> &v) {
    return std::vector<int64_t>{reinterpret_cast<int64_t>(v.data()),
                                reinterpret_cast<int64_t>(v.data()), 0, n, n,
                                n, 1};
  };
  std::vector<int64_t> da = desc(*g->a), db = desc(*g->b), dc = desc(*g->c);
  hetu_rt_blas_gemm_f32(2, da.data(), 2, db.data(), 2, dc.data()); // warm up
  double t = now();
  for (int r = 0; r < g->reps; ++r)
    hetu_rt_blas_gemm_f32(2, da.data(), 2, db.data(), 2, dc.data());
  g->hetuSeconds = now() - t;
  int ni = static_cast<int>(n);
  t = now();
  for (int r = 0; r < g->reps; ++r)
    g->direct(101, 111, 111, ni, ni, ni, 1.0f, g->a->data(), ni, g->b->data(),
              ni, 1.0f, g->c->data(), ni);
  g->rawSeconds = now() - t;
  if (!g->dnnl)
    return;
  g->dnnl('N', 'N', n, n, n, 1.0f, g->a->data(), n, g->b->data(), n, 1.0f,
          g->c->data(), n); // warm up
  t = now();
  for (int r = 0; r < g->reps; ++r)
    g->dnnl('N', 'N', n, n, n, 1.0f, g->a->data(), n, g->b->data(), n, 1.0f,
            g->c->data(), n);
  g->dnnlSeconds = now() - t;
}

int runBlas() {
  char err[256];
  if (hetu_rt_init("threads", 1, err, sizeof err)) {
    std::fprintf(stderr, "%s\n", err);
    return 1;
  }
  // The library the runtime loads by default (the same name, so the same
  // copy in this process).
  const char *name = std::getenv("HETU_BLAS_LIBRARY");
  void *lib = dlopen(name ? name : "libopenblas.so.0", RTLD_NOW);
  if (!lib && !name)
    lib = dlopen("libblas.so.3", RTLD_NOW);
  auto direct = lib ? reinterpret_cast<Sgemm>(dlsym(lib, "cblas_sgemm"))
                    : nullptr;
  if (!direct) {
    std::fprintf(stderr, "hetu-bench-runtime blas: no cblas_sgemm\n");
    return 1;
  }
  // oneDNN's OpenMP threads would spin on both cores after its calls and
  // slow the next round's runtime calls (0.73x at n = 128): they sleep.
  ::setenv("OMP_WAIT_POLICY", "passive", /*overwrite=*/0);
  void *dnnlLib = dlopen("libdnnl.so.2", RTLD_NOW);
  auto dnnl = dnnlLib ? reinterpret_cast<DnnlSgemm>(dlsym(dnnlLib, "dnnl_sgemm"))
                      : nullptr;
  std::printf("%8s %14s %14s %8s %14s\n", "n", "runtime GF/s", "direct GF/s",
              "ratio", dnnl ? "oneDNN GF/s" : "(no oneDNN)");
  for (int64_t n = 64; n <= 2048; n *= 2) {
    std::vector<float> a(n * n, 0.5f), b(n * n, 0.25f), c(n * n, 0.0f);
    int reps = n <= 256 ? 200 : n <= 1024 ? 10 : 3;
    double best[3] = {1e30, 1e30, 1e30};
    for (int round = 0; round < 3; ++round) {
      GemmCtx g{n, &a, &b, &c, direct, dnnl, reps};
      if (hetu_rt_run(0, gemmRound, &g, err, sizeof err)) {
        std::fprintf(stderr, "%s\n", err);
        return 1;
      }
      best[0] = std::min(best[0], g.hetuSeconds);
      best[1] = std::min(best[1], g.rawSeconds);
      best[2] = std::min(best[2], g.dnnlSeconds);
    }
    double flops = 2.0 * n * n * n * reps;
    std::printf("%8lld %14.2f %14.2f %8.3f", static_cast<long long>(n),
                flops / best[0] * 1e-9, flops / best[1] * 1e-9,
                best[1] / best[0]);
    if (dnnl)
      std::printf(" %14.2f", flops / best[2] * 1e-9);
    std::printf("\n");
  }
  hetu_rt_finalize();
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  std::string mode = argc > 1 ? argv[1] : "threads";
  if (mode == "mpi")
    return runMPI();
  if (mode == "threads")
    return runThreads();
  if (mode == "blas")
    return runBlas();
  std::fprintf(stderr, "usage: hetu-bench-runtime threads|mpi|blas\n");
  return 1;
}
