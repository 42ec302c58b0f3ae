//===- runtime_bench.cpp - Runtime throughput against the raw libraries ---===//
//
//   mpirun -n 2 hetu-bench-runtime mpi      p2p and all-reduce bandwidth of
//                                           the MPI backend vs raw MPI calls
//                                           on the same buffers
//   hetu-bench-runtime threads              p2p bandwidth of the threads
//                                           backend vs memcpy
//
// Sizes 1 KiB .. 64 MiB; each figure is the best of a few timed rounds.
//
//===----------------------------------------------------------------------===//

#include "hetu_runtime.h"

#define OMPI_SKIP_MPICXX 1
#include <mpi.h>

#include <algorithm>
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

} // namespace

int main(int argc, char **argv) {
  std::string mode = argc > 1 ? argv[1] : "threads";
  if (mode == "mpi")
    return runMPI();
  if (mode == "threads")
    return runThreads();
  std::fprintf(stderr, "usage: hetu-bench-runtime threads|mpi\n");
  return 1;
}
