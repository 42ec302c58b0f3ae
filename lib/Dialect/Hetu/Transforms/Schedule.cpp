//===- Schedule.cpp - Pipeline schedules of micro-batches -----------------===//

#include "hetu/Dialect/Hetu/Transforms/Schedule.h"

#include <algorithm>
#include <vector>

using namespace mlir;
using namespace mlir::hetu::schedule;

SmallVector<SmallVector<Task>> mlir::hetu::schedule::stageSequences(int64_t stages, int64_t micro,
                                              bool oneFOneB) {
  SmallVector<SmallVector<Task>> seqs(stages);
  for (int64_t s = 0; s < stages; ++s) {
    SmallVector<Task> &seq = seqs[s];
    auto f = [&](int64_t m) { seq.push_back({s, m, Phase::Forward}); };
    auto b = [&](int64_t m) { seq.push_back({s, m, Phase::Backward}); };
    if (!oneFOneB) {
      for (int64_t m = 0; m < micro; ++m)
        f(m);
      for (int64_t m = 0; m < micro; ++m)
        b(m);
      continue;
    }
    int64_t warm = std::min(stages - s - 1, micro);
    for (int64_t m = 0; m < warm; ++m)
      f(m);
    for (int64_t m = 0; m + warm < micro; ++m) {
      f(m + warm);
      b(m);
    }
    for (int64_t m = micro - warm; m < micro; ++m)
      b(m);
  }
  return seqs;
}

FailureOr<SmallVector<Task>>
mlir::hetu::schedule::globalOrder(ArrayRef<SmallVector<Task>> seqs,
                                  int64_t stages, int64_t micro) {
  auto id = [&](int64_t s, int64_t m, Phase p) {
    return (s * micro + m) * 2 + (p == Phase::Backward);
  };
  std::vector<bool> done(stages * micro * 2, false);
  SmallVector<size_t> next(stages, 0);
  SmallVector<Task> order;
  size_t total = 0;
  for (const auto &seq : seqs)
    total += seq.size();
  while (order.size() < total) {
    // Within a tick, later stages first: a stage then receives the value
    // an earlier stage produced in the previous tick before that stage
    // goes on with its next task, which lets the transfer overlap it.
    SmallVector<Task> tick;
    for (int64_t s = stages - 1; s >= 0; --s) {
      if (next[s] == seqs[s].size())
        continue;
      const Task &t = seqs[s][next[s]];
      bool ready =
          t.phase == Phase::Forward
              ? (s == 0 || done[id(s - 1, t.micro, Phase::Forward)])
              : (s == stages - 1 || done[id(s + 1, t.micro, Phase::Backward)]);
      if (ready)
        tick.push_back(t);
    }
    if (tick.empty())
      return failure();
    for (const Task &t : tick) {
      done[id(t.stage, t.micro, t.phase)] = true;
      ++next[t.stage];
      order.push_back(t);
    }
  }
  return order;
}
