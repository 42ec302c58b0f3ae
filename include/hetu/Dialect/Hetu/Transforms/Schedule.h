//===- Schedule.h - Pipeline schedules of micro-batches ---------*- C++ -*-===//
//
// The schedule algorithm of hetu-pipeline-schedule, free of IR: which task
// (forward or backward of one micro-batch on one stage) each stage runs in
// which order (GPipe, 1F1B), and one global order of all tasks that every
// stage's sequence and the data flow allow. Every rank's program is the
// projection of that one order, which keeps partitioning deadlock-free.
//
//===----------------------------------------------------------------------===//

#ifndef HETU_DIALECT_HETU_TRANSFORMS_SCHEDULE_H
#define HETU_DIALECT_HETU_TRANSFORMS_SCHEDULE_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>

namespace mlir::hetu::schedule {

enum class Phase { Forward, Backward };

/// The forward or backward work of micro-batch `micro` on stage `stage`.
struct Task {
  int64_t stage, micro;
  Phase phase;
  bool operator==(const Task &o) const {
    return stage == o.stage && micro == o.micro && phase == o.phase;
  }
};

/// Each stage's task sequence: GPipe (every forward, then every backward) or
/// 1F1B (PipeDream-Flush: stage s warms up with min(stages - s - 1, micro)
/// forwards, then alternates one forward and one backward, then drains).
SmallVector<SmallVector<Task>> stageSequences(int64_t stages, int64_t micro,
                                              bool oneFOneB);

/// One order of all tasks of `seqs` that keeps each stage's sequence and the
/// data flow (a forward needs the previous stage's forward of its
/// micro-batch, a backward the next stage's backward): a synchronous clock
/// where each stage runs its next task once what it needs ran in an earlier
/// tick, later stages first within a tick. Fails if the sequences deadlock.
FailureOr<SmallVector<Task>>
globalOrder(ArrayRef<SmallVector<Task>> seqs, int64_t stages, int64_t micro);

} // namespace mlir::hetu::schedule

#endif // HETU_DIALECT_HETU_TRANSFORMS_SCHEDULE_H
