//===- FakeNccl.cpp - An NCCL stand-in for tests --------------------------===//
//
// The NCCL calls the runtime's CUDA side makes, on host memory, for ranks
// that are threads of one process (with FakeCudaDriver.c, managed memory is
// host memory): communicators meet through their unique id; a collective
// waits for every member, then each member computes its result from all
// members' buffers; send/recv pair up through a mailbox. It lets the tests
// check the runtime's NCCL plumbing (communicators per group, datatypes,
// reductions, layouts) against the single-device reference without a GPU.
//
//===----------------------------------------------------------------------===//

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstdint>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <vector>

namespace {

struct Comm {
  int size = 0;
  bool aborted = false;
  std::mutex mutex;
  std::condition_variable changed;
  int joined = 0;
  // The collective in progress: each member's buffers, and how many
  // arrived / left.
  std::vector<const void *> sends;
  std::vector<void *> recvs;
  int arrived = 0, left = 0;
  uint64_t generation = 0;
  // Point-to-point: (from, to) -> messages.
  std::map<std::pair<int, int>, std::deque<std::vector<char>>> mail;
};

struct Handle {
  Comm *comm;
  int rank;
};

std::atomic<int> collectives{0}, sends{0}, comms{0};

/// With FAKE_NCCL_REPORT set, what was called, at exit: tests check that
/// NCCL (and not the host) carried the traffic.
struct Report {
  ~Report() {
    if (std::getenv("FAKE_NCCL_REPORT"))
      std::fprintf(stderr, "fake nccl: %d communicators, %d collectives, %d "
                           "sends\n",
                   comms.load(), collectives.load(), sends.load());
  }
} report;

std::mutex registryMutex;
std::map<uint64_t, Comm *> registry;
uint64_t nextId = 1;

size_t elementSize(int type) {
  switch (type) {
  case 2: return 4; // int32
  case 4: return 8; // int64
  case 7: return 4; // float32
  case 8: return 8; // float64
  default: return 1;
  }
}

template <typename T> double read(const void *p, size_t i) {
  return static_cast<double>(static_cast<const T *>(p)[i]);
}
double load(int type, const void *p, size_t i) {
  switch (type) {
  case 2: return read<int32_t>(p, i);
  case 4: return read<int64_t>(p, i);
  case 7: return read<float>(p, i);
  default: return read<double>(p, i);
  }
}
void store(int type, void *p, size_t i, double v) {
  switch (type) {
  case 2: static_cast<int32_t *>(p)[i] = static_cast<int32_t>(v); break;
  case 4: static_cast<int64_t *>(p)[i] = static_cast<int64_t>(v); break;
  case 7: static_cast<float *>(p)[i] = static_cast<float>(v); break;
  default: static_cast<double *>(p)[i] = v;
  }
}

/// Runs `body(sends, recvs)` once every member has arrived; every member
/// runs its own part, and nobody leaves until all have finished reading.
template <typename F>
int collective(Handle *h, const void *send, void *recv, F body) {
  Comm &c = *h->comm;
  ++collectives;
  std::unique_lock<std::mutex> lock(c.mutex);
  c.changed.wait(lock, [&] { return c.left == 0 || c.aborted; });
  if (c.aborted)
    return 6;
  uint64_t generation = c.generation;
  c.sends[h->rank] = send;
  c.recvs[h->rank] = recv;
  if (++c.arrived == c.size)
    c.changed.notify_all();
  c.changed.wait(lock, [&] { return c.arrived == c.size || c.aborted; });
  if (c.aborted)
    return 6;
  // Everyone reads every send buffer: write into a private result first.
  std::vector<const void *> sends = c.sends;
  lock.unlock();
  std::vector<char> mine = body(sends, h->rank);
  lock.lock();
  if (++c.left == c.size)
    c.changed.notify_all();
  c.changed.wait(lock, [&] {
    return c.left == c.size || c.generation != generation;
  });
  if (!mine.empty())
    std::memcpy(recv, mine.data(), mine.size());
  if (c.generation == generation) {
    ++c.generation;
    c.arrived = 0;
    c.left = 0;
    c.changed.notify_all();
  }
  return 0;
}

double combine(int op, double a, double b) {
  switch (op) {
  case 1: return a * b;
  case 2: return a > b ? a : b;
  case 3: return a < b ? a : b;
  default: return a + b; // sum, and avg before its division
  }
}

/// `count` elements, from element `first` of every member's send buffer,
/// reduced by `op` (4: the average).
std::vector<char> reduced(const std::vector<const void *> &sends, int type,
                          int op, size_t first, size_t count) {
  std::vector<char> out(count * elementSize(type));
  for (size_t i = 0; i < count; ++i) {
    double v = load(type, sends[0], first + i);
    for (size_t m = 1; m < sends.size(); ++m)
      v = combine(op, v, load(type, sends[m], first + i));
    if (op == 4)
      v /= sends.size();
    store(type, out.data(), i, v);
  }
  return out;
}

} // namespace

extern "C" {

int ncclGetUniqueId(void *id) {
  std::lock_guard<std::mutex> lock(registryMutex);
  std::memset(id, 0, 128);
  uint64_t n = nextId++;
  std::memcpy(id, &n, sizeof n);
  return 0;
}

/// ncclUniqueId: passed by value, as NCCL's API does.
struct UniqueId {
  char bytes[128];
};

int ncclCommInitRank(void **out, int size, UniqueId id, int rank) {
  uint64_t key;
  std::memcpy(&key, id.bytes, sizeof key);
  Comm *c;
  {
    std::lock_guard<std::mutex> lock(registryMutex);
    Comm *&slot = registry[key];
    if (!slot) {
      slot = new Comm;
      slot->size = size;
      slot->sends.resize(size);
      slot->recvs.resize(size);
    }
    c = slot;
  }
  {
    std::unique_lock<std::mutex> lock(c->mutex);
    if (++c->joined == c->size)
      c->changed.notify_all();
    c->changed.wait(lock, [&] { return c->joined >= c->size; });
  }
  *out = new Handle{c, rank};
  ++comms;
  return 0;
}

/// Communicators of one process over `n` devices at once.
int ncclCommInitAll(void **out, int n, const int *devices) {
  auto *c = new Comm;
  c->size = n;
  c->joined = n;
  c->sends.resize(n);
  c->recvs.resize(n);
  for (int r = 0; r < n; ++r) {
    out[r] = new Handle{c, r};
    ++comms;
  }
  return 0;
}

/// Stops the communicator: every call waiting in it returns an error.
int ncclCommAbort(void *comm) {
  Comm &c = *static_cast<Handle *>(comm)->comm;
  std::lock_guard<std::mutex> lock(c.mutex);
  c.aborted = true;
  c.changed.notify_all();
  return 0;
}

int ncclCommDestroy(void *comm) {
  delete static_cast<Handle *>(comm);
  return 0;
}

const char *ncclGetErrorString(int result) { return "fake NCCL failure"; }

int ncclGroupStart() { return 0; }
int ncclGroupEnd() { return 0; }

int ncclAllReduce(const void *send, void *recv, size_t count, int type, int op,
                  void *comm, void *stream) {
  auto *h = static_cast<Handle *>(comm);
  return collective(h, send, recv, [&](auto &sends, int) {
    return reduced(sends, type, op, 0, count);
  });
}

int ncclReduceScatter(const void *send, void *recv, size_t count, int type,
                      int op, void *comm, void *stream) {
  auto *h = static_cast<Handle *>(comm);
  return collective(h, send, recv, [&](auto &sends, int rank) {
    return reduced(sends, type, op, rank * count, count);
  });
}

int ncclAllGather(const void *send, void *recv, size_t count, int type,
                  void *comm, void *stream) {
  auto *h = static_cast<Handle *>(comm);
  size_t bytes = count * elementSize(type);
  return collective(h, send, recv, [&](auto &sends, int) {
    std::vector<char> out(bytes * sends.size());
    for (size_t m = 0; m < sends.size(); ++m)
      std::memcpy(out.data() + m * bytes, sends[m], bytes);
    return out;
  });
}

int ncclBroadcast(const void *send, void *recv, size_t count, int type,
                  int root, void *comm, void *stream) {
  auto *h = static_cast<Handle *>(comm);
  size_t bytes = count * elementSize(type);
  return collective(h, send, recv, [&](auto &sends, int) {
    std::vector<char> out(bytes);
    std::memcpy(out.data(), sends[root], bytes);
    return out;
  });
}

int ncclReduce(const void *send, void *recv, size_t count, int type, int op,
               int root, void *comm, void *stream) {
  auto *h = static_cast<Handle *>(comm);
  return collective(h, send, recv, [&](auto &sends, int rank) {
    return rank == root ? reduced(sends, type, op, 0, count)
                        : std::vector<char>();
  });
}

int ncclSend(const void *send, size_t count, int type, int peer, void *comm,
             void *stream) {
  auto *h = static_cast<Handle *>(comm);
  Comm &c = *h->comm;
  ++sends;
  const char *p = static_cast<const char *>(send);
  std::lock_guard<std::mutex> lock(c.mutex);
  c.mail[{h->rank, peer}].emplace_back(p, p + count * elementSize(type));
  c.changed.notify_all();
  return 0;
}

int ncclRecv(void *recv, size_t count, int type, int peer, void *comm,
             void *stream) {
  auto *h = static_cast<Handle *>(comm);
  Comm &c = *h->comm;
  std::unique_lock<std::mutex> lock(c.mutex);
  auto &box = c.mail[{peer, h->rank}];
  c.changed.wait(lock, [&] { return !box.empty() || c.aborted; });
  if (c.aborted)
    return 6;
  std::vector<char> message = std::move(box.front());
  box.pop_front();
  if (message.size() != count * elementSize(type))
    return 5; // invalid usage
  std::memcpy(recv, message.data(), message.size());
  return 0;
}

} // extern "C"
