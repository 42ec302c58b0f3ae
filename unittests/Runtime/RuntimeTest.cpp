//===- RuntimeTest.cpp - The threads backend of the hetu runtime ----------===//

#include "RuntimeTestUtils.h"

#include "gtest/gtest.h"

#include <chrono>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace {

// Short timeouts for the failure tests (read once by the runtime).
const bool timeoutSet = [] {
  setenv("HETU_TIMEOUT_S", "1", 1);
  return true;
}();

struct Ranks {
  std::vector<int> status;
  std::vector<std::string> errors;
};

/// Runs body(rank) on `n` ranks of a fresh threads backend.
Ranks runRanks(int64_t n, const std::function<void(int64_t)> &body) {
  char err[512];
  EXPECT_EQ(hetu_rt_init("threads", n, err, sizeof err), 0) << err;
  Ranks out;
  out.status.resize(n);
  out.errors.resize(n);
  std::vector<std::thread> threads;
  struct Arg {
    const std::function<void(int64_t)> *body;
    int64_t rank;
  };
  std::vector<Arg> args(n);
  for (int64_t r = 0; r < n; ++r) {
    args[r] = {&body, r};
    threads.emplace_back([&, r] {
      char e[512] = {0};
      out.status[r] = hetu_rt_run(
          r,
          [](void *p) {
            auto *a = static_cast<Arg *>(p);
            (*a->body)(a->rank);
          },
          &args[r], e, sizeof e);
      out.errors[r] = e;
    });
  }
  for (auto &t : threads)
    t.join();
  hetu_rt_finalize();
  return out;
}

TEST(RuntimeThreads, StridedPointToPoint) {
  std::vector<float> received(6, 0);
  Ranks r = runRanks(2, [&](int64_t rank) {
    if (rank == 0) {
      std::vector<float> buffer(16);
      for (int i = 0; i < 16; ++i)
        buffer[i] = i;
      // Rows 1-2, columns 1-3 of a 4x4 matrix.
      Descriptor view(buffer.data(), 5, {2, 3}, {4, 1});
      hetu_rt_send_f32(1, 7, view.rank(), view.ptr());
    } else {
      Descriptor into(received.data(), 0, {2, 3});
      hetu_rt_recv_f32(0, 7, into.rank(), into.ptr());
    }
  });
  EXPECT_EQ(r.status, (std::vector<int>{0, 0}));
  EXPECT_EQ(received, (std::vector<float>{5, 6, 7, 9, 10, 11}));
}

TEST(RuntimeThreads, AllReduceKinds) {
  for (int64_t kind :
       {HETU_RT_SUM, HETU_RT_MEAN, HETU_RT_MAX, HETU_RT_MIN, HETU_RT_PROD}) {
    std::vector<std::vector<double>> results(4);
    Ranks r = runRanks(4, [&](int64_t rank) {
      std::vector<int64_t> members = {3, 1, 0, 2};
      Descriptor g(members.data(), 0, {4});
      std::vector<double> in = {double(rank + 1), double(-rank)};
      results[rank].assign(2, 0);
      Descriptor i(in.data(), 0, {2}), o(results[rank].data(), 0, {2});
      hetu_rt_all_reduce_f64(kind, g.rank(), g.ptr(), i.rank(), i.ptr(),
                             o.rank(), o.ptr());
    });
    EXPECT_EQ(r.status, (std::vector<int>{0, 0, 0, 0}));
    std::vector<double> expected;
    switch (kind) {
    case HETU_RT_SUM:
      expected = {10, -6};
      break;
    case HETU_RT_MEAN:
      expected = {2.5, -1.5};
      break;
    case HETU_RT_MAX:
      expected = {4, 0};
      break;
    case HETU_RT_MIN:
      expected = {1, -3};
      break;
    default:
      expected = {24, 0};
    }
    for (int64_t rank = 0; rank < 4; ++rank)
      EXPECT_EQ(results[rank], expected) << "kind " << kind << " rank " << rank;
  }
}

TEST(RuntimeThreads, AllGatherAlongDimension1) {
  std::vector<std::vector<int32_t>> out(3);
  Ranks r = runRanks(3, [&](int64_t rank) {
    std::vector<int64_t> members = {0, 1, 2};
    Descriptor g(members.data(), 0, {3});
    // A 2x1 column per rank -> 2x3.
    std::vector<int32_t> in = {int32_t(rank), int32_t(10 + rank)};
    out[rank].assign(6, -1);
    Descriptor i(in.data(), 0, {2, 1}), o(out[rank].data(), 0, {2, 3});
    hetu_rt_all_gather_i32(1, g.rank(), g.ptr(), i.rank(), i.ptr(), o.rank(),
                           o.ptr());
  });
  EXPECT_EQ(r.status, (std::vector<int>{0, 0, 0}));
  for (auto &o : out)
    EXPECT_EQ(o, (std::vector<int32_t>{0, 1, 2, 10, 11, 12}));
}

TEST(RuntimeThreads, ReduceScatterBroadcastReduce) {
  std::vector<std::vector<float>> scattered(2), broadcast(2), reduced(2);
  Ranks r = runRanks(2, [&](int64_t rank) {
    std::vector<int64_t> members = {0, 1};
    Descriptor g(members.data(), 0, {2});
    // 4x1 input, rank-dependent; reduce_scatter along dim 0 -> 2x1 each.
    std::vector<float> in = {1.f + rank, 2.f + rank, 3.f + rank, 4.f + rank};
    scattered[rank].assign(2, 0);
    Descriptor i(in.data(), 0, {4, 1}), o(scattered[rank].data(), 0, {2, 1});
    hetu_rt_reduce_scatter_f32(HETU_RT_SUM, 0, g.rank(), g.ptr(), i.rank(),
                               i.ptr(), o.rank(), o.ptr());
    broadcast[rank].assign(4, 0);
    Descriptor b(broadcast[rank].data(), 0, {4});
    Descriptor i1(in.data(), 0, {4});
    hetu_rt_broadcast_f32(1, g.rank(), g.ptr(), i1.rank(), i1.ptr(), b.rank(),
                          b.ptr());
    reduced[rank].assign(4, 0);
    Descriptor d(reduced[rank].data(), 0, {4});
    hetu_rt_reduce_f32(HETU_RT_MAX, 0, g.rank(), g.ptr(), i1.rank(), i1.ptr(),
                       d.rank(), d.ptr());
  });
  EXPECT_EQ(r.status, (std::vector<int>{0, 0}));
  EXPECT_EQ(scattered[0], (std::vector<float>{3, 5}));
  EXPECT_EQ(scattered[1], (std::vector<float>{7, 9}));
  EXPECT_EQ(broadcast[0], (std::vector<float>{2, 3, 4, 5}));
  EXPECT_EQ(broadcast[1], (std::vector<float>{2, 3, 4, 5}));
  EXPECT_EQ(reduced[0], (std::vector<float>{2, 3, 4, 5}));
  // Non-roots keep their input.
  EXPECT_EQ(reduced[1], (std::vector<float>{2, 3, 4, 5}));
}

TEST(RuntimeThreads, MismatchNamesBothRanks) {
  Ranks r = runRanks(2, [&](int64_t rank) {
    std::vector<float> data(8, 1);
    if (rank == 0) {
      Descriptor d(data.data(), 0, {4});
      hetu_rt_send_f32(1, 3, d.rank(), d.ptr());
    } else {
      Descriptor d(data.data(), 0, {8});
      hetu_rt_recv_f32(0, 3, d.rank(), d.ptr());
    }
  });
  EXPECT_EQ(r.status[0], 0);
  EXPECT_EQ(r.status[1], 1);
  EXPECT_EQ(r.errors[1], "rank 1: rank 1 expected f32 x 8 (32 bytes, tag 3) "
                         "from rank 0, but rank 0 sent f32 x 4 (16 bytes, "
                         "tag 3)");
}

TEST(RuntimeThreads, MissingPeerTimesOut) {
  Ranks r = runRanks(2, [&](int64_t rank) {
    if (rank == 1) {
      std::vector<int64_t> data(2);
      Descriptor d(data.data(), 0, {2});
      hetu_rt_recv_i64(0, 0, d.rank(), d.ptr());
    }
  });
  EXPECT_EQ(r.status[1], 1);
  EXPECT_NE(r.errors[1].find("timed out after 1"), std::string::npos)
      << r.errors[1];
}

TEST(RuntimeThreads, FailureStopsWaitingPeers) {
  // Rank 0 fails (mismatch); rank 2 waits on rank 1, which waits on rank 0's
  // failure: everyone stops, nobody hangs.
  Ranks r = runRanks(3, [&](int64_t rank) {
    std::vector<float> data(8, 1);
    Descriptor four(data.data(), 0, {4}), eight(data.data(), 0, {8});
    if (rank == 0)
      hetu_rt_recv_f32(1, 0, eight.rank(), eight.ptr());
    else if (rank == 1) {
      hetu_rt_send_f32(0, 0, four.rank(), four.ptr());
      hetu_rt_recv_f32(0, 1, four.rank(), four.ptr());
    } else {
      hetu_rt_recv_f32(1, 2, four.rank(), four.ptr());
    }
  });
  EXPECT_EQ(r.status, (std::vector<int>{1, 1, 1}));
  EXPECT_NE(r.errors[0].find("expected f32 x 8"), std::string::npos);
}

TEST(RuntimeThreads, Barrier) {
  std::vector<int> order;
  std::mutex m;
  Ranks r = runRanks(3, [&](int64_t rank) {
    std::vector<int64_t> members = {0, 1, 2};
    Descriptor g(members.data(), 0, {3});
    {
      std::lock_guard<std::mutex> lock(m);
      order.push_back(0);
    }
    hetu_rt_barrier(g.rank(), g.ptr());
    std::lock_guard<std::mutex> lock(m);
    order.push_back(1);
  });
  EXPECT_EQ(r.status, (std::vector<int>{0, 0, 0}));
  // Nobody passed the barrier before everyone reached it.
  EXPECT_EQ(order, (std::vector<int>{0, 0, 0, 1, 1, 1}));
}

TEST(RuntimeThreads, StoppedRanksReleaseTheirMailboxes) {
  // Rank 2 waits for rank 1 and stops when rank 0 fails; rank 1's later
  // send to rank 2 must still go through (a stopped rank keeps no lock).
  Ranks r = runRanks(3, [&](int64_t rank) {
    std::vector<float> data(8, 1);
    Descriptor four(data.data(), 0, {4}), eight(data.data(), 0, {8});
    if (rank == 0) {
      hetu_rt_recv_f32(1, 0, eight.rank(), eight.ptr());
    } else if (rank == 1) {
      hetu_rt_send_f32(0, 0, four.rank(), four.ptr());
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      hetu_rt_send_f32(2, 0, four.rank(), four.ptr());
    } else {
      hetu_rt_recv_f32(1, 0, four.rank(), four.ptr());
    }
  });
  EXPECT_EQ(r.status[0], 1);
  EXPECT_EQ(r.status[1], 0);
  EXPECT_EQ(r.status[2], 1);
  EXPECT_EQ(r.errors[2], "rank 2: stopped: another rank failed");
}

TEST(RuntimeThreads, MemrefCopy) {
  std::vector<float> src = {1, 2, 3, 4, 5, 6}, dst(4, 0);
  Descriptor s(src.data(), 1, {2, 2}, {3, 1}), d(dst.data(), 0, {2, 2});
  HetuUnrankedMemRef from{s.rank(), s.ptr()}, to{d.rank(), d.ptr()};
  memrefCopy(sizeof(float), &from, &to);
  EXPECT_EQ(dst, (std::vector<float>{2, 3, 5, 6}));
}

TEST(RuntimeThreads, BadInit) {
  char err[256];
  EXPECT_EQ(hetu_rt_init("carrier-pigeon", 2, err, sizeof err), 1);
  EXPECT_STREQ(err, "unknown backend 'carrier-pigeon' (expected threads, "
                    "mpi, cuda or cuda-mpi)");
}

// The CPU BLAS gemm on tiles (an offset and a row stride larger than the
// row, as a rank's subview of a larger buffer), accumulating into C, and on
// a batch, against the naive triple loop.
TEST(RuntimeBlas, GemmOnTilesAndBatches) {
  const int64_t m = 3, k = 5, n = 4, lda = 7, offset = 2, batch = 2;
  std::vector<float> a(offset + m * lda), b(k * n), c(m * n, 1.0f);
  for (size_t i = 0; i < a.size(); ++i)
    a[i] = static_cast<float>(i % 11) - 5;
  for (size_t i = 0; i < b.size(); ++i)
    b[i] = static_cast<float>(i % 7) * 0.5f;
  std::vector<float> want = c;
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j)
      for (int64_t p = 0; p < k; ++p)
        want[i * n + j] += a[offset + i * lda + p] * b[p * n + j];
  Descriptor da(a.data(), offset, {m, k}, {lda, 1}), db(b.data(), 0, {k, n}),
      dc(c.data(), 0, {m, n});
  Ranks r = runRanks(1, [&](int64_t) {
    hetu_rt_blas_gemm_f32(2, da.ptr(), 2, db.ptr(), 2, dc.ptr());
  });
  ASSERT_EQ(r.status[0], 0) << r.errors[0];
  EXPECT_EQ(c, want);

  std::vector<double> ba(batch * m * k), bb(batch * k * n), bc(batch * m * n);
  for (size_t i = 0; i < ba.size(); ++i)
    ba[i] = 0.25 * static_cast<double>(i % 9);
  for (size_t i = 0; i < bb.size(); ++i)
    bb[i] = static_cast<double>(i % 5) - 2;
  std::vector<double> bwant(bc.size(), 0.0);
  for (int64_t q = 0; q < batch; ++q)
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j)
        for (int64_t p = 0; p < k; ++p)
          bwant[(q * m + i) * n + j] +=
              ba[(q * m + i) * k + p] * bb[(q * k + p) * n + j];
  Descriptor qa(ba.data(), 0, {batch, m, k}), qb(bb.data(), 0, {batch, k, n}),
      qc(bc.data(), 0, {batch, m, n});
  r = runRanks(1, [&](int64_t) {
    hetu_rt_blas_batched_gemm_f64(3, qa.ptr(), 3, qb.ptr(), 3, qc.ptr());
  });
  ASSERT_EQ(r.status[0], 0) << r.errors[0];
  EXPECT_EQ(bc, bwant);
}

// Column-major operands (transposed views, as hetu-matmul-to-blas passes
// for a contraction that reads an operand transposed), in each of the eight
// combinations of A, B and C, batched, with leading dimensions larger than
// the matrices: against the naive loop over the logical matrices.
TEST(RuntimeBlas, GemmOnColumnMajorOperands) {
  const int64_t batch = 2, m = 3, k = 5, n = 4, pad = 2;
  for (int mask = 0; mask < 8; ++mask) {
    bool ta = mask & 1, tb = mask & 2, tc = mask & 4;
    // A logical rows x cols matrix of each batch, stored row-major (row
    // stride cols + pad) or column-major (column stride rows + pad).
    struct Operand {
      int64_t rows, cols;
      bool colMajor;
      std::vector<double> data;
      int64_t ld() const { return (colMajor ? rows : cols) + pad; }
      int64_t matrix() const { return (colMajor ? cols : rows) * ld(); }
      double &at(int64_t q, int64_t i, int64_t j) {
        return data[q * matrix() + (colMajor ? j * ld() + i : i * ld() + j)];
      }
      Descriptor view() {
        return colMajor ? Descriptor(data.data(), 0, {batch, rows, cols},
                                     {matrix(), 1, ld()})
                        : Descriptor(data.data(), 0, {batch, rows, cols},
                                     {matrix(), ld(), 1});
      }
    };
    Operand a{m, k, ta, {}}, b{k, n, tb, {}}, c{m, n, tc, {}};
    for (Operand *x : {&a, &b, &c})
      x->data.assign(batch * x->matrix(), 0.0);
    for (int64_t q = 0; q < batch; ++q) {
      for (int64_t i = 0; i < m; ++i)
        for (int64_t p = 0; p < k; ++p)
          a.at(q, i, p) = static_cast<double>((q * 7 + i * 3 + p) % 11) - 5;
      for (int64_t p = 0; p < k; ++p)
        for (int64_t j = 0; j < n; ++j)
          b.at(q, p, j) = 0.5 * static_cast<double>((q + p * 5 + j) % 7);
      for (int64_t i = 0; i < m; ++i)
        for (int64_t j = 0; j < n; ++j)
          c.at(q, i, j) = static_cast<double>(i - j);
    }
    Operand want = c;
    for (int64_t q = 0; q < batch; ++q)
      for (int64_t i = 0; i < m; ++i)
        for (int64_t j = 0; j < n; ++j)
          for (int64_t p = 0; p < k; ++p)
            want.at(q, i, j) += a.at(q, i, p) * b.at(q, p, j);
    Descriptor da = a.view(), db = b.view(), dc = c.view();
    Ranks r = runRanks(1, [&](int64_t) {
      hetu_rt_blas_batched_gemm_f64(3, da.ptr(), 3, db.ptr(), 3, dc.ptr());
    });
    ASSERT_EQ(r.status[0], 0) << r.errors[0];
    for (int64_t q = 0; q < batch; ++q)
      for (int64_t i = 0; i < m; ++i)
        for (int64_t j = 0; j < n; ++j)
          EXPECT_EQ(c.at(q, i, j), want.at(q, i, j))
              << "A " << (ta ? "column" : "row") << "-major, B "
              << (tb ? "column" : "row") << "-major, C "
              << (tc ? "column" : "row") << "-major at " << q << "," << i
              << "," << j;
  }
}

// Neither row- nor column-major (no unit stride in the matrix) stops the
// rank with a message.
TEST(RuntimeBlas, NoUnitStride) {
  std::vector<float> a(64), b(64), c(64);
  Descriptor da(a.data(), 0, {2, 2}, {8, 2}), db(b.data(), 0, {2, 2}),
      dc(c.data(), 0, {2, 2});
  Ranks r = runRanks(1, [&](int64_t) {
    hetu_rt_blas_gemm_f32(2, da.ptr(), 2, db.ptr(), 2, dc.ptr());
  });
  EXPECT_EQ(r.status[0], 1);
  EXPECT_NE(r.errors[0].find("operands must be row-major or column-major"),
            std::string::npos)
      << r.errors[0];
}

// Operands that do not fit stop the rank with a message, not a crash.
TEST(RuntimeBlas, MismatchedShapes) {
  std::vector<float> a(6), b(6), c(4);
  Descriptor da(a.data(), 0, {2, 3}), db(b.data(), 0, {2, 3}),
      dc(c.data(), 0, {2, 2});
  Ranks r = runRanks(1, [&](int64_t) {
    hetu_rt_blas_gemm_f32(2, da.ptr(), 2, db.ptr(), 2, dc.ptr());
  });
  EXPECT_EQ(r.status[0], 1);
  EXPECT_NE(r.errors[0].find("hetu_rt_blas_gemm_f32: shapes do not match"),
            std::string::npos)
      << r.errors[0];
}

// Without a CUDA driver, the cuda backend is a clear error, not a crash.
TEST(RuntimeCuda, MissingDriver) {
  ::setenv("HETU_CUDA_DRIVER", "/nonexistent/libcuda.so.1", 1);
  char err[512];
  EXPECT_EQ(hetu_rt_init("cuda", 2, err, sizeof err), 1);
  EXPECT_NE(std::string(err).find("cannot load the CUDA driver "
                                  "(/nonexistent/libcuda.so.1)"),
            std::string::npos)
      << err;
  ::unsetenv("HETU_CUDA_DRIVER");
}

} // namespace
