//===- RuntimeTestUtils.h - Memref descriptors for runtime tests -*- C++
//-*-===//

#ifndef HETU_UNITTESTS_RUNTIME_RUNTIMETESTUTILS_H
#define HETU_UNITTESTS_RUNTIME_RUNTIMETESTUTILS_H

#include "hetu_runtime.h"

#include <cstdint>
#include <vector>

/// A ranked memref descriptor (allocated, aligned, offset, sizes, strides)
/// over `data`, as lowered programs pass them.
struct Descriptor {
  std::vector<int64_t> words;
  Descriptor(void *data, int64_t offset, std::vector<int64_t> sizes,
             std::vector<int64_t> strides = {}) {
    if (strides.empty()) {
      strides.assign(sizes.size(), 1);
      for (int64_t i = static_cast<int64_t>(sizes.size()) - 2; i >= 0; --i)
        strides[i] = strides[i + 1] * sizes[i + 1];
    }
    words.push_back(reinterpret_cast<int64_t>(data));
    words.push_back(reinterpret_cast<int64_t>(data));
    words.push_back(offset);
    words.insert(words.end(), sizes.begin(), sizes.end());
    words.insert(words.end(), strides.begin(), strides.end());
  }
  int64_t rank() const { return (static_cast<int64_t>(words.size()) - 3) / 2; }
  void *ptr() { return words.data(); }
};

#endif // HETU_UNITTESTS_RUNTIME_RUNTIMETESTUTILS_H
