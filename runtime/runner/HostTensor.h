//===- HostTensor.h - Global tensors of the runner --------------*- C++ -*-===//
//
// Row-major host tensors (f32, f64, i32, i64), deterministic random filling,
// tiles, comparison, and NumPy .npy reading and writing.
//
//===----------------------------------------------------------------------===//

#ifndef HETU_RUNTIME_RUNNER_HOSTTENSOR_H
#define HETU_RUNTIME_RUNNER_HOSTTENSOR_H

#include <cstdint>
#include <string>
#include <vector>

namespace hetu::run {

enum class Element { F32, F64, I32, I64 };

size_t elementBytes(Element e);
const char *elementName(Element e);

struct HostTensor {
  Element element = Element::F32;
  std::vector<int64_t> shape;
  std::vector<char> data;

  HostTensor() = default;
  HostTensor(Element element, std::vector<int64_t> shape);
  int64_t numElements() const;
  double at(int64_t i) const;
  void set(int64_t i, double v);
  std::string shapeString() const;

  /// Fills with values from a generator seeded by `seed`: floats uniform in
  /// [-1, 1), integers in [-8, 8).
  void fillRandom(uint64_t seed);
  /// The box at `offsets` of size `sizes`.
  HostTensor tile(const std::vector<int64_t> &offsets,
                  const std::vector<int64_t> &sizes) const;
  /// Concatenation along dimension 0.
  static HostTensor concat(const std::vector<HostTensor> &parts);
  /// Part `i` of `n` equal parts along dimension 0.
  HostTensor split(int64_t n, int64_t i) const;
  /// The same values as `to` elements.
  HostTensor converted(Element to) const;
};

/// Index of the first element where `got` and `expected` differ by more
/// than `rtol * max(|a|, |b|) + atol` (exact for integers); -1 if none.
/// With `worst`, also raises *worst to the largest |a - b| / tolerance of
/// the finite float elements (and looks at every element).
int64_t firstMismatch(const HostTensor &got, const HostTensor &expected,
                      double rtol, double atol, double *worst = nullptr);
std::string indexString(const std::vector<int64_t> &shape, int64_t flat);

bool writeNpy(const std::string &path, const HostTensor &t, std::string &err);
bool readNpy(const std::string &path, HostTensor &t, std::string &err);

} // namespace hetu::run

#endif // HETU_RUNTIME_RUNNER_HOSTTENSOR_H
