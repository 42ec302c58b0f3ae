//===- Profile.cpp - HETU_CUDA_PROFILE: GPU time per kernel ---------------===//

#include "Driver.h"

#include <algorithm>
#include <cstdio>
#include <vector>

namespace hetu::rt::cuda::detail {

Profile &profile = *new Profile();


void profileAdd(const std::string &name, double seconds) {
  std::lock_guard<std::mutex> lock(profile.mutex);
  static bool registered = false;
  if (!registered) {
    registered = true;
    std::atexit([] {
      std::lock_guard<std::mutex> lock(profile.mutex);
      std::vector<std::pair<std::string, std::pair<int64_t, double>>> rows(
          profile.kernels.begin(), profile.kernels.end());
      std::sort(rows.begin(), rows.end(), [](const auto &a, const auto &b) {
        return a.second.second > b.second.second;
      });
      double total = 0;
      for (auto &row : rows)
        total += row.second.second;
      double process = std::chrono::duration<double>(
                           std::chrono::steady_clock::now() - profile.start)
                           .count();
      std::fprintf(stderr,
                   "hetu cuda profile: %.6f s in GPU work (summed over "
                   "ranks), %.6f s since the runtime loaded\n",
                   total, process);
      for (auto &row : rows)
        std::fprintf(stderr, "  %12.6f s %8lld x  %s\n", row.second.second,
                     static_cast<long long>(row.second.first),
                     row.first.c_str());
    });
  }
  auto &entry = profile.kernels[name];
  entry.first += 1;
  entry.second += seconds;
}

double since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t)
      .count();
}

} // namespace hetu::rt::cuda::detail
