//===- Nccl.cpp - Communication through NCCL ------------------------------===//
//
// The cuda backends' transport: NCCL (loaded at run time) for collectives
// and point-to-point payloads between ranks on different GPUs (ranks that
// share a GPU, when there are more ranks than GPUs, and ranks on the CPU
// communicate through the host backend, as NCCL wants one GPU per member),
// on one communicator per group of ranks (its members in the collective's
// order; a pair for point-to-point), created the
// first time the group communicates, its unique id sent by the group's first
// member to the others over the host backend (threads: one process; MPI:
// several). The runtime hands the backend packed host buffers; they are
// staged through the rank's managed scratch buffer, and every call waits
// for the rank's communication stream. Headers of point-to-point transfers
// still go through the host backend, so mismatches are reported as on the
// CPU backends.
//
//===----------------------------------------------------------------------===//

#include "CudaInternal.h"

#include "../Runtime.h"

#include "hetu_runtime.h"

#include <algorithm>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <map>
#include <mutex>

using namespace hetu::rt;
using hetu::rt::cuda::resolve;

namespace {

struct UniqueId {
  char bytes[128];
};

struct Nccl {
  int (*getUniqueId)(UniqueId *);
  int (*commInitRank)(void **, int, UniqueId, int);
  const char *(*getErrorString)(int);
  int (*allReduce)(const void *, void *, size_t, int, int, void *, void *);
  int (*allGather)(const void *, void *, size_t, int, void *, void *);
  int (*reduceScatter)(const void *, void *, size_t, int, int, void *, void *);
  int (*broadcast)(const void *, void *, size_t, int, int, void *, void *);
  int (*reduce)(const void *, void *, size_t, int, int, int, void *, void *);
  int (*send)(const void *, size_t, int, int, void *, void *);
  int (*recv)(void *, size_t, int, int, void *, void *);
  int (*commAbort)(void *);
};

constexpr int kInt8 = 0, kInt32 = 2, kInt64 = 4, kFloat32 = 7, kFloat64 = 8;

int ncclType(DType dtype) {
  switch (dtype) {
  case DType::F32: return kFloat32;
  case DType::F64: return kFloat64;
  case DType::I32: return kInt32;
  case DType::I64: return kInt64;
  case DType::Bytes: return kInt8;
  }
  return kInt8;
}

/// #hetu.reduction (sum, mean, max, min, prod) -> ncclRedOp_t.
int ncclOp(int kind) {
  switch (kind) {
  case HETU_RT_MEAN: return 4; // ncclAvg
  case HETU_RT_MAX: return 2;
  case HETU_RT_MIN: return 3;
  case HETU_RT_PROD: return 1;
  default: return 0; // ncclSum
  }
}

class NcclBackend : public Backend {
public:
  NcclBackend(std::unique_ptr<Backend> host, Nccl nccl)
      : host(std::move(host)), nccl(nccl) {}

  const char *name() const override { return "nccl"; }
  int64_t numRanks() const override { return host->numRanks(); }
  int64_t processRank() const override { return host->processRank(); }

  void send(int64_t me, int64_t peer, const Header &header, const void *data,
            bool rendezvous) override {
    if (needsHost({me, peer}))
      return host->send(me, peer, header, data, rendezvous);
    // The header (tag, type) over the host, with the size as its payload.
    int64_t bytes = header.bytes;
    host->send(me, peer, Header{header.tag, header.dtype, sizeof bytes},
               &bytes);
    if (!header.bytes)
      return;
    Member m = member({std::min(me, peer), std::max(me, peer)}, me);
    staged(m, "ncclSend", header.bytes, data, 0, header.bytes, [&](char *s) {
      return nccl.send(s, header.bytes, kInt8, me < peer ? 1 : 0, m.comm,
                       m.stream);
    });
  }

  void recv(int64_t me, int64_t peer, const Header &expected,
            void *data) override {
    if (needsHost({me, peer}))
      return host->recv(me, peer, expected, data);
    // The header first: the host backend checks tag and type, the size is
    // checked here.
    int64_t bytes = 0;
    host->recv(me, peer, Header{expected.tag, expected.dtype, sizeof bytes},
               &bytes);
    if (bytes != expected.bytes)
      fail("rank " + std::to_string(me) + " expected " + expected.describe() +
           " from rank " + std::to_string(peer) + ", but rank " +
           std::to_string(peer) + " sent " + std::to_string(bytes) +
           " bytes");
    if (!expected.bytes)
      return;
    Member m = member({std::min(me, peer), std::max(me, peer)}, me);
    char *stage = staged(m, "ncclRecv", expected.bytes, nullptr, 0, 0,
                         [&](char *s) {
                           return nccl.recv(s, expected.bytes, kInt8,
                                            me < peer ? 1 : 0, m.comm,
                                            m.stream);
                         });
    std::memcpy(data, stage, expected.bytes);
  }

  void allReduce(int64_t me, const std::vector<int64_t> &members, int kind,
                 DType dtype, const void *in, void *out,
                 int64_t count) override {
    if (needsHost(members))
      return host->allReduce(me, members, kind, dtype, in, out, count);
    size_t bytes = count * elementSize(dtype);
    Member m = member(members, me);
    char *stage = staged(m, "ncclAllReduce", bytes, in, 0, bytes, [&](char *s) {
      return nccl.allReduce(s, s, count, ncclType(dtype), ncclOp(kind), m.comm,
                            m.stream);
    });
    std::memcpy(out, stage, bytes);
  }

  void allGather(int64_t me, const std::vector<int64_t> &members,
                 const void *in, void *out, int64_t bytesPerMember) override {
    if (needsHost(members))
      return host->allGather(me, members, in, out, bytesPerMember);
    size_t n = members.size(), bytes = bytesPerMember;
    Member m = member(members, me);
    size_t mine = m.position * bytes;
    char *stage = staged(m, "ncclAllGather", bytes * n, in, mine, bytes,
                         [&](char *s) {
                           return nccl.allGather(s + mine, s, bytes, kInt8,
                                                 m.comm, m.stream);
                         });
    std::memcpy(out, stage, bytes * n);
  }

  void reduceScatter(int64_t me, const std::vector<int64_t> &members,
                     int kind, DType dtype, const void *in, void *out,
                     int64_t countPerMember) override {
    if (needsHost(members))
      return host->reduceScatter(me, members, kind, dtype, in, out,
                                 countPerMember);
    size_t n = members.size(), bytes = countPerMember * elementSize(dtype);
    Member m = member(members, me);
    char *stage =
        staged(m, "ncclReduceScatter", bytes * n, in, 0, bytes * n,
               [&](char *s) {
                 return nccl.reduceScatter(s, s + m.position * bytes,
                                           countPerMember, ncclType(dtype),
                                           ncclOp(kind), m.comm, m.stream);
               });
    std::memcpy(out, stage + m.position * bytes, bytes);
  }

  void broadcast(int64_t me, const std::vector<int64_t> &members,
                 int64_t root, void *buffer, int64_t bytes) override {
    if (needsHost(members))
      return host->broadcast(me, members, root, buffer, bytes);
    Member m = member(members, me);
    char *stage = staged(m, "ncclBroadcast", bytes, buffer, 0, bytes,
                         [&](char *s) {
                           return nccl.broadcast(s, s, bytes, kInt8,
                                                 position(members, root),
                                                 m.comm, m.stream);
                         });
    std::memcpy(buffer, stage, bytes);
  }

  void reduce(int64_t me, const std::vector<int64_t> &members, int64_t root,
              int kind, DType dtype, void *buffer, int64_t count) override {
    if (needsHost(members))
      return host->reduce(me, members, root, kind, dtype, buffer, count);
    size_t bytes = count * elementSize(dtype);
    Member m = member(members, me);
    char *stage = staged(m, "ncclReduce", bytes, buffer, 0, bytes, [&](char *s) {
      return nccl.reduce(s, s, count, ncclType(dtype), ncclOp(kind),
                         position(members, root), m.comm, m.stream);
    });
    if (me == root)
      std::memcpy(buffer, stage, bytes);
  }

  void barrier(int64_t me, const std::vector<int64_t> &members) override {
    host->barrier(me, members);
  }

  /// Another rank failed: every communicator of this process stops, so no
  /// rank stays blocked in a collective its peer will never join.
  void abort() override {
    std::lock_guard<std::mutex> lock(mutex);
    if (nccl.commAbort)
      for (auto &entry : comms)
        nccl.commAbort(entry.second);
    comms.clear();
  }

  void finalize() override { host->finalize(); }

private:
  struct Member {
    void *comm;
    void *stream;
    int position;
  };

  /// NCCL works on the rank's managed scratch (`total` bytes): `inBytes` of
  /// host data `in` (if any) are copied in at `inAt`, `call(scratch)` runs
  /// on the rank's communication stream, and the stream is waited for. The
  /// results are in the returned scratch until the rank's next call.
  template <typename F>
  char *staged(const Member &m, const char *what, size_t total,
               const void *in, size_t inAt, size_t inBytes, F call) {
    char *stage = static_cast<char *>(cuda::scratch(total));
    if (in)
      std::memcpy(stage + inAt, in, inBytes);
    check(call(stage), what);
    cuda::synchronize(m.stream);
    return stage;
  }

  /// NCCL needs one GPU per member: groups with a rank on the CPU, or whose
  /// members share a GPU (more ranks than GPUs), communicate through the
  /// host backend.
  static bool needsHost(const std::vector<int64_t> &members) {
    std::vector<int64_t> gpus;
    for (int64_t rank : members) {
      int64_t gpu = cuda::gpuOfRank(rank);
      if (gpu < 0 || std::find(gpus.begin(), gpus.end(), gpu) != gpus.end())
        return true;
      gpus.push_back(gpu);
    }
    return false;
  }

  static int position(const std::vector<int64_t> &members, int64_t rank) {
    for (size_t i = 0; i < members.size(); ++i)
      if (members[i] == rank)
        return static_cast<int>(i);
    fail("rank " + std::to_string(rank) + " is not a member of the group");
  }

  void check(int result, const char *what) {
    if (result != 0 && aborted())
      fail("stopped: another rank failed");
    if (result != 0)
      fail(std::string(what) + ": NCCL error " + std::to_string(result) +
           (nccl.getErrorString ? std::string(": ") +
                                      nccl.getErrorString(result)
                                : std::string()));
  }

  /// This rank's communicator of `members`, created with the group's
  /// unique id (from its first member) the first time.
  Member member(const std::vector<int64_t> &members, int64_t me) {
    cuda::bindRank();
    int pos = position(members, me);
    {
      std::lock_guard<std::mutex> lock(mutex);
      auto it = comms.find({members, me});
      if (it != comms.end())
        return {it->second, cuda::rankStream(), pos};
    }
    UniqueId id;
    Header header{-4, DType::Bytes, static_cast<int64_t>(sizeof id)};
    if (pos == 0) {
      check(nccl.getUniqueId(&id), "ncclGetUniqueId");
      for (size_t i = 1; i < members.size(); ++i)
        host->send(me, members[i], header, &id);
    } else {
      host->recv(me, members[0], header, &id);
    }
    // Every member is here (a host wait, which a failed rank or the
    // timeout stops) before NCCL's initialisation, which waits for all.
    host->barrier(me, members);
    void *comm = nullptr;
    check(nccl.commInitRank(&comm, static_cast<int>(members.size()), id, pos),
          "ncclCommInitRank");
    std::lock_guard<std::mutex> lock(mutex);
    comms[{members, me}] = comm;
    return {comm, cuda::rankStream(), pos};
  }

  std::unique_ptr<Backend> host;
  Nccl nccl;
  std::mutex mutex;
  std::map<std::pair<std::vector<int64_t>, int64_t>, void *> comms;
};

} // namespace

std::unique_ptr<Backend>
hetu::rt::cuda::createNcclBackend(std::unique_ptr<Backend> host,
                                  std::string &error) {
  const char *path = std::getenv("HETU_NCCL_LIBRARY");
  void *lib = dlopen(path ? path : "libnccl.so.2", RTLD_NOW | RTLD_GLOBAL);
  if (!lib) {
    error = std::string("cannot load NCCL (") +
            (path ? path : "libnccl.so.2") + "): " + dlerror() +
            "; set HETU_NCCL_LIBRARY or LD_LIBRARY_PATH, or HETU_NCCL=0 to "
            "communicate through the host";
    return nullptr;
  }
  Nccl nccl{};
  if (!resolve(lib, "ncclGetUniqueId", nccl.getUniqueId) ||
      !resolve(lib, "ncclCommInitRank", nccl.commInitRank) ||
      !resolve(lib, "ncclAllReduce", nccl.allReduce) ||
      !resolve(lib, "ncclAllGather", nccl.allGather) ||
      !resolve(lib, "ncclReduceScatter", nccl.reduceScatter) ||
      !resolve(lib, "ncclBroadcast", nccl.broadcast) ||
      !resolve(lib, "ncclReduce", nccl.reduce) ||
      !resolve(lib, "ncclSend", nccl.send) ||
      !resolve(lib, "ncclRecv", nccl.recv)) {
    error = "NCCL lacks an entry point the runtime uses";
    return nullptr;
  }
  resolve(lib, "ncclGetErrorString", nccl.getErrorString);
  resolve(lib, "ncclCommAbort", nccl.commAbort);
  return std::make_unique<NcclBackend>(std::move(host), nccl);
}
