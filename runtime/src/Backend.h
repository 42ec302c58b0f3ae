//===- Backend.h - Transport backends of the hetu runtime -------*- C++ -*-===//

#ifndef HETU_RUNTIME_BACKEND_H
#define HETU_RUNTIME_BACKEND_H

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace hetu::rt {

enum class DType : int32_t { F32 = 0, F64 = 1, I32 = 2, I64 = 3, Bytes = 4 };

size_t elementSize(DType dtype);
const char *dtypeName(DType dtype);

/// What a point-to-point transfer carries besides its payload: checked by the
/// receiver against what it expects.
struct Header {
  int64_t tag = 0;
  DType dtype = DType::Bytes;
  int64_t bytes = 0;
  /// The payload's checksum, 0 for none (HETU_CHECKSUM, Fault.h).
  uint64_t checksum = 0;
  std::string describe() const;
};

/// Why `got`, the header that arrived at rank `me` from `peer`, does not
/// announce what `expected` describes (tag, dtype and byte count), or "".
std::string headerMismatch(int64_t me, int64_t peer, const Header &expected,
                           const Header &got);
/// Fails on a header mismatch.
void checkHeader(int64_t me, int64_t peer, const Header &expected,
                 const Header &got);

/// Raises a runtime error: the calling rank stops (its hetu_rt_run returns
/// the message) and, under the threads backend, every rank waiting on it
/// stops too. Never returns.
[[noreturn]] void fail(const std::string &message);

/// Seconds a rank waits for a peer before failing (HETU_TIMEOUT_S, default
/// 60).
double timeoutSeconds();

/// A transport. Collectives work on packed (contiguous) buffers; members are
/// ranks, in the collective's order. The default collectives are built on
/// send/recv (every rank reduces contributions in member order, so all
/// members get identical results).
class Backend {
public:
  virtual ~Backend();
  virtual const char *name() const = 0;
  virtual int64_t numRanks() const = 0;
  virtual int64_t processRank() const { return 0; }

  /// Sends `header.bytes` bytes. With `rendezvous`, the backend may wait
  /// until the receiver has taken the data (large program transfers: one
  /// copy instead of two); collectives send without it.
  virtual void send(int64_t me, int64_t peer, const Header &header,
                    const void *data, bool rendezvous = false) = 0;
  /// Receives into `data`; fails when what arrives does not match
  /// `expected` (naming both ranks and both descriptions).
  virtual void recv(int64_t me, int64_t peer, const Header &expected,
                    void *data) = 0;

  /// Combines `count` elements of every member's `in` into every member's
  /// `out` (`in` may equal `out`).
  virtual void allReduce(int64_t me, const std::vector<int64_t> &members,
                         int kind, DType dtype, const void *in, void *out,
                         int64_t count);
  virtual void allGather(int64_t me, const std::vector<int64_t> &members,
                         const void *in, void *out, int64_t bytesPerMember);
  virtual void reduceScatter(int64_t me, const std::vector<int64_t> &members,
                             int kind, DType dtype, const void *in, void *out,
                             int64_t countPerMember);
  virtual void broadcast(int64_t me, const std::vector<int64_t> &members,
                         int64_t root, void *buffer, int64_t bytes);
  virtual void reduce(int64_t me, const std::vector<int64_t> &members,
                      int64_t root, int kind, DType dtype, void *buffer,
                      int64_t count);
  virtual void barrier(int64_t me, const std::vector<int64_t> &members);
  /// A rank failed: transfers other ranks wait on inside the transport
  /// (not under the runtime's own waits) must stop. Must not fail.
  virtual void abort() {}
  virtual void finalize() {}
};

/// Combines `count` elements of `from` into `into` with reduction `kind`
/// (sum, max, min, prod; mean is a sum divided afterwards).
void combine(int kind, DType dtype, void *into, const void *from,
             int64_t count);
/// Divides every element by `n` (the mean of a sum).
void divide(DType dtype, void *buffer, int64_t count, int64_t n);

std::unique_ptr<Backend> createThreadsBackend(int64_t numRanks);
/// Null with `error` set when MPI is missing or the world size differs.
std::unique_ptr<Backend> createMPIBackend(int64_t numRanks, std::string &error);

} // namespace hetu::rt

#endif // HETU_RUNTIME_BACKEND_H
