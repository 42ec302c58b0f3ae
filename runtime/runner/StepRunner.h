//===- StepRunner.h - One step of a model's rank programs -------*- C++ -*-===//
//
// The core that runModel (hetu-run, hetu-launch) and the in-process session
// (libhetu_session, hetu_session.h) share: the packed calling convention of
// the compiled rank programs, and one step of the programs this process
// runs. It reports errors instead of exiting: a library in someone else's
// process must not end it.
//
//===----------------------------------------------------------------------===//

#ifndef HETU_RUNTIME_RUNNER_STEPRUNNER_H
#define HETU_RUNTIME_RUNNER_STEPRUNNER_H

#include "Runner.h"

#include <chrono>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace hetu::run {

/// Wall-clock seconds since `since`.
double secondsSince(std::chrono::steady_clock::time_point since);

/// Memref descriptors of a call's arguments and the words of its results,
/// with the pointer array of the packed calling convention.
struct PackedCall {
  std::vector<std::vector<int64_t>> descriptors;
  std::vector<int64_t> resultWords;
  std::vector<void *> pointers;
  std::vector<size_t> descriptorStarts;

  /// A row-major argument (`allocated`: its allocation, if not `data`).
  void addMemRef(void *data, const std::vector<int64_t> &shape,
                 void *allocated = nullptr);
  /// Lays out the results' words and the pointer array.
  void finish(const std::vector<std::vector<int64_t>> &resultShapes);
  /// Frees the results' buffers (the caller owns them after the
  /// deallocation pipeline; results may share a buffer), except `keep`.
  void freeResults(void (*release)(void *) = nullptr,
                   const std::set<int64_t> &keep = {});
  /// The buffer of result `k` (allocated, aligned) if it can be passed on
  /// as an argument as it is: row-major, offset 0, its own allocation
  /// (shared with no other result); nulls otherwise.
  std::pair<void *, void *>
  reusableResult(size_t k, const std::vector<int64_t> &shape) const;
  /// Copies the result whose descriptor starts at `word` out.
  HostTensor result(size_t word, Element element,
                    const std::vector<int64_t> &shape) const;
};

/// Runs the rank programs of this process (every rank under the threads
/// and cuda backends, one thread each; this process's rank under MPI) one
/// step at a time, on an initialised runtime. Each step feeds every rank
/// its tiles of the global inputs, runs the ranks, copies the results out
/// and frees their buffers.
///
/// Resident state: an updated argument (a parameter, optimizer state) whose
/// next value is a result of the same rank with the same tile may stay in
/// that result's buffer (GPU memory on the cuda backends), which becomes
/// the rank's argument in the next step, rather than being copied out and
/// back in.
class StepRunner {
public:
  /// Per global argument, the value of each replica, or one value that
  /// every replica gets.
  using Inputs = std::vector<std::vector<HostTensor>>;
  /// (global index, replica) -> value.
  using Values = std::map<std::pair<int64_t, int64_t>, HostTensor>;

  /// `allocate`/`release`: where the ranks' argument buffers live and how
  /// their results are freed (the cuda backends: managed memory, for ranks
  /// on a GPU); null: the host heap. The model must outlive the runner.
  StepRunner(const Model &model, bool mpi, void *(*allocate)(int64_t bytes),
             void (*release)(void *));
  ~StepRunner();
  StepRunner(const StepRunner &) = delete;
  StepRunner &operator=(const StepRunner &) = delete;

  /// Runs one step on `inputs` (an argument resident from the last step is
  /// not read from them). `keepResident`: updated arguments may stay
  /// resident for the next step. `hostCopies`: copy every result to the
  /// host, even those that stay resident and nobody reads. Returns false
  /// with the message of the rank that failed first ("rank R: ...") in
  /// `error`; the runtime's transport is then stopped (a new step needs a
  /// new hetu_rt_init).
  bool run(const Inputs &inputs, bool keepResident, bool hostCopies,
           std::string &error);

  /// After a step: result j of replica r, from the rank holding position 0
  /// of its tile, keyed (j, r) ...
  Values outputs;
  /// ... and the next value of updated argument a of replica r that this
  /// process's ranks computed, keyed (a, r).
  Values nextParams;

  /// Seconds of the last step (every rank, wall clock).
  double lastSeconds() const { return lastSeconds_; }
  /// Seconds program i (of the model's programs) ran, over all steps.
  double rankSeconds(size_t i) const { return rankSeconds_[i]; }
  /// The most arguments of program i kept resident in one step.
  int64_t residentArgs(size_t i) const { return residentArgs_[i]; }
  /// Frees what stays resident (the next step reads every argument from
  /// its inputs).
  void releaseResident();

private:
  using Buffer = std::pair<void *, void *>; // (allocated, aligned)
  void (*releaseOf(size_t i) const)(void *);

  const Model &model;
  bool mpi;
  void *(*allocate)(int64_t);
  void (*release)(void *);
  /// Whether program i runs on a GPU (its buffers are managed memory).
  std::vector<bool> onGpu;
  /// For each argument of program i, the result whose buffer may replace
  /// it in the next step, or -1.
  std::vector<std::vector<int64_t>> keepFrom;
  /// Each argument of program i kept from the last step (or nulls).
  std::vector<std::vector<Buffer>> resident;
  std::vector<double> rankSeconds_;
  std::vector<int64_t> residentArgs_;
  double lastSeconds_ = 0;
};

} // namespace hetu::run

#endif // HETU_RUNTIME_RUNNER_STEPRUNNER_H
