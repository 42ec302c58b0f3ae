//===- RuntimeMPITest.cpp - The MPI backend (run under mpirun -n 4) -------===//
//
// Each process is one rank; the checks run on every process and the
// process exits non-zero on any failure.
//
//===----------------------------------------------------------------------===//

#include "RuntimeTestUtils.h"

#include "gtest/gtest.h"

#include <cstdio>
#include <vector>

// Checks run inside hetu_rt_run; failures are counted and reported by the
// test that ran them.
static int failures = 0;
#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      std::fprintf(stderr, "rank %ld: check failed: %s (line %d)\n",           \
                   (long)hetu_rt_process_rank(), #cond, __LINE__);             \
      ++failures;                                                              \
    }                                                                          \
  } while (0)

static void body(void *) {
  int64_t me = hetu_rt_process_rank();
  int64_t n = hetu_rt_num_ranks();
  // Ring of strided point-to-point transfers.
  std::vector<float> buffer(16);
  for (int i = 0; i < 16; ++i)
    buffer[i] = 100 * me + i;
  Descriptor view(buffer.data(), 5, {2, 3}, {4, 1});
  std::vector<float> got(6);
  Descriptor into(got.data(), 0, {2, 3});
  int64_t next = (me + 1) % n, prev = (me + n - 1) % n;
  if (me % 2 == 0) {
    hetu_rt_send_f32(next, 1, view.rank(), view.ptr());
    hetu_rt_recv_f32(prev, 1, into.rank(), into.ptr());
  } else {
    hetu_rt_recv_f32(prev, 1, into.rank(), into.ptr());
    hetu_rt_send_f32(next, 1, view.rank(), view.ptr());
  }
  CHECK(got[0] == 100 * prev + 5 && got[5] == 100 * prev + 11);

  // All-reduce over everyone, and over a sub-group in another order.
  std::vector<int64_t> all;
  for (int64_t r = 0; r < n; ++r)
    all.push_back(r);
  Descriptor g(all.data(), 0, {n});
  std::vector<double> in = {double(me + 1)}, out = {0};
  Descriptor i(in.data(), 0, {1}), o(out.data(), 0, {1});
  hetu_rt_all_reduce_f64(HETU_RT_SUM, g.rank(), g.ptr(), i.rank(), i.ptr(),
                         o.rank(), o.ptr());
  CHECK(out[0] == n * (n + 1) / 2);
  if (me == 1 || me == 3) {
    std::vector<int64_t> pair = {3, 1};
    Descriptor gp(pair.data(), 0, {2});
    hetu_rt_all_reduce_f64(HETU_RT_MAX, gp.rank(), gp.ptr(), i.rank(), i.ptr(),
                           o.rank(), o.ptr());
    CHECK(out[0] == 4);
  }
  // All-gather along dimension 1.
  std::vector<int32_t> col = {int32_t(me), int32_t(10 + me)};
  std::vector<int32_t> gathered(2 * n);
  Descriptor ci(col.data(), 0, {2, 1}), co(gathered.data(), 0, {2, n});
  hetu_rt_all_gather_i32(1, g.rank(), g.ptr(), ci.rank(), ci.ptr(), co.rank(),
                         co.ptr());
  CHECK(gathered[1] == 1 && gathered[n + 2] == 12);
  // Reduce-scatter along dimension 0.
  std::vector<float> rows(n, float(me)), mine(1);
  Descriptor ri(rows.data(), 0, {n}), ro(mine.data(), 0, {1});
  hetu_rt_reduce_scatter_f32(HETU_RT_SUM, 0, g.rank(), g.ptr(), ri.rank(),
                             ri.ptr(), ro.rank(), ro.ptr());
  CHECK(mine[0] == float(n * (n - 1) / 2));
  // Broadcast from rank 2.
  std::vector<int64_t> value = {me * 7}, result = {0};
  Descriptor bi(value.data(), 0, {1}), bo(result.data(), 0, {1});
  hetu_rt_broadcast_i64(2, g.rank(), g.ptr(), bi.rank(), bi.ptr(), bo.rank(),
                        bo.ptr());
  CHECK(result[0] == 14);
  // Barrier over everyone.
  hetu_rt_barrier(g.rank(), g.ptr());
}

TEST(RuntimeMPI, TransfersAndCollectives) {
  char err[512];
  failures = 0;
  ASSERT_EQ(hetu_rt_run(hetu_rt_process_rank(), body, nullptr, err, sizeof err),
            0)
      << err;
  EXPECT_EQ(failures, 0);
}

int main(int argc, char **argv) {
  ::testing::InitGoogleTest(&argc, argv);
  char err[512];
  if (hetu_rt_init("mpi", 4, err, sizeof err)) {
    std::fprintf(stderr, "%s\n", err);
    return 1;
  }
  // Only process 0 reports; every process runs the tests.
  if (hetu_rt_process_rank() != 0) {
    auto &listeners = ::testing::UnitTest::GetInstance()->listeners();
    delete listeners.Release(listeners.default_result_printer());
  }
  int status = RUN_ALL_TESTS();
  hetu_rt_finalize();
  return status;
}
