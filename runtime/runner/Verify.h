//===- Verify.h - --verify: the partitioned run against one device -*- C++ -*-===//

#ifndef HETU_RUNTIME_RUNNER_VERIFY_H
#define HETU_RUNTIME_RUNNER_VERIFY_H

#include "Runner.h"

#include <map>
#include <utility>
#include <vector>

namespace hetu::run {

/// A step's outputs: (result index, replica) -> value.
using Outputs = std::map<std::pair<int64_t, int64_t>, HostTensor>;

/// What --verify measured over a run (--report prints it).
struct VerifyStats {
  /// Time in the single-device reference.
  double referenceSeconds = 0;
  /// The largest |got - want| / tolerance of any element.
  double worstRatio = 0;
  /// Elements compared.
  int64_t elements = 0;
};

/// Runs the model's single-device reference on `inputs` (per argument, each
/// replica's value) and compares every replica's `outputs` of step `step`
/// (of `iterations`) with it. On the first element out of tolerance, prints
/// "verify: mismatch ..." and returns false.
bool verifyStep(const Model &model,
                const std::vector<std::vector<HostTensor>> &inputs,
                Outputs &outputs, int64_t step, int64_t iterations,
                VerifyStats &stats);

} // namespace hetu::run

#endif // HETU_RUNTIME_RUNNER_VERIFY_H
