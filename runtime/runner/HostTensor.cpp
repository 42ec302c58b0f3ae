//===- HostTensor.cpp - Global tensors of the runner ----------------------===//

#include "HostTensor.h"

#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

namespace hetu::run {

size_t elementBytes(Element e) {
  return e == Element::F64 || e == Element::I64 ? 8 : 4;
}

const char *elementName(Element e) {
  switch (e) {
  case Element::F32:
    return "f32";
  case Element::F64:
    return "f64";
  case Element::I32:
    return "i32";
  case Element::I64:
    return "i64";
  }
  return "?";
}

HostTensor::HostTensor(Element element, std::vector<int64_t> shape)
    : element(element), shape(std::move(shape)) {
  data.assign(numElements() * elementBytes(element), 0);
}

int64_t HostTensor::numElements() const {
  int64_t n = 1;
  for (int64_t s : shape)
    n *= s;
  return n;
}

double HostTensor::at(int64_t i) const {
  const char *p = data.data() + i * elementBytes(element);
  switch (element) {
  case Element::F32: {
    float v;
    std::memcpy(&v, p, 4);
    return v;
  }
  case Element::F64: {
    double v;
    std::memcpy(&v, p, 8);
    return v;
  }
  case Element::I32: {
    int32_t v;
    std::memcpy(&v, p, 4);
    return v;
  }
  case Element::I64: {
    int64_t v;
    std::memcpy(&v, p, 8);
    return static_cast<double>(v);
  }
  }
  return 0;
}

void HostTensor::set(int64_t i, double v) {
  char *p = data.data() + i * elementBytes(element);
  switch (element) {
  case Element::F32: {
    float f = static_cast<float>(v);
    std::memcpy(p, &f, 4);
    break;
  }
  case Element::F64:
    std::memcpy(p, &v, 8);
    break;
  case Element::I32: {
    int32_t x = static_cast<int32_t>(v);
    std::memcpy(p, &x, 4);
    break;
  }
  case Element::I64: {
    int64_t x = static_cast<int64_t>(v);
    std::memcpy(p, &x, 8);
    break;
  }
  }
}

std::string HostTensor::shapeString() const {
  std::string s;
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? "x" : "") + std::to_string(shape[i]);
  return s.empty() ? "scalar" : s;
}

void HostTensor::fillRandom(uint64_t seed) {
  // splitmix64: the same values on every machine.
  uint64_t state = seed * 0x9E3779B97F4A7C15ull + 0x632BE59BD9B4E019ull;
  auto next = [&]() {
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  };
  bool isFloat = element == Element::F32 || element == Element::F64;
  for (int64_t i = 0, n = numElements(); i < n; ++i) {
    uint64_t r = next();
    if (isFloat)
      set(i, static_cast<double>(r >> 11) * 0x1.0p-53 * 2.0 - 1.0);
    else
      set(i, static_cast<double>(static_cast<int64_t>(r % 16) - 8));
  }
}

HostTensor HostTensor::tile(const std::vector<int64_t> &offsets,
                            const std::vector<int64_t> &sizes) const {
  HostTensor out(element, sizes);
  int64_t rank = shape.size();
  if (rank == 0) {
    out.data = data;
    return out;
  }
  size_t eb = elementBytes(element);
  std::vector<int64_t> strides(rank, 1);
  for (int64_t d = rank - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * shape[d + 1];
  std::vector<int64_t> index(rank, 0);
  int64_t inner = sizes[rank - 1];
  int64_t rows = inner ? out.numElements() / inner : 0;
  for (int64_t row = 0; row < rows; ++row) {
    int64_t src = 0;
    for (int64_t d = 0; d < rank; ++d)
      src += (offsets[d] + index[d]) * strides[d];
    std::memcpy(out.data.data() + row * inner * eb, data.data() + src * eb,
                inner * eb);
    for (int64_t d = rank - 2; d >= 0; --d) {
      if (++index[d] < sizes[d])
        break;
      index[d] = 0;
    }
  }
  return out;
}

HostTensor HostTensor::concat(const std::vector<HostTensor> &parts) {
  HostTensor out = parts.front();
  if (out.shape.empty()) {
    // Scalars stack into a vector.
    out.shape = {static_cast<int64_t>(parts.size())};
    for (size_t i = 1; i < parts.size(); ++i)
      out.data.insert(out.data.end(), parts[i].data.begin(),
                      parts[i].data.end());
    return out;
  }
  for (size_t i = 1; i < parts.size(); ++i) {
    out.shape[0] += parts[i].shape[0];
    out.data.insert(out.data.end(), parts[i].data.begin(), parts[i].data.end());
  }
  return out;
}

HostTensor HostTensor::split(int64_t n, int64_t i) const {
  std::vector<int64_t> offsets(shape.size(), 0), sizes = shape;
  sizes[0] /= n;
  offsets[0] = i * sizes[0];
  return tile(offsets, sizes);
}

HostTensor HostTensor::converted(Element to) const {
  HostTensor out(to, shape);
  for (int64_t i = 0, n = numElements(); i < n; ++i)
    out.set(i, at(i));
  return out;
}

int64_t firstMismatch(const HostTensor &got, const HostTensor &expected,
                      double rtol, double atol, double *worst) {
  bool isFloat =
      expected.element == Element::F32 || expected.element == Element::F64;
  int64_t first = -1;
  for (int64_t i = 0, n = expected.numElements(); i < n; ++i) {
    double a = got.at(i), b = expected.at(i);
    if (!isFloat) {
      if (a != b)
        return i;
      continue;
    }
    if (std::isnan(a) || std::isnan(b)) {
      if (std::isnan(a) != std::isnan(b))
        return i;
      continue;
    }
    double tolerance = rtol * std::max(std::fabs(a), std::fabs(b)) + atol;
    if (worst && std::isfinite(a) && std::isfinite(b) && tolerance > 0)
      *worst = std::max(*worst, std::fabs(a - b) / tolerance);
    if (std::fabs(a - b) > tolerance) {
      if (!worst)
        return i;
      if (first < 0)
        first = i;
    }
  }
  return first;
}

std::string indexString(const std::vector<int64_t> &shape, int64_t flat) {
  std::vector<int64_t> index(shape.size());
  for (int64_t d = shape.size() - 1; d >= 0; --d) {
    index[d] = flat % shape[d];
    flat /= shape[d];
  }
  std::string s = "[";
  for (size_t d = 0; d < index.size(); ++d)
    s += (d ? ", " : "") + std::to_string(index[d]);
  return s + "]";
}

static const char *npyDescr(Element e) {
  switch (e) {
  case Element::F32:
    return "<f4";
  case Element::F64:
    return "<f8";
  case Element::I32:
    return "<i4";
  case Element::I64:
    return "<i8";
  }
  return "";
}

bool writeNpy(const std::string &path, const HostTensor &t, std::string &err) {
  std::ofstream out(path, std::ios::binary);
  if (!out) {
    err = "cannot write '" + path + "'";
    return false;
  }
  std::string header = "{'descr': '" + std::string(npyDescr(t.element)) +
                       "', 'fortran_order': False, 'shape': (";
  for (int64_t s : t.shape)
    header += std::to_string(s) + ", ";
  header += "), }";
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  uint16_t len = header.size();
  out.write("\x93NUMPY\x01\x00", 8);
  out.write(reinterpret_cast<const char *>(&len), 2);
  out << header;
  out.write(t.data.data(), t.data.size());
  return static_cast<bool>(out);
}

bool readNpy(const std::string &path, HostTensor &t, std::string &err) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    err = "cannot read '" + path + "'";
    return false;
  }
  char magic[8];
  in.read(magic, 8);
  if (!in || std::memcmp(magic, "\x93NUMPY", 6) != 0) {
    err = "'" + path + "' is not a .npy file";
    return false;
  }
  uint32_t len = 0;
  if (magic[6] == 1) {
    uint16_t l16;
    in.read(reinterpret_cast<char *>(&l16), 2);
    len = l16;
  } else {
    in.read(reinterpret_cast<char *>(&len), 4);
  }
  std::string header(len, ' ');
  in.read(header.data(), len);
  auto field = [&](const std::string &key) -> std::string {
    size_t at = header.find("'" + key + "'");
    if (at == std::string::npos)
      return "";
    size_t colon = header.find(':', at);
    return header.substr(colon + 1);
  };
  std::string descr = field("descr");
  if (descr.find("<f4") != std::string::npos)
    t.element = Element::F32;
  else if (descr.find("<f8") != std::string::npos)
    t.element = Element::F64;
  else if (descr.find("<i4") != std::string::npos)
    t.element = Element::I32;
  else if (descr.find("<i8") != std::string::npos)
    t.element = Element::I64;
  else {
    err = "'" + path + "': unsupported dtype (f4, f8, i4, i8 little-endian)";
    return false;
  }
  if (field("fortran_order").find("True") < field("fortran_order").find(',')) {
    err = "'" + path + "': Fortran order is not supported";
    return false;
  }
  std::string shape = field("shape");
  size_t open = shape.find('('), close = shape.find(')');
  t.shape.clear();
  std::stringstream ss(shape.substr(open + 1, close - open - 1));
  std::string item;
  while (std::getline(ss, item, ','))
    if (item.find_first_not_of(" ") != std::string::npos)
      t.shape.push_back(std::stoll(item));
  t.data.resize(t.numElements() * elementBytes(t.element));
  in.read(t.data.data(), t.data.size());
  if (!in) {
    err = "'" + path + "' is truncated";
    return false;
  }
  return true;
}

} // namespace hetu::run
