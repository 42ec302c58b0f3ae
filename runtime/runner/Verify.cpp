//===- Verify.cpp - --verify: the partitioned run against one device ------===//
//
// The reference is the original function on one device, run replica by
// replica from the same parameters (in f64 where the model has the
// promoted twin). Each output must lie within a tolerance of it derived
// from the output's magnitude and from the single-device f32 run's own
// rounding error (docs/Running.md, "Verification").
//
//===----------------------------------------------------------------------===//

#include "Verify.h"
#include "StepRunner.h"

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdio>

using namespace hetu::run;

bool hetu::run::verifyStep(const Model &model,
                           const std::vector<std::vector<HostTensor>> &inputs,
                           Outputs &outputs, int64_t step, int64_t iterations,
                           VerifyStats &stats) {
  int64_t numReplicas = model.numReplicas;
  const std::vector<GlobalValue> &globalResults = model.results;
  const std::map<int64_t, int64_t> &updates = model.updates;
  // Training tolerance 1e-4, forward 1e-5.
  double rtol = updates.empty() ? 1e-5 : 1e-4;
  // How many times the single-device f32 run's own error an output may be
  // off by (orders of summation differ; their errors are alike in size).
  constexpr double kNoiseFactor = 16;

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
      stats.referenceSeconds += secondsSince(t0);
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
  for (int64_t r = 0; r < numReplicas; ++r) {
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
      int64_t bad = firstMismatch(got, want, rtol, atol, &stats.worstRatio);
      stats.elements += want.numElements();
      if (bad >= 0) {
        std::printf("verify: mismatch");
        if (iterations > 1)
          std::printf(" at step %" PRId64, step);
        std::printf(" in output %zu (replica %" PRId64
                    ") at %s: got %.9g, expected %.9g\n",
                    j, r, indexString(want.shape, bad).c_str(),
                    got.at(bad), want.at(bad));
        return false;
      }
    }
  }
  return true;
}
