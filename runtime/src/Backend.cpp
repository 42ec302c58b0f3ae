//===- Backend.cpp - Collectives over point-to-point transfers ------------===//

#include "Backend.h"

#include <cstdlib>
#include <cstring>

namespace hetu::rt {

size_t elementSize(DType dtype) {
  switch (dtype) {
  case DType::F32:
  case DType::I32:
    return 4;
  case DType::F64:
  case DType::I64:
    return 8;
  case DType::Bytes:
    return 1;
  }
  return 1;
}

const char *dtypeName(DType dtype) {
  switch (dtype) {
  case DType::F32:
    return "f32";
  case DType::F64:
    return "f64";
  case DType::I32:
    return "i32";
  case DType::I64:
    return "i64";
  case DType::Bytes:
    return "bytes";
  }
  return "?";
}

std::string Header::describe() const {
  return std::string(dtypeName(dtype)) + " x " +
         std::to_string(bytes / static_cast<int64_t>(elementSize(dtype))) +
         " (" + std::to_string(bytes) + " bytes, tag " + std::to_string(tag) +
         ")";
}

std::string headerMismatch(int64_t me, int64_t peer, const Header &expected,
                           const Header &got) {
  if (got.tag == expected.tag && got.dtype == expected.dtype &&
      got.bytes == expected.bytes)
    return "";
  return "rank " + std::to_string(me) + " expected " + expected.describe() +
         " from rank " + std::to_string(peer) + ", but rank " +
         std::to_string(peer) + " sent " + got.describe();
}

void checkHeader(int64_t me, int64_t peer, const Header &expected,
                 const Header &got) {
  std::string error = headerMismatch(me, peer, expected, got);
  if (!error.empty())
    fail(error);
}

double timeoutSeconds() {
  static double seconds = [] {
    const char *env = std::getenv("HETU_TIMEOUT_S");
    double s = env ? std::atof(env) : 60.0;
    return s > 0 ? s : 60.0;
  }();
  return seconds;
}

template <typename T>
static void combineTyped(int kind, T *into, const T *from, int64_t count) {
  for (int64_t i = 0; i < count; ++i) {
    switch (kind) {
    case 2: // max
      into[i] = into[i] < from[i] ? from[i] : into[i];
      break;
    case 3: // min
      into[i] = from[i] < into[i] ? from[i] : into[i];
      break;
    case 4: // prod
      into[i] *= from[i];
      break;
    default: // sum, mean
      into[i] += from[i];
      break;
    }
  }
}

void combine(int kind, DType dtype, void *into, const void *from,
             int64_t count) {
  switch (dtype) {
  case DType::F32:
    return combineTyped(kind, static_cast<float *>(into),
                        static_cast<const float *>(from), count);
  case DType::F64:
    return combineTyped(kind, static_cast<double *>(into),
                        static_cast<const double *>(from), count);
  case DType::I32:
    return combineTyped(kind, static_cast<int32_t *>(into),
                        static_cast<const int32_t *>(from), count);
  case DType::I64:
    return combineTyped(kind, static_cast<int64_t *>(into),
                        static_cast<const int64_t *>(from), count);
  case DType::Bytes:
    fail("cannot reduce raw bytes");
  }
}

template <typename T> static void divideTyped(T *p, int64_t count, int64_t n) {
  for (int64_t i = 0; i < count; ++i)
    p[i] /= static_cast<T>(n);
}

void divide(DType dtype, void *buffer, int64_t count, int64_t n) {
  switch (dtype) {
  case DType::F32:
    return divideTyped(static_cast<float *>(buffer), count, n);
  case DType::F64:
    return divideTyped(static_cast<double *>(buffer), count, n);
  case DType::I32:
    return divideTyped(static_cast<int32_t *>(buffer), count, n);
  case DType::I64:
    return divideTyped(static_cast<int64_t *>(buffer), count, n);
  case DType::Bytes:
    fail("cannot average raw bytes");
  }
}

Backend::~Backend() = default;

// Collective transfers use a tag no program transfer uses.
static constexpr int64_t kCollectiveTag = -1;

static size_t indexOf(const std::vector<int64_t> &members, int64_t rank) {
  for (size_t i = 0; i < members.size(); ++i)
    if (members[i] == rank)
      return i;
  fail("rank " + std::to_string(rank) + " is not a member of its collective");
}

/// Receives every other member's contribution and combines all of them,
/// this rank's included, in member order into `buffer`: every rank that does
/// this gets the same bits.
static void combineInMemberOrder(Backend &backend, int64_t me,
                                 const std::vector<int64_t> &members,
                                 const Header &header, int kind, DType dtype,
                                 void *buffer, int64_t count) {
  int64_t bytes = header.bytes;
  std::vector<char> mine(static_cast<const char *>(buffer),
                         static_cast<const char *>(buffer) + bytes);
  std::vector<char> incoming(bytes);
  bool first = true;
  for (int64_t peer : members) {
    const void *contribution = mine.data();
    if (peer != me) {
      backend.recv(me, peer, header, incoming.data());
      contribution = incoming.data();
    }
    if (first)
      std::memcpy(buffer, contribution, bytes);
    else
      combine(kind, dtype, buffer, contribution, count);
    first = false;
  }
  if (kind == 1)
    divide(dtype, buffer, count, members.size());
}

void Backend::allReduce(int64_t me, const std::vector<int64_t> &members,
                        int kind, DType dtype, const void *in, void *buffer,
                        int64_t count) {
  int64_t bytes = count * elementSize(dtype);
  if (in != buffer)
    std::memcpy(buffer, in, bytes);
  Header header{kCollectiveTag, dtype, bytes};
  for (int64_t peer : members)
    if (peer != me)
      send(me, peer, header, buffer);
  combineInMemberOrder(*this, me, members, header, kind, dtype, buffer, count);
}

void Backend::allGather(int64_t me, const std::vector<int64_t> &members,
                        const void *in, void *out, int64_t bytesPerMember) {
  Header header{kCollectiveTag, DType::Bytes, bytesPerMember};
  for (int64_t peer : members)
    if (peer != me)
      send(me, peer, header, in);
  for (size_t i = 0; i < members.size(); ++i) {
    char *slot = static_cast<char *>(out) + i * bytesPerMember;
    if (members[i] == me)
      std::memcpy(slot, in, bytesPerMember);
    else
      recv(me, members[i], header, slot);
  }
}

void Backend::reduceScatter(int64_t me, const std::vector<int64_t> &members,
                            int kind, DType dtype, const void *in, void *out,
                            int64_t countPerMember) {
  int64_t bytes = countPerMember * elementSize(dtype);
  Header header{kCollectiveTag, dtype, bytes};
  size_t myIndex = indexOf(members, me);
  for (size_t i = 0; i < members.size(); ++i)
    if (members[i] != me)
      send(me, members[i], header, static_cast<const char *>(in) + i * bytes);
  std::vector<char> incoming(bytes);
  for (size_t i = 0; i < members.size(); ++i) {
    const char *contribution = static_cast<const char *>(in) + myIndex * bytes;
    if (members[i] != me) {
      recv(me, members[i], header, incoming.data());
      contribution = incoming.data();
    }
    if (i == 0)
      std::memcpy(out, contribution, bytes);
    else
      combine(kind, dtype, out, contribution, countPerMember);
  }
  if (kind == 1)
    divide(dtype, out, countPerMember, members.size());
}

void Backend::broadcast(int64_t me, const std::vector<int64_t> &members,
                        int64_t root, void *buffer, int64_t bytes) {
  Header header{kCollectiveTag, DType::Bytes, bytes};
  if (me == root) {
    for (int64_t peer : members)
      if (peer != me)
        send(me, peer, header, buffer);
    return;
  }
  recv(me, root, header, buffer);
}

void Backend::reduce(int64_t me, const std::vector<int64_t> &members,
                     int64_t root, int kind, DType dtype, void *buffer,
                     int64_t count) {
  int64_t bytes = count * elementSize(dtype);
  Header header{kCollectiveTag, dtype, bytes};
  if (me != root) {
    send(me, root, header, buffer);
    return;
  }
  combineInMemberOrder(*this, me, members, header, kind, dtype, buffer, count);
}

void Backend::barrier(int64_t me, const std::vector<int64_t> &members) {
  int64_t token = 0;
  allReduce(me, members, 0, DType::I64, &token, &token, 1);
}

} // namespace hetu::rt
