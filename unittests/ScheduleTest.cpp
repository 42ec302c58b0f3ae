//===- ScheduleTest.cpp - Pipeline schedules of micro-batches -------------===//
//
// The schedule library on its own: each stage's sequence is what GPipe and
// 1F1B prescribe, and the global order, on every small pipeline, is a
// permutation of the tasks that keeps each stage's sequence and the data
// flow; sequences that deadlock are refused.
//
//===----------------------------------------------------------------------===//

#include "hetu/Dialect/Hetu/Transforms/Schedule.h"

#include "llvm/ADT/STLExtras.h"
#include "gtest/gtest.h"

#include <map>
#include <tuple>

using namespace mlir;
using namespace mlir::hetu::schedule;

namespace {

constexpr Phase F = Phase::Forward, B = Phase::Backward;

TEST(ScheduleTest, GPipeRunsEveryForwardThenEveryBackward) {
  SmallVector<SmallVector<Task>> seqs = stageSequences(3, 4, false);
  ASSERT_EQ(seqs.size(), 3u);
  for (int64_t s = 0; s < 3; ++s) {
    ASSERT_EQ(seqs[s].size(), 8u);
    for (int64_t m = 0; m < 4; ++m) {
      EXPECT_EQ(seqs[s][m], (Task{s, m, F}));
      EXPECT_EQ(seqs[s][4 + m], (Task{s, m, B}));
    }
  }
}

TEST(ScheduleTest, OneFOneBWarmsUpThenAlternates) {
  // Stage 0 of 3 with 4 micro-batches: two warm-up forwards, then F B
  // pairs, then the drain.
  SmallVector<SmallVector<Task>> seqs = stageSequences(3, 4, true);
  SmallVector<Task> expected0 = {{0, 0, F}, {0, 1, F}, {0, 2, F}, {0, 0, B},
                                 {0, 3, F}, {0, 1, B}, {0, 2, B}, {0, 3, B}};
  EXPECT_EQ(seqs[0], expected0);
  // The last stage alternates from the start.
  SmallVector<Task> expected2 = {{2, 0, F}, {2, 0, B}, {2, 1, F}, {2, 1, B},
                                 {2, 2, F}, {2, 2, B}, {2, 3, F}, {2, 3, B}};
  EXPECT_EQ(seqs[2], expected2);
}

TEST(ScheduleTest, OneFOneBBoundsTheMicroBatchesInFlight) {
  // 1F1B's point: stage s holds at most (stages - s) micro-batches'
  // activations; GPipe holds all of them.
  for (int64_t stages = 1; stages <= 6; ++stages)
    for (int64_t micro = 1; micro <= 10; ++micro) {
      SmallVector<SmallVector<Task>> seqs =
          stageSequences(stages, micro, true);
      for (int64_t s = 0; s < stages; ++s) {
        int64_t inFlight = 0, most = 0;
        for (const Task &t : seqs[s]) {
          inFlight += t.phase == F ? 1 : -1;
          most = std::max(most, inFlight);
          EXPECT_GE(inFlight, 0);
        }
        EXPECT_EQ(inFlight, 0);
        EXPECT_LE(most, std::min(stages - s, micro))
            << stages << " stages, " << micro << " micro-batches, stage " << s;
      }
    }
}

TEST(ScheduleTest, GlobalOrderOfTwoStagesIsTheClock) {
  SmallVector<SmallVector<Task>> seqs = stageSequences(2, 2, false);
  FailureOr<SmallVector<Task>> order = globalOrder(seqs, 2, 2);
  ASSERT_TRUE(succeeded(order));
  // Later stages first within a tick: (s1 F0, s0 F1) in the second tick.
  SmallVector<Task> expected = {{0, 0, F}, {1, 0, F}, {0, 1, F}, {1, 1, F},
                                {1, 0, B}, {1, 1, B}, {0, 0, B}, {0, 1, B}};
  EXPECT_EQ(*order, expected);
}

TEST(ScheduleTest, GlobalOrderKeepsSequencesAndDataFlow) {
  for (bool oneFOneB : {false, true})
    for (int64_t stages = 1; stages <= 8; ++stages)
      for (int64_t micro = 1; micro <= 12; ++micro) {
        SmallVector<SmallVector<Task>> seqs =
            stageSequences(stages, micro, oneFOneB);
        FailureOr<SmallVector<Task>> order = globalOrder(seqs, stages, micro);
        ASSERT_TRUE(succeeded(order));
        ASSERT_EQ(order->size(), static_cast<size_t>(2 * stages * micro));
        std::map<std::tuple<int64_t, int64_t, bool>, size_t> at;
        for (auto [i, t] : llvm::enumerate(*order))
          EXPECT_TRUE(
              at.emplace(std::make_tuple(t.stage, t.micro, t.phase == B), i)
                  .second)
              << "a task twice";
        for (int64_t s = 0; s < stages; ++s) {
          // The stage's own sequence, in order.
          size_t prev = 0;
          for (auto [k, t] : llvm::enumerate(seqs[s])) {
            size_t pos = at.at(std::make_tuple(t.stage, t.micro, t.phase == B));
            if (k > 0) {
              EXPECT_GT(pos, prev);
            }
            prev = pos;
          }
          for (int64_t m = 0; m < micro; ++m) {
            if (s > 0) {
              EXPECT_GT(at.at(std::make_tuple(s, m, false)),
                        at.at(std::make_tuple(s - 1, m, false)));
            }
            if (s + 1 < stages) {
              EXPECT_GT(at.at(std::make_tuple(s, m, true)),
                        at.at(std::make_tuple(s + 1, m, true)));
            }
          }
        }
      }
}

TEST(ScheduleTest, DeadlockingSequencesAreRefused) {
  // Stage 0 wants micro-batch 0's backward before any forward: it waits on
  // stage 1's backward, which waits on stage 1's forward, which waits on
  // stage 0's forward.
  SmallVector<SmallVector<Task>> seqs = {{{0, 0, B}, {0, 0, F}},
                                         {{1, 0, F}, {1, 0, B}}};
  EXPECT_TRUE(failed(globalOrder(seqs, 2, 1)));
}

} // namespace
