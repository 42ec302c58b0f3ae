//===- RunModel.cpp - The step loop of hetu-run and hetu-launch -----------===//
//
// Inputs (drawn from the seed or read from .npy files, new batches every
// step, updated arguments carried over), the ranks run through the
// StepRunner, outputs gathered to process 0 under MPI, --verify against the
// single-device reference (Verify.cpp), and the printed outputs and report.
// Errors come back to the caller as messages; nothing here exits.
//
//===----------------------------------------------------------------------===//

#include "Runner.h"
#include "StepRunner.h"
#include "Verify.h"

#include "hetu_runtime.h"

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <sstream>
#include <sys/stat.h>

using namespace hetu::run;

std::vector<std::string> hetu::run::splitComma(const std::string &s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t comma = s.find(',', start);
    if (comma == std::string::npos)
      comma = s.size();
    if (comma > start)
      out.push_back(s.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

/// A digest (FNV-1a) of what every process of an MPI job must agree on:
/// the model's ranks, replicas, global arguments and results, updates, and
/// the run's options.
static uint64_t jobDigest(const Model &model, const RunOptions &options) {
  std::ostringstream os;
  os << model.entry << ';' << model.target << ';' << model.chip << ';'
     << model.numReplicas << ';';
  for (const std::string &d : model.rankDevices)
    os << d << ',';
  for (const auto *values : {&model.args, &model.results})
    for (const GlobalValue &g : *values) {
      os << ';' << static_cast<int>(g.element) << ':' << g.zeroInit << ':';
      for (int64_t d : g.shape)
        os << d << 'x';
    }
  for (auto &[j, a] : model.updates)
    os << ';' << j << '>' << a;
  os << ';' << options.iterations << ';' << options.verify << ';'
     << options.seed << ';' << options.inputs.size();
  uint64_t h = 1469598103934665603ull;
  for (char c : os.str())
    h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  return h;
}

/// Under MPI: every process checks that it runs the same model with the same
/// options as process 0 (a job started with different shared objects, or
/// different --iterations, would otherwise deadlock or compute garbage);
/// if any differs, every process stops with a message.
static bool agreeOnJob(const Model &model, const RunOptions &options,
                       std::string &error) {
  int64_t me = hetu_rt_process_rank(), n = hetu_rt_num_ranks();
  char rtError[1024] = {0};
  // A failed transfer: its message becomes the error.
  auto failed = [&](int rc) {
    if (rc)
      error = rtError;
    return rc != 0;
  };
  uint64_t mine = jobDigest(model, options), first = mine;
  std::string differing;
  if (me == 0) {
    for (int64_t p = 1; p < n; ++p)
      if (failed(hetu_rt_raw_send(0, p, &mine, sizeof mine, rtError,
                                  sizeof rtError)))
        return false;
    for (int64_t p = 1; p < n; ++p) {
      char same = 0;
      if (failed(hetu_rt_raw_recv(0, p, &same, 1, rtError, sizeof rtError)))
        return false;
      if (!same)
        differing += (differing.empty() ? "" : ", ") + std::to_string(p);
    }
    char go = differing.empty();
    for (int64_t p = 1; p < n; ++p)
      if (failed(hetu_rt_raw_send(0, p, &go, 1, rtError, sizeof rtError)))
        return false;
    if (!go)
      error = "process(es) " + differing +
              " run a different model or different options than process 0 "
              "(every process of the job must load the same model with the "
              "same options)";
    return go;
  }
  if (failed(hetu_rt_raw_recv(me, 0, &first, sizeof first, rtError,
                              sizeof rtError)))
    return false;
  char same = first == mine, go = 0;
  if (failed(hetu_rt_raw_send(me, 0, &same, 1, rtError, sizeof rtError)) ||
      failed(hetu_rt_raw_recv(me, 0, &go, 1, rtError, sizeof rtError)))
    return false;
  if (!same)
    error = "this process runs a different model or different options than "
            "process 0";
  else if (!go)
    error = "another process runs a different model or different options "
            "than process 0";
  return same && go;
}

bool hetu::run::runModel(Model &model, const RunOptions &options,
                         int &exitCode, std::string &error) {
  exitCode = 0;
  auto fail = [&](const std::string &message) {
    error = message;
    return false;
  };
  std::vector<GlobalValue> &globalArgs = model.args;
  std::vector<GlobalValue> &globalResults = model.results;
  std::vector<RankProgram> &programs = model.programs;
  std::map<int64_t, int64_t> &updates = model.updates;
  int64_t numReplicas = model.numReplicas;
  bool mpi = options.mpi;
  int64_t me = hetu_rt_process_rank();
  char rtError[1024] = {0};
  if (mpi && !agreeOnJob(model, options, error))
    return false;

  // Arguments a training step updates (parameters, optimizer state such as
  // a momentum velocity) start the same on every replica.
  for (auto &[j, a] : updates)
    if (a >= 0 && a < (int64_t)globalArgs.size())
      globalArgs[a].trainable = true;
  if (options.iterations < 1)
    return fail("--iterations must be at least 1");
  if (options.iterations > 1 && updates.empty())
    return fail("--iterations=" + std::to_string(options.iterations) +
        " needs a training step: results with {hetu.updates = <argument>}");

  // Inputs, per argument and replica. Data arguments get a new batch every
  // step; parameters are the same on every replica.
  // --inputs names a file for every argument, or for every argument but the
  // optimizer state ({hetu.zero_init}), which then starts at zero.
  const std::vector<std::string> &files = options.inputs;
  std::vector<int64_t> fileOf(globalArgs.size(), -1);
  if (!files.empty()) {
    size_t given = 0;
    for (const GlobalValue &g : globalArgs)
      given += !g.zeroInit;
    bool all = files.size() == globalArgs.size();
    if (!all && files.size() != given)
      return fail("--inputs has " + std::to_string(files.size()) + " files for " +
          std::to_string(globalArgs.size()) + " arguments (" +
          std::to_string(given) + " without the optimizer state)");
    for (size_t a = 0, k = 0; a < globalArgs.size(); ++a)
      if (all || !globalArgs[a].zeroInit)
        fileOf[a] = k++;
  }
  // The arguments a step updates: after the first step their values come
  // from the step before, so later steps do not make them anew.
  std::set<int64_t> updated;
  for (auto &[j, a] : updates)
    updated.insert(a);
  // The step's inputs in `inputs`; false (and `error`) if a file is wrong.
  auto makeInputs = [&](int64_t step,
                        std::vector<std::vector<HostTensor>> &inputs) {
    inputs.assign(globalArgs.size(), {});
    for (size_t a = 0; a < globalArgs.size(); ++a) {
      const GlobalValue &g = globalArgs[a];
      if (step > 0 && updated.count(a))
        continue;
      for (int64_t r = 0; r < numReplicas; ++r) {
        HostTensor t(g.element, g.shape);
        if (fileOf[a] < 0 && g.zeroInit) {
          // Optimizer state starts at zero, as in every framework.
        } else if (fileOf[a] < 0) {
          t.fillRandom(options.seed * 1000003ull + a * 1009ull +
                       (g.trainable ? 0 : r + 1 + step * 7919ull));
        } else {
          const std::string &path = files[fileOf[a]];
          HostTensor file;
          std::string err;
          if (!readNpy(path, file, err))
            return fail(err);
          if (file.element != g.element)
            return fail(path + ": element type " + elementName(file.element) +
                ", argument " + std::to_string(a) + " needs " +
                elementName(g.element));
          std::vector<int64_t> batched = g.shape;
          if (!batched.empty())
            batched[0] *= numReplicas;
          if (file.shape == g.shape)
            t = file;
          else if (file.shape == batched)
            t = file.split(numReplicas, r);
          else
            return fail(path + ": shape " + file.shapeString() + ", argument " +
                std::to_string(a) + " needs " +
                HostTensor(g.element, g.shape).shapeString() + " per replica");
        }
        inputs[a].push_back(std::move(t));
      }
    }
    return true;
  };
  std::vector<std::vector<HostTensor>> inputs;
  if (!makeInputs(0, inputs))
    return false;

  bool printer = !mpi || me == 0;
  if (options.verify && printer && !model.reference)
    return fail("--verify needs the single-device reference");
  if (mpi && (int64_t)model.replicaOwners.size() != numReplicas)
    return fail("--backend=mpi needs the un-partitioned module");

  // Resident state (see StepRunner): the launcher reads an updated argument
  // kept on its rank only where it needs it: --verify, the last step,
  // another rank that is not resident.
  StepRunner stepper(model, mpi, options.allocate, options.release);

  double runSeconds = 0;
  std::vector<double> stepSeconds;
  VerifyStats verifyStats;
  std::map<std::pair<int64_t, int64_t>, HostTensor> outputs;
  for (int64_t step = 0; step < options.iterations && !exitCode; ++step) {
    // Run every local rank on its slices of the inputs.
    bool lastStep = step + 1 == options.iterations;
    bool hostCopies = options.verify || lastStep;
    if (!stepper.run(inputs, !lastStep, hostCopies, error))
      return fail("runtime error: " + error);
    stepSeconds.push_back(stepper.lastSeconds());
    runSeconds += stepSeconds.back();
    outputs = std::move(stepper.outputs);
    std::map<std::pair<int64_t, int64_t>, HostTensor> nextParams =
        std::move(stepper.nextParams);
    if (mpi && hostCopies) {
      // Everything to process 0: the owner of (j, r) sends it.
      for (int64_t r = 0; r < numReplicas; ++r) {
        int64_t owner = model.replicaOwners[r];
        for (size_t j = 0; j < globalResults.size(); ++j) {
          const GlobalValue &g = globalResults[j];
          std::pair<int64_t, int64_t> key{(int64_t)j, r};
          if (owner == me && me != 0) {
            HostTensor &t = outputs[key];
            if (hetu_rt_raw_send(me, 0, t.data.data(), t.data.size(), rtError,
                                 sizeof rtError))
              return fail(rtError);
          } else if (me == 0 && owner != 0) {
            HostTensor t(g.element, g.shape);
            if (hetu_rt_raw_recv(0, owner, t.data.data(), t.data.size(),
                                 rtError, sizeof rtError))
              return fail(rtError);
            outputs[key] = std::move(t);
          }
        }
      }
    }

    if (options.verify && printer &&
        !verifyStep(model, inputs, outputs, step, options.iterations,
                    verifyStats))
      exitCode = 1;

    // Under MPI only process 0 verifies: it tells the others whether to go
    // on, so that a mismatch ends every process after this step (rather
    // than leaving them waiting for process 0 in the next one).
    if (mpi && options.verify && step + 1 < options.iterations) {
      char stop = exitCode ? 1 : 0;
      for (int64_t p = 1, n = hetu_rt_num_ranks(); p < n && me == 0; ++p)
        if (hetu_rt_raw_send(0, p, &stop, 1, rtError, sizeof rtError))
          return fail(rtError);
      if (me != 0 && hetu_rt_raw_recv(me, 0, &stop, 1, rtError, sizeof rtError))
        return fail(rtError);
      if (stop)
        exitCode = 1;
    }

    if (step + 1 < options.iterations && !exitCode) {
      std::vector<std::vector<HostTensor>> next;
      if (!makeInputs(step + 1, next))
        return false;
      for (size_t a = 0; a < next.size(); ++a)
        if (!updated.count(a))
          inputs[a] = std::move(next[a]);
      // Parameters for this process's ranks come from their own results;
      // process 0 (which runs the reference) takes the gathered ones.
      for (auto &[key, t] : nextParams)
        inputs[key.first][key.second] = t;
      if (printer)
        for (auto &[j, a] : updates)
          for (int64_t r = 0; r < numReplicas; ++r)
            if (outputs.count({j, r}))
              inputs[a][r] = outputs[{j, r}];
    }
  }

  // A run stopped early (a mismatch) leaves its resident buffers.
  stepper.releaseResident();

  if (printer) {
    for (size_t j = 0; j < globalResults.size(); ++j) {
      std::vector<HostTensor> parts;
      for (int64_t r = 0; r < numReplicas; ++r) {
        auto it = outputs.find({(int64_t)j, r});
        if (it == outputs.end())
          return fail("output " + std::to_string(j) + " of replica " +
              std::to_string(r) + " was not returned by any rank");
        parts.push_back(it->second);
      }
      HostTensor all = HostTensor::concat(parts);
      double checksum = 0;
      for (int64_t i = 0, n = all.numElements(); i < n; ++i)
        checksum += all.at(i);
      std::printf("output %zu: %" PRId64 " x %s %s [", j, numReplicas,
                  parts[0].shapeString().c_str(), elementName(all.element));
      for (int64_t i = 0, n = std::min<int64_t>(4, all.numElements()); i < n;
           ++i)
        std::printf("%s%g", i ? ", " : "", all.at(i));
      std::printf("%s] checksum %.6g\n", all.numElements() > 4 ? ", ..." : "",
                  checksum);
      if (!options.outputsDir.empty()) {
        ::mkdir(options.outputsDir.c_str(), 0755);
        std::string err;
        if (!writeNpy(options.outputsDir + "/output" + std::to_string(j) +
                          ".npy",
                      all, err))
          return fail(err);
      }
    }
    if (options.verify && !exitCode) {
      std::printf("verify: OK (");
      if (options.iterations > 1)
        std::printf("%" PRId64 " steps, ", options.iterations);
      std::printf("%zu outputs x %" PRId64 " replicas, %" PRId64
                  " elements)\n",
                  globalResults.size(), numReplicas, verifyStats.elements);
    }
    if (options.verify && options.report) {
      std::printf("report: single-device reference run %.6f s (%" PRId64
                  " replicas one after another)\n",
                  verifyStats.referenceSeconds, numReplicas);
      std::printf("report: verify: largest deviation %.3g of the tolerance, "
                  "against the %s reference\n",
                  verifyStats.worstRatio,
                  model.referenceF64 ? "f64" : "model's own");
    }
  }

  if (options.report) {
    if (printer)
      std::printf("report: compile %.3f s (%s), run %.3f s, total %.3f s\n",
                  options.compileSeconds, options.compileWhat.c_str(),
                  runSeconds, secondsSince(options.start));
    if (printer && stepSeconds.size() > 1) {
      // The first step pays for one-off work (loading kernels, creating
      // streams and handles); the others are the steady state.
      std::vector<double> rest(stepSeconds.begin() + 1, stepSeconds.end());
      std::sort(rest.begin(), rest.end());
      std::printf("report: steps: first %.6f s, then median %.6f s, min "
                  "%.6f s (%zu steps)\n",
                  stepSeconds.front(), rest[rest.size() / 2], rest.front(),
                  rest.size());
    }
    for (size_t i = 0; i < programs.size(); ++i) {
      int64_t sent = 0, received = 0;
      double comm = 0;
      hetu_rt_stats(programs[i].rank, &sent, &received, &comm);
      std::printf("report: rank %" PRId64 " (%s): run %.6f s, communication "
                  "%.6f s, sent %" PRId64 " B, received %" PRId64 " B",
                  programs[i].rank,
                  model.rankDevices[programs[i].rank].c_str(), stepper.rankSeconds(i),
                  comm, sent, received);
      if (options.iterations > 1)
        std::printf(", %" PRId64 " of %zu arguments resident between steps",
                    stepper.residentArgs(i), programs[i].args.size());
      std::printf("\n");
    }
  }
  std::fflush(stdout);
  return true;
}

bool hetu::run::cudaChipMatches(const std::string &chip, int64_t numRanks,
                                std::string &error) {
  int64_t want = 0;
  if (chip.size() > 3 && chip.compare(0, 3, "sm_") == 0)
    want = std::atoll(chip.c_str() + 3);
  int64_t gpus = hetu_rt_cuda_device_count();
  for (int64_t d = 0; want && d < std::min(gpus, numRanks); ++d) {
    int64_t have = hetu_rt_cuda_capability(d);
    if (have != want) {
      error = "the kernels are compiled for " + chip + ", GPU " +
              std::to_string(d) + " is sm_" + std::to_string(have) +
              ": compile with --chip=sm_" + std::to_string(have);
      return false;
    }
  }
  return true;
}
