//===- StepRunner.cpp - One step of a model's rank programs ---------------===//

#include "StepRunner.h"

#include "hetu_runtime.h"

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <thread>

using namespace hetu::run;

double hetu::run::secondsSince(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since)
      .count();
}

//===----------------------------------------------------------------------===//
// PackedCall
//===----------------------------------------------------------------------===//

void PackedCall::addMemRef(void *data, const std::vector<int64_t> &shape,
                           void *allocated) {
  std::vector<int64_t> d;
  d.push_back(reinterpret_cast<int64_t>(allocated ? allocated : data));
  d.push_back(reinterpret_cast<int64_t>(data));
  d.push_back(0);
  d.insert(d.end(), shape.begin(), shape.end());
  std::vector<int64_t> strides(shape.size(), 1);
  for (int64_t i = static_cast<int64_t>(shape.size()) - 2; i >= 0; --i)
    strides[i] = strides[i + 1] * shape[i + 1];
  d.insert(d.end(), strides.begin(), strides.end());
  descriptors.push_back(std::move(d));
}

void PackedCall::finish(const std::vector<std::vector<int64_t>> &resultShapes) {
  for (auto &d : descriptors)
    for (int64_t &word : d)
      pointers.push_back(&word);
  size_t words = 0;
  for (auto &s : resultShapes) {
    descriptorStarts.push_back(words);
    words += 3 + 2 * s.size();
  }
  resultWords.assign(words, 0);
  if (words)
    pointers.push_back(resultWords.data());
}

void PackedCall::freeResults(void (*release)(void *),
                             const std::set<int64_t> &keep) {
  std::set<int64_t> freed = keep;
  for (size_t start : descriptorStarts) {
    int64_t allocated = resultWords[start];
    if (allocated && freed.insert(allocated).second)
      (release ? release : std::free)(reinterpret_cast<void *>(allocated));
  }
}

std::pair<void *, void *>
PackedCall::reusableResult(size_t k, const std::vector<int64_t> &shape) const {
  const int64_t *d = resultWords.data() + descriptorStarts[k];
  if (!d[0] || !d[1] || d[2] != 0)
    return {nullptr, nullptr};
  int64_t stride = 1;
  for (int64_t i = static_cast<int64_t>(shape.size()) - 1; i >= 0; --i) {
    if (shape[i] > 1 && d[3 + shape.size() + i] != stride)
      return {nullptr, nullptr};
    stride *= shape[i];
  }
  for (size_t other = 0; other < descriptorStarts.size(); ++other)
    if (other != k && resultWords[descriptorStarts[other]] == d[0])
      return {nullptr, nullptr};
  return {reinterpret_cast<void *>(d[0]), reinterpret_cast<void *>(d[1])};
}

HostTensor PackedCall::result(size_t word, Element element,
                              const std::vector<int64_t> &shape) const {
  HostTensor t(element, shape);
  const int64_t *d = resultWords.data() + word;
  const char *aligned = reinterpret_cast<const char *>(d[1]);
  size_t eb = elementBytes(element);
  int64_t rank = shape.size();
  const int64_t *strides = d + 3 + rank;
  // Row-major and dense (what the lowering returns): one copy.
  bool dense = true;
  for (int64_t k = rank - 1, stride = 1; k >= 0; --k) {
    dense &= shape[k] == 1 || strides[k] == stride;
    stride *= shape[k];
  }
  if (dense) {
    std::memcpy(t.data.data(), aligned + d[2] * eb, t.data.size());
    return t;
  }
  std::vector<int64_t> index(rank, 0);
  for (int64_t i = 0, n = t.numElements(); i < n; ++i) {
    int64_t offset = d[2];
    for (int64_t k = 0; k < rank; ++k)
      offset += index[k] * strides[k];
    std::memcpy(t.data.data() + i * eb, aligned + offset * eb, eb);
    for (int64_t k = rank - 1; k >= 0; --k) {
      if (++index[k] < shape[k])
        break;
      index[k] = 0;
    }
  }
  return t;
}

//===----------------------------------------------------------------------===//
// StepRunner
//===----------------------------------------------------------------------===//

namespace {

/// The GPU index of a rank-map device ("gpu:3", "node1:gpu:3"), -1 for a
/// CPU ("cpu:0").
int64_t gpuIndex(const std::string &device) {
  size_t colon = device.rfind(':');
  if (colon == std::string::npos || colon < 3 ||
      device.compare(colon - 3, 3, "gpu") != 0)
    return -1;
  return std::atoll(device.c_str() + colon + 1);
}

/// One rank's run: its entry point, its call, how it ended.
struct Job {
  void (*fn)(void **) = nullptr;
  PackedCall *call = nullptr;
  int status = 0;
  char error[1024] = {0};
};

} // namespace

StepRunner::StepRunner(const Model &model, bool mpi,
                       void *(*allocate)(int64_t), void (*release)(void *))
    : model(model), mpi(mpi), allocate(allocate), release(release) {
  const std::vector<RankProgram> &programs = model.programs;
  // The cuda backends (their buffers are managed memory): each rank runs on
  // the GPU of its device in the rank map, and ranks on a CPU (compiled for
  // the host by hetu-lower-to-cuda) keep host buffers.
  onGpu.assign(programs.size(), false);
  if (allocate) {
    std::vector<int64_t> gpus;
    for (const std::string &device : model.rankDevices)
      gpus.push_back(gpuIndex(device));
    hetu_rt_cuda_set_rank_gpus(gpus.data(), static_cast<int64_t>(gpus.size()));
    for (size_t i = 0; i < programs.size(); ++i)
      onGpu[i] = programs[i].rank < static_cast<int64_t>(gpus.size()) &&
                 gpus[programs[i].rank] >= 0;
  }
  keepFrom.resize(programs.size());
  resident.resize(programs.size());
  rankSeconds_.assign(programs.size(), 0);
  residentArgs_.assign(programs.size(), 0);
  for (size_t i = 0; i < programs.size(); ++i) {
    const RankProgram &p = programs[i];
    keepFrom[i].assign(p.args.size(), -1);
    resident[i].assign(p.args.size(), Buffer());
    for (size_t a = 0; a < p.args.size(); ++a)
      for (size_t k = 0; k < p.results.size() && keepFrom[i][a] < 0; ++k) {
        const Slot &arg = p.args[a], &res = p.results[k];
        auto u = model.updates.find(res.index);
        if (u != model.updates.end() && u->second == arg.index &&
            res.replica == arg.replica && res.offsets == arg.offsets &&
            res.localShape == arg.localShape && res.element == arg.element)
          keepFrom[i][a] = static_cast<int64_t>(k);
      }
  }
}

StepRunner::~StepRunner() { releaseResident(); }

void (*StepRunner::releaseOf(size_t i) const)(void *) {
  return onGpu[i] ? release : std::free;
}

void StepRunner::releaseResident() {
  for (size_t i = 0; i < resident.size(); ++i)
    for (Buffer &buffer : resident[i]) {
      if (buffer.first)
        releaseOf(i)(buffer.first);
      buffer = Buffer();
    }
}

bool StepRunner::run(const Inputs &inputs, bool keepResident, bool hostCopies,
                     std::string &error) {
  const std::vector<RankProgram> &programs = model.programs;
  const std::map<int64_t, int64_t> &updates = model.updates;
  outputs.clear();
  nextParams.clear();

  // Every local rank's call on its slices of the inputs.
  std::vector<PackedCall> calls(programs.size());
  std::vector<std::vector<HostTensor>> argData(programs.size());
  // Argument buffers to free after the step, with their release.
  std::vector<std::pair<void *, void (*)(void *)>> argBuffers;
  for (size_t i = 0; i < programs.size(); ++i) {
    const RankProgram &p = programs[i];
    void (*releaseArg)(void *) = releaseOf(i);
    argData[i].resize(p.args.size());
    for (size_t a = 0; a < p.args.size(); ++a) {
      const Slot &sl = p.args[a];
      if (auto [allocated, aligned] = resident[i][a]; allocated) {
        calls[i].addMemRef(aligned, sl.localShape, allocated);
        argBuffers.push_back({allocated, releaseArg}); // a new one comes back
        resident[i][a] = Buffer();
        continue;
      }
      const std::vector<HostTensor> &values = inputs[sl.index];
      const HostTensor &value =
          values.size() == 1 ? values[0] : values[sl.replica];
      HostTensor &t = argData[i][a];
      t = value.tile(sl.offsets, sl.localShape);
      void *data = t.data.data();
      if (onGpu[i]) {
        data = allocate(t.data.size());
        std::memcpy(data, t.data.data(), t.data.size());
        hetu_rt_cuda_prefetch(data, t.data.size(), p.rank);
        argBuffers.push_back({data, releaseArg});
      }
      calls[i].addMemRef(data, t.shape);
    }
    std::vector<std::vector<int64_t>> resultShapes;
    for (const Slot &sl : p.results)
      resultShapes.push_back(sl.localShape);
    calls[i].finish(resultShapes);
  }

  // Run them: one thread per rank (under MPI, this process's rank here).
  std::vector<Job> jobs(programs.size());
  auto runStart = std::chrono::steady_clock::now();
  auto runJob = [&](size_t i) {
    Job &job = jobs[i];
    job.fn = programs[i].fn;
    job.call = &calls[i];
    auto t0 = std::chrono::steady_clock::now();
    job.status = hetu_rt_run(
        programs[i].rank,
        [](void *arg) {
          auto *j = static_cast<Job *>(arg);
          j->fn(j->call->pointers.data());
        },
        &job, job.error, sizeof job.error);
    rankSeconds_[i] += secondsSince(t0);
  };
  if (mpi) {
    runJob(0);
  } else {
    std::vector<std::thread> threads;
    for (size_t i = 0; i < programs.size(); ++i)
      threads.emplace_back(runJob, i);
    for (std::thread &t : threads)
      t.join();
  }
  lastSeconds_ = secondsSince(runStart);

  // The rank that failed first, rather than those it stopped.
  const Job *failed = nullptr;
  for (const Job &job : jobs)
    if (job.status &&
        (!failed || std::strstr(failed->error, "another rank failed")))
      failed = &job;
  if (failed) {
    error = failed->error;
    // Host buffers go; GPU buffers stay (a stopped rank's kernels may still
    // use them).
    for (size_t i = 0; i < programs.size(); ++i)
      if (!onGpu[i])
        calls[i].freeResults();
    for (auto &[buffer, releaseArg] : argBuffers)
      if (releaseArg == std::free)
        std::free(buffer);
    return false;
  }

  // What stays resident for the next step, and what the host must read
  // anyway (an argument of a rank that is not resident).
  std::set<void *> inUse;
  for (auto &buffer : argBuffers)
    inUse.insert(buffer.first);
  std::vector<std::set<int64_t>> kept(programs.size());
  std::vector<std::set<size_t>> keptResults(programs.size());
  std::set<std::pair<int64_t, int64_t>> hostNeeded;
  for (size_t i = 0; i < programs.size(); ++i) {
    const RankProgram &p = programs[i];
    for (size_t a = 0; a < p.args.size(); ++a) {
      int64_t k = keepFrom[i][a];
      Buffer buffer = k < 0 || !keepResident
                          ? Buffer()
                          : calls[i].reusableResult(k, p.args[a].localShape);
      if (buffer.first && !inUse.count(buffer.first) &&
          kept[i].insert(reinterpret_cast<int64_t>(buffer.first)).second) {
        resident[i][a] = buffer;
        keptResults[i].insert(k);
        residentArgs_[i] = std::max<int64_t>(residentArgs_[i], kept[i].size());
      } else {
        hostNeeded.insert({p.args[a].index, p.args[a].replica});
      }
    }
  }

  // Outputs: result j of replica r from the device at position 0; the
  // next step's parameters from this process's own results.
  for (size_t i = 0; i < programs.size(); ++i) {
    size_t k = 0;
    for (const Slot &sl : programs[i].results) {
      size_t position = k++;
      auto u = updates.find(sl.index);
      if (!hostCopies && keptResults[i].count(position) &&
          !hostNeeded.count({u->second, sl.replica}))
        continue; // stays on the GPU, nobody reads it this step
      HostTensor t = calls[i].result(calls[i].descriptorStarts[position],
                                     sl.element, sl.localShape);
      if (u != updates.end())
        nextParams[{u->second, sl.replica}] = t;
      if (sl.position == 0)
        outputs[{sl.index, sl.replica}] = std::move(t);
    }
    calls[i].freeResults(releaseOf(i), kept[i]);
  }
  for (auto &[buffer, releaseArg] : argBuffers)
    releaseArg(buffer);
  return true;
}
