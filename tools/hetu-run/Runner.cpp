//===- Runner.cpp - Running compiled rank programs ------------------------===//

#include "Runner.h"
#include "StepRunner.h"

#include "hetu_runtime.h"

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <set>
#include <sstream>
#include <sys/stat.h>

using namespace hetu::run;

static const char *toolName = "hetu-run";

void hetu::run::setToolName(const char *name) { toolName = name; }

void hetu::run::die(const std::string &message) {
  std::fflush(stdout);
  std::fprintf(stderr, "%s: %s\n", toolName, message.c_str());
  hetu_rt_finalize();
  std::exit(1);
}

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
static void agreeOnJob(const Model &model, const RunOptions &options) {
  int64_t me = hetu_rt_process_rank(), n = hetu_rt_num_ranks();
  char rtError[1024] = {0};
  auto check = [&](int failed) {
    if (failed)
      die(rtError);
  };
  uint64_t mine = jobDigest(model, options), first = mine;
  std::string differing;
  if (me == 0) {
    for (int64_t p = 1; p < n; ++p)
      check(hetu_rt_raw_send(0, p, &mine, sizeof mine, rtError,
                             sizeof rtError));
    for (int64_t p = 1; p < n; ++p) {
      char same = 0;
      check(hetu_rt_raw_recv(0, p, &same, 1, rtError, sizeof rtError));
      if (!same)
        differing += (differing.empty() ? "" : ", ") + std::to_string(p);
    }
    char go = differing.empty();
    for (int64_t p = 1; p < n; ++p)
      check(hetu_rt_raw_send(0, p, &go, 1, rtError, sizeof rtError));
    if (!go)
      die("process(es) " + differing +
          " run a different model or different options than process 0 "
          "(every process of the job must load the same model with the "
          "same options)");
    return;
  }
  check(hetu_rt_raw_recv(me, 0, &first, sizeof first, rtError,
                         sizeof rtError));
  char same = first == mine, go = 0;
  check(hetu_rt_raw_send(me, 0, &same, 1, rtError, sizeof rtError));
  check(hetu_rt_raw_recv(me, 0, &go, 1, rtError, sizeof rtError));
  if (!same)
    die("this process runs a different model or different options than "
        "process 0");
  if (!go)
    die("another process runs a different model or different options than "
        "process 0");
}

int hetu::run::runModel(Model &model, const RunOptions &options) {
  std::vector<GlobalValue> &globalArgs = model.args;
  std::vector<GlobalValue> &globalResults = model.results;
  std::vector<RankProgram> &programs = model.programs;
  std::map<int64_t, int64_t> &updates = model.updates;
  int64_t numReplicas = model.numReplicas;
  bool mpi = options.mpi;
  int64_t me = hetu_rt_process_rank();
  char rtError[1024] = {0};
  if (mpi)
    agreeOnJob(model, options);

  // Arguments a training step updates (parameters, optimizer state such as
  // a momentum velocity) start the same on every replica.
  for (auto &[j, a] : updates)
    if (a >= 0 && a < (int64_t)globalArgs.size())
      globalArgs[a].trainable = true;
  if (options.iterations < 1)
    die("--iterations must be at least 1");
  if (options.iterations > 1 && updates.empty())
    die("--iterations=" + std::to_string(options.iterations) +
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
      die("--inputs has " + std::to_string(files.size()) + " files for " +
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
  auto makeInputs = [&](int64_t step) {
    std::vector<std::vector<HostTensor>> inputs(globalArgs.size());
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
            die(err);
          if (file.element != g.element)
            die(path + ": element type " + elementName(file.element) +
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
            die(path + ": shape " + file.shapeString() + ", argument " +
                std::to_string(a) + " needs " +
                HostTensor(g.element, g.shape).shapeString() + " per replica");
        }
        inputs[a].push_back(std::move(t));
      }
    }
    return inputs;
  };
  std::vector<std::vector<HostTensor>> inputs = makeInputs(0);

  bool printer = !mpi || me == 0;
  if (options.verify && printer && !model.reference)
    die("--verify needs the single-device reference");
  if (mpi && (int64_t)model.replicaOwners.size() != numReplicas)
    die("--backend=mpi needs the un-partitioned module");

  // Resident state (see StepRunner): the launcher reads an updated argument
  // kept on its rank only where it needs it: --verify, the last step,
  // another rank that is not resident.
  StepRunner stepper(model, mpi, options.allocate, options.release);
  std::string error;

  double runSeconds = 0, referenceSeconds = 0;
  std::vector<double> stepSeconds;
  int64_t elements = 0;
  int exitCode = 0;
  std::map<std::pair<int64_t, int64_t>, HostTensor> outputs;
  // Training tolerance (issue: 1e-4), forward 1e-5.
  double rtol = updates.empty() ? 1e-5 : 1e-4;
  // How many times the single-device f32 run's own error an output may be
  // off by (orders of summation differ; their errors are alike in size).
  constexpr double kNoiseFactor = 16;
  // The largest |got - want| / tolerance of any element (--report).
  double worstRatio = 0;

  for (int64_t step = 0; step < options.iterations && !exitCode; ++step) {
    // Run every local rank on its slices of the inputs.
    bool lastStep = step + 1 == options.iterations;
    bool hostCopies = options.verify || lastStep;
    if (!stepper.run(inputs, !lastStep, hostCopies, error))
      die("runtime error: " + error);
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
              die(rtError);
          } else if (me == 0 && owner != 0) {
            HostTensor t(g.element, g.shape);
            if (hetu_rt_raw_recv(0, owner, t.data.data(), t.data.size(),
                                 rtError, sizeof rtError))
              die(rtError);
            outputs[key] = std::move(t);
          }
        }
      }
    }

    if (options.verify && printer) {
      // The reference: the original function on one device, replica by
      // replica, from the same parameters. A training step's reference is
      // single-device training on the R batches concatenated: the update
      // from the mean of the R replicas' gradients (with mean losses over
      // equal batches, the gradient of the concatenated batch).
      // With `f64`, the arguments go in and the results come out in f64
      // (the promoted reference).
      auto promoted = [](const GlobalValue &g, bool f64) {
        GlobalValue p = g;
        if (f64 && p.element == Element::F32)
          p.element = Element::F64;
        return p;
      };
      auto computeExpected = [&](void (*fn)(void **), void (*applyFn)(void **),
                                 bool f64) {
        std::vector<std::vector<HostTensor>> expected(numReplicas);
        std::vector<GlobalValue> results, gradients;
        for (const GlobalValue &g : globalResults)
          results.push_back(promoted(g, f64));
        for (const GlobalValue &g : model.gradients)
          gradients.push_back(promoted(g, f64));
        std::vector<HostTensor> meanGradients;
        for (const GlobalValue &g : gradients)
          meanGradients.emplace_back(g.element, g.shape);
        // Runs `fn` on `args` (and `extra` after them); returns its results
        // of types `types`.
        auto runReference = [&](void (*f)(void **),
                                std::vector<HostTensor> args,
                                const std::vector<HostTensor> &extra,
                                std::vector<const GlobalValue *> types) {
          PackedCall call;
          args.insert(args.end(), extra.begin(), extra.end());
          for (HostTensor &t : args) {
            if (f64 && t.element == Element::F32)
              t = t.converted(Element::F64);
            call.addMemRef(t.data.data(), t.shape);
          }
          std::vector<std::vector<int64_t>> shapes;
          for (const GlobalValue *g : types)
            shapes.push_back(g->shape);
          call.finish(shapes);
          auto t0 = std::chrono::steady_clock::now();
          f(call.pointers.data());
          referenceSeconds += secondsSince(t0);
          std::vector<HostTensor> out;
          for (size_t j = 0; j < types.size(); ++j)
            out.push_back(call.result(call.descriptorStarts[j],
                                      types[j]->element, types[j]->shape));
          call.freeResults();
          return out;
        };
        std::vector<const GlobalValue *> resultTypes, withGradients;
        for (const GlobalValue &g : results)
          resultTypes.push_back(&g);
        withGradients = resultTypes;
        for (const GlobalValue &g : gradients)
          withGradients.push_back(&g);
        auto replicaArgs = [&](int64_t r) {
          std::vector<HostTensor> args;
          for (auto &perReplica : inputs)
            args.push_back(perReplica[r]);
          return args;
        };
        std::vector<std::vector<HostTensor>> replicaGradients(numReplicas);
        for (int64_t r = 0; r < numReplicas; ++r) {
          std::vector<HostTensor> out =
              runReference(fn, replicaArgs(r), {}, withGradients);
          replicaGradients[r].assign(out.begin() + results.size(), out.end());
          out.resize(results.size());
          expected[r] = std::move(out);
        }
        for (size_t k = 0; k < gradients.size(); ++k)
          for (int64_t e = 0, n = meanGradients[k].numElements(); e < n; ++e) {
            double sum = 0;
            for (int64_t r = 0; r < numReplicas; ++r)
              sum += replicaGradients[r][k].at(e);
            meanGradients[k].set(e, sum / numReplicas);
          }
        if (applyFn) {
          std::vector<HostTensor> applied = runReference(
              applyFn, replicaArgs(0), meanGradients, resultTypes);
          for (auto &[j, a] : updates)
            for (int64_t r = 0; r < numReplicas; ++r)
              expected[r][j] = applied[j];
        } else {
          // Without optimizer ops (updates written out by hand): the mean of
          // the replicas' updates, which is the same for updates linear in
          // the gradient.
          for (auto &[j, a] : updates) {
            HostTensor mean = expected[0][j];
            for (int64_t k = 0, e = mean.numElements(); k < e; ++k) {
              double sum = 0;
              for (int64_t r = 0; r < numReplicas; ++r)
                sum += expected[r][j].at(k);
              mean.set(k, sum / numReplicas);
            }
            for (int64_t r = 0; r < numReplicas; ++r)
              expected[r][j] = mean;
          }
        }
        return expected;
      };
      std::vector<std::vector<HostTensor>> expected =
          computeExpected(model.reference, model.referenceApply, false);
      // The f64 reference, where there is one, is what outputs must match;
      // the f32 reference's own distance from it is the rounding error of
      // each output in its precision (large where it cancels).
      std::vector<std::vector<HostTensor>> precise;
      if (model.referenceF64)
        precise = computeExpected(model.referenceF64, model.referenceF64Apply,
                                  true);
      for (int64_t r = 0; r < numReplicas && !exitCode; ++r) {
        for (size_t j = 0; j < globalResults.size(); ++j) {
          const HostTensor &want =
              precise.empty() ? expected[r][j] : precise[r][j];
          const HostTensor &got = outputs[{(int64_t)j, r}];
          // An element that cancels down far below the output's largest
          // magnitude gets the tolerance of that magnitude: a different
          // summation order (partial sums) legitimately moves it by that.
          // On top, a multiple of the single-device f32 run's own largest
          // error in this output: the partitioned run rounds as much, in
          // another order (docs/Running.md, "Verification").
          double scale = 0, noise = 0;
          for (int64_t k = 0, e = want.numElements(); k < e; ++k) {
            scale = std::max(scale, std::fabs(want.at(k)));
            if (!precise.empty())
              noise = std::max(noise, std::fabs(expected[r][j].at(k) -
                                                want.at(k)));
          }
          if (!std::isfinite(noise))
            noise = 0;
          double atol = rtol * scale + kNoiseFactor * noise;
          int64_t bad = firstMismatch(got, want, rtol, atol, &worstRatio);
          elements += want.numElements();
          if (bad >= 0) {
            std::printf("verify: mismatch");
            if (options.iterations > 1)
              std::printf(" at step %" PRId64, step);
            std::printf(" in output %zu (replica %" PRId64
                        ") at %s: got %.9g, expected %.9g\n",
                        j, r, indexString(want.shape, bad).c_str(),
                        got.at(bad), want.at(bad));
            exitCode = 1;
            break;
          }
        }
      }
    }

    // Under MPI only process 0 verifies: it tells the others whether to go
    // on, so that a mismatch ends every process after this step (rather
    // than leaving them waiting for process 0 in the next one).
    if (mpi && options.verify && step + 1 < options.iterations) {
      char stop = exitCode ? 1 : 0;
      for (int64_t p = 1, n = hetu_rt_num_ranks(); p < n && me == 0; ++p)
        if (hetu_rt_raw_send(0, p, &stop, 1, rtError, sizeof rtError))
          die(rtError);
      if (me != 0 && hetu_rt_raw_recv(me, 0, &stop, 1, rtError, sizeof rtError))
        die(rtError);
      if (stop)
        exitCode = 1;
    }

    if (step + 1 < options.iterations && !exitCode) {
      std::vector<std::vector<HostTensor>> next = makeInputs(step + 1);
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
          die("output " + std::to_string(j) + " of replica " +
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
          die(err);
      }
    }
    if (options.verify && !exitCode) {
      std::printf("verify: OK (");
      if (options.iterations > 1)
        std::printf("%" PRId64 " steps, ", options.iterations);
      std::printf("%zu outputs x %" PRId64 " replicas, %" PRId64
                  " elements)\n",
                  globalResults.size(), numReplicas, elements);
    }
    if (options.verify && options.report) {
      std::printf("report: single-device reference run %.6f s (%" PRId64
                  " replicas one after another)\n",
                  referenceSeconds, numReplicas);
      std::printf("report: verify: largest deviation %.3g of the tolerance, "
                  "against the %s reference\n",
                  worstRatio, model.referenceF64 ? "f64" : "model's own");
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
  return exitCode;
}

//===----------------------------------------------------------------------===//
// Metadata text: one record per line, fields separated by spaces.
//===----------------------------------------------------------------------===//

// Version 2: programs of ranks on a CPU are compiled for the host (they
// get host buffers), which a version-1 CUDA model did not do.
static const char *const kMagic = "hetu-model 3";

static void writeList(std::ostringstream &os, const std::vector<int64_t> &v) {
  os << " " << v.size();
  for (int64_t x : v)
    os << " " << x;
}

std::string hetu::run::serializeModel(const Model &m) {
  std::ostringstream os;
  os << kMagic << "\n";
  os << "entry " << m.entry << "\n";
  os << "target " << m.target << "\n";
  if (!m.chip.empty())
    os << "chip " << m.chip << "\n";
  os << "replicas " << m.numReplicas << "\n";
  if (!m.referenceSymbol.empty())
    os << "reference " << m.referenceSymbol << "\n";
  if (!m.referenceApplySymbol.empty())
    os << "reference_apply " << m.referenceApplySymbol << "\n";
  if (!m.referenceF64Symbol.empty())
    os << "reference_f64 " << m.referenceF64Symbol << "\n";
  if (!m.referenceF64ApplySymbol.empty())
    os << "reference_f64_apply " << m.referenceF64ApplySymbol << "\n";
  for (const GlobalValue &g : m.gradients) {
    os << "gradient " << static_cast<int>(g.element);
    writeList(os, g.shape);
    os << "\n";
  }
  for (const std::string &d : m.rankDevices)
    os << "device " << d << "\n";
  for (const GlobalValue &g : m.args) {
    os << "arg " << static_cast<int>(g.element) << " " << g.trainable;
    writeList(os, g.shape);
    os << "\n";
  }
  for (const GlobalValue &g : m.results) {
    os << "result " << static_cast<int>(g.element);
    writeList(os, g.shape);
    os << "\n";
  }
  for (auto &[j, a] : m.updates)
    os << "update " << j << " " << a << "\n";
  for (size_t a = 0; a < m.args.size(); ++a)
    if (m.args[a].zeroInit)
      os << "zero_init " << a << "\n";
  for (int64_t owner : m.replicaOwners)
    os << "owner " << owner << "\n";
  for (const RankProgram &p : m.programs) {
    os << "program " << p.rank << " " << p.name << "\n";
    for (bool result : {false, true})
      for (const Slot &s : result ? p.results : p.args) {
        os << (result ? "out " : "in ") << s.index << " " << s.replica << " "
           << s.position << " " << static_cast<int>(s.element);
        writeList(os, s.offsets);
        writeList(os, s.localShape);
        os << "\n";
      }
  }
  return os.str();
}

bool hetu::run::parseModel(const std::string &text, Model &m,
                           std::string &error) {
  std::istringstream in(text);
  std::string line;
  if (!std::getline(in, line) || line != kMagic) {
    error = "not a hetu model (expected '" + std::string(kMagic) + "')";
    return false;
  }
  int lineNo = 1;
  auto fail = [&](const std::string &why) {
    error = "model metadata line " + std::to_string(lineNo) + ": " + why;
    return false;
  };
  auto readList = [](std::istringstream &ls, std::vector<int64_t> &v) {
    size_t n = 0;
    if (!(ls >> n) || n > 64)
      return false;
    v.resize(n);
    for (int64_t &x : v)
      if (!(ls >> x))
        return false;
    return true;
  };
  auto element = [](int e, Element &out) {
    if (e < 0 || e > static_cast<int>(Element::I64))
      return false;
    out = static_cast<Element>(e);
    return true;
  };
  while (std::getline(in, line)) {
    ++lineNo;
    if (line.empty())
      continue;
    std::istringstream ls(line);
    std::string kind;
    ls >> kind;
    int e = 0;
    if (kind == "entry") {
      ls >> m.entry;
    } else if (kind == "target") {
      ls >> m.target;
      if (m.target != "cpu" && m.target != "cuda")
        return fail("unknown target '" + m.target + "'");
    } else if (kind == "chip") {
      ls >> m.chip;
    } else if (kind == "reference") {
      ls >> m.referenceSymbol;
    } else if (kind == "reference_apply") {
      ls >> m.referenceApplySymbol;
    } else if (kind == "reference_f64") {
      ls >> m.referenceF64Symbol;
    } else if (kind == "reference_f64_apply") {
      ls >> m.referenceF64ApplySymbol;
    } else if (kind == "gradient") {
      GlobalValue g;
      if (!(ls >> e) || !element(e, g.element) || !readList(ls, g.shape))
        return fail("bad gradient");
      m.gradients.push_back(g);
    } else if (kind == "replicas") {
      if (!(ls >> m.numReplicas) || m.numReplicas < 1)
        return fail("bad replica count");
    } else if (kind == "device") {
      std::string d;
      if (!(ls >> d))
        return fail("bad device");
      m.rankDevices.push_back(d);
    } else if (kind == "arg" || kind == "result") {
      GlobalValue g;
      if (!(ls >> e) || !element(e, g.element))
        return fail("bad element type");
      if (kind == "arg" && !(ls >> g.trainable))
        return fail("bad trainable flag");
      if (!readList(ls, g.shape))
        return fail("bad shape");
      (kind == "arg" ? m.args : m.results).push_back(g);
    } else if (kind == "update") {
      int64_t j = 0, a = 0;
      if (!(ls >> j >> a))
        return fail("bad update");
      m.updates[j] = a;
    } else if (kind == "zero_init") {
      size_t a = 0;
      if (!(ls >> a) || a >= m.args.size())
        return fail("bad zero_init");
      m.args[a].zeroInit = true;
    } else if (kind == "owner") {
      int64_t o = 0;
      if (!(ls >> o))
        return fail("bad owner");
      m.replicaOwners.push_back(o);
    } else if (kind == "program") {
      RankProgram p;
      if (!(ls >> p.rank >> p.name))
        return fail("bad program");
      m.programs.push_back(p);
    } else if (kind == "in" || kind == "out") {
      if (m.programs.empty())
        return fail("slot before any program");
      Slot s;
      if (!(ls >> s.index >> s.replica >> s.position >> e) ||
          !element(e, s.element) || !readList(ls, s.offsets) ||
          !readList(ls, s.localShape))
        return fail("bad slot");
      (kind == "in" ? m.programs.back().args : m.programs.back().results)
          .push_back(s);
    } else {
      return fail("unknown record '" + kind + "'");
    }
  }
  return validateModel(m, error);
}

bool hetu::run::validateModel(const Model &m, std::string &error) {
  auto fail = [&](const std::string &why) {
    error = "inconsistent model metadata: " + why;
    return false;
  };
  if (m.referenceApplySymbol.empty() != m.gradients.empty())
    return fail("a two-phase reference needs both its update function and "
                "its gradients");
  if (!m.referenceF64Symbol.empty() &&
      (m.referenceSymbol.empty() ||
       m.referenceF64ApplySymbol.empty() != m.referenceApplySymbol.empty()))
    return fail("the f64 reference does not match the reference");
  int64_t numRanks = m.rankDevices.size();
  if (numRanks < 1 || m.numReplicas < 1)
    return fail("no ranks or replicas");
  auto checkShape = [&](const std::vector<int64_t> &shape) {
    int64_t n = 1;
    for (int64_t d : shape) {
      if (d < 0 || (d && n > (int64_t(1) << 40) / d))
        return false;
      n *= d;
    }
    return true;
  };
  for (const auto *values : {&m.args, &m.results})
    for (const GlobalValue &g : *values)
      if (!checkShape(g.shape))
        return fail("a global shape is negative or too large");
  std::vector<bool> seen(numRanks, false);
  for (const RankProgram &p : m.programs) {
    if (p.rank < 0 || p.rank >= numRanks || seen[p.rank])
      return fail("program rank " + std::to_string(p.rank) +
                  " is out of range or repeated");
    seen[p.rank] = true;
    if (p.name != m.entry + "__rank" + std::to_string(p.rank))
      return fail("program " + p.name + " is not rank " +
                  std::to_string(p.rank) + "'s");
    for (bool result : {false, true})
      for (const Slot &sl : result ? p.results : p.args) {
        const std::vector<GlobalValue> &globals = result ? m.results : m.args;
        if (sl.index < 0 || sl.index >= (int64_t)globals.size() ||
            sl.replica < 0 || sl.replica >= m.numReplicas ||
            sl.position < -1)
          return fail("a slot of " + p.name + " names no global value");
        const std::vector<int64_t> &shape = globals[sl.index].shape;
        if (sl.offsets.size() != shape.size() ||
            sl.localShape.size() != shape.size() ||
            sl.element != globals[sl.index].element)
          return fail("a slot of " + p.name + " does not match its value");
        for (size_t d = 0; d < shape.size(); ++d)
          if (sl.offsets[d] < 0 || sl.localShape[d] < 0 ||
              sl.offsets[d] + sl.localShape[d] > shape[d])
            return fail("a tile of " + p.name + " lies outside its value");
      }
  }
  for (auto &[j, a] : m.updates)
    if (j < 0 || j >= (int64_t)m.results.size() || a < 0 ||
        a >= (int64_t)m.args.size() ||
        m.results[j].shape != m.args[a].shape ||
        m.results[j].element != m.args[a].element)
      return fail("an update pairs a result and an argument that do not "
                  "match");
  for (int64_t owner : m.replicaOwners)
    if (owner < 0 || owner >= numRanks)
      return fail("a replica's owner is not a rank");
  if (!m.replicaOwners.empty() &&
      (int64_t)m.replicaOwners.size() != m.numReplicas)
    return fail("owners and replicas disagree");
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

void hetu::run::checkCudaChip(const std::string &chip, int64_t numRanks) {
  std::string error;
  if (!cudaChipMatches(chip, numRanks, error))
    die(error);
}
