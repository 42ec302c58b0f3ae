//===- Runtime.cpp - The C ABI of the hetu runtime ------------------------===//
//
// Memref descriptors, packing of strided views, error handling, and the
// entry points lowered programs and launchers call.
//
//===----------------------------------------------------------------------===//

#include "hetu_runtime.h"

#include "Backend.h"
#include "Fault.h"
#include "Runtime.h"
#include "cuda/CudaInternal.h"

#include <atomic>
#include <chrono>
#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <mutex>

namespace hetu::rt {

[[noreturn]] void abortMPI(const std::string &message);

namespace {

std::unique_ptr<Backend> backend;
bool usingMPI = false;
std::atomic<bool> anyFailed{false};

struct RankStats {
  std::atomic<int64_t> sent{0}, received{0};
  std::atomic<int64_t> nanos{0};
};
std::unique_ptr<RankStats[]> stats;
/// Steps (hetu_rt_run calls) each rank has started.
std::unique_ptr<std::atomic<int64_t>[]> steps;

thread_local std::jmp_buf *currentJump = nullptr;
thread_local std::string *currentError = nullptr;
thread_local int64_t currentRank = -1;
thread_local int64_t currentStepIndex = -1;

/// Times a communication call and counts its bytes for the current rank.
struct CommScope {
  std::chrono::steady_clock::time_point start =
      std::chrono::steady_clock::now();
  int64_t sent = 0, received = 0;
  ~CommScope() {
    if (!stats || currentRank < 0)
      return;
    RankStats &s = stats[currentRank];
    s.sent += sent;
    s.received += received;
    s.nanos += std::chrono::duration_cast<std::chrono::nanoseconds>(
                   std::chrono::steady_clock::now() - start)
                   .count();
  }
};

int64_t me() {
  if (!backend)
    fail("the runtime is not initialised");
  if (currentRank < 0)
    fail("a communication call outside hetu_rt_run");
  return currentRank;
}

void copyMessage(const std::string &message, char *err, size_t errlen) {
  if (err && errlen) {
    std::strncpy(err, message.c_str(), errlen - 1);
    err[errlen - 1] = 0;
  }
}

/// A strided view of a memref (the ranked descriptor an unranked memref
/// points to: allocated, aligned, offset, sizes[rank], strides[rank]).
struct View {
  char *base;
  int64_t rank;
  const int64_t *sizes;
  const int64_t *strides;
  size_t element;

  int64_t numElements() const {
    int64_t n = 1;
    for (int64_t d = 0; d < rank; ++d)
      n *= sizes[d];
    return n;
  }
  int64_t bytes() const { return numElements() * element; }
  /// Row-major without gaps.
  bool contiguous() const {
    int64_t expected = 1;
    for (int64_t d = rank - 1; d >= 0; --d) {
      if (sizes[d] != 1 && strides[d] != expected)
        return false;
      expected *= sizes[d];
    }
    return true;
  }
  std::string shape() const {
    std::string s = "[";
    for (int64_t d = 0; d < rank; ++d)
      s += (d ? "x" : "") + std::to_string(sizes[d]);
    return s + "]";
  }
};

View viewOf(int64_t rank, void *descriptor, size_t element) {
  auto *words = static_cast<int64_t *>(descriptor);
  char *aligned = reinterpret_cast<char *>(words[1]);
  View v;
  v.base = aligned + words[2] * element;
  v.rank = rank;
  v.sizes = words + 3;
  v.strides = words + 3 + rank;
  v.element = element;
  return v;
}

/// Copies between a strided view and a packed buffer (row-major).
void transfer(const View &v, char *packed, bool toPacked) {
  int64_t n = v.numElements();
  if (n == 0)
    return;
  if (v.rank == 0) {
    toPacked ? std::memcpy(packed, v.base, v.element)
             : std::memcpy(v.base, packed, v.element);
    return;
  }
  // Contiguous innermost runs.
  int64_t inner = v.sizes[v.rank - 1];
  bool unitInner = v.strides[v.rank - 1] == 1;
  std::vector<int64_t> index(v.rank, 0);
  int64_t outer = n / inner;
  for (int64_t i = 0; i < outer; ++i) {
    int64_t offset = 0;
    for (int64_t d = 0; d < v.rank - 1; ++d)
      offset += index[d] * v.strides[d];
    char *row = v.base + offset * v.element;
    char *run = packed + i * inner * v.element;
    if (unitInner) {
      toPacked ? std::memcpy(run, row, inner * v.element)
               : std::memcpy(row, run, inner * v.element);
    } else {
      for (int64_t j = 0; j < inner; ++j) {
        char *element = row + j * v.strides[v.rank - 1] * v.element;
        toPacked ? std::memcpy(run + j * v.element, element, v.element)
                 : std::memcpy(element, run + j * v.element, v.element);
      }
    }
    for (int64_t d = v.rank - 2; d >= 0; --d) {
      if (++index[d] < v.sizes[d])
        break;
      index[d] = 0;
    }
  }
}

std::vector<char> pack(const View &v) {
  std::vector<char> out(v.bytes());
  transfer(v, out.data(), /*toPacked=*/true);
  return out;
}

void unpack(const View &v, const char *data) {
  transfer(v, const_cast<char *>(data), /*toPacked=*/false);
}

/// The block of `v` at `index` along `dim` when `dim` is cut in `parts`.
View block(const View &v, int64_t dim, int64_t parts, int64_t index,
           std::vector<int64_t> &sizes) {
  sizes.assign(v.sizes, v.sizes + v.rank);
  sizes[dim] /= parts;
  View b = v;
  b.base = v.base + index * sizes[dim] * v.strides[dim] * v.element;
  b.sizes = sizes.data();
  return b;
}

std::vector<int64_t> members(int64_t grank, void *group) {
  View g = viewOf(grank, group, sizeof(int64_t));
  std::vector<int64_t> out(g.numElements());
  transfer(g, reinterpret_cast<char *>(out.data()), true);
  return out;
}

void checkSameSize(const View &in, const View &out, const char *op) {
  if (in.numElements() != out.numElements())
    fail(std::string(op) + ": input " + in.shape() + " and output " +
         out.shape() + " differ in size");
}

void send(DType dtype, int64_t peer, int64_t tag, int64_t rank, void *desc) {
  CommScope scope;
  View v = viewOf(rank, desc, elementSize(dtype));
  Header header{tag, dtype, v.bytes()};
  // Contiguous buffers go as they are; strided views are packed first.
  if (v.contiguous()) {
    backend->send(me(), peer, header, v.base, /*rendezvous=*/true);
  } else {
    std::vector<char> data = pack(v);
    backend->send(me(), peer, header, data.data(), /*rendezvous=*/true);
  }
  scope.sent = v.bytes();
}

void recv(DType dtype, int64_t peer, int64_t tag, int64_t rank, void *desc) {
  CommScope scope;
  View v = viewOf(rank, desc, elementSize(dtype));
  Header header{tag, dtype, v.bytes()};
  if (v.contiguous()) {
    backend->recv(me(), peer, header, v.base);
  } else {
    std::vector<char> data(v.bytes());
    backend->recv(me(), peer, header, data.data());
    unpack(v, data.data());
  }
  scope.received = v.bytes();
}

void allReduce(DType dtype, int64_t kind, int64_t grank, void *group,
               int64_t irank, void *in, int64_t orank, void *out) {
  CommScope scope;
  View vi = viewOf(irank, in, elementSize(dtype));
  View vo = viewOf(orank, out, elementSize(dtype));
  checkSameSize(vi, vo, "all_reduce");
  std::vector<int64_t> m = members(grank, group);
  if (vo.contiguous()) {
    // Straight into the output; strided inputs are packed there first.
    const void *input = vi.base;
    if (!vi.contiguous()) {
      transfer(vi, vo.base, /*toPacked=*/true);
      input = vo.base;
    }
    backend->allReduce(me(), m, static_cast<int>(kind), dtype, input, vo.base,
                       vi.numElements());
  } else {
    std::vector<char> data = pack(vi);
    backend->allReduce(me(), m, static_cast<int>(kind), dtype, data.data(),
                       data.data(), vi.numElements());
    unpack(vo, data.data());
  }
  scope.sent = scope.received = vi.bytes() * (m.size() - 1);
}

void allGather(DType dtype, int64_t dim, int64_t grank, void *group,
               int64_t irank, void *in, int64_t orank, void *out) {
  CommScope scope;
  View vi = viewOf(irank, in, elementSize(dtype));
  View vo = viewOf(orank, out, elementSize(dtype));
  std::vector<int64_t> m = members(grank, group);
  if (dim < 0 || dim >= vo.rank ||
      vo.numElements() != vi.numElements() * (int64_t)m.size())
    fail("all_gather: output " + vo.shape() + " is not " +
         std::to_string(m.size()) + " inputs " + vi.shape() +
         " along dimension " + std::to_string(dim));
  std::vector<char> mine = pack(vi);
  std::vector<char> all(vi.bytes() * m.size());
  backend->allGather(me(), m, mine.data(), all.data(), vi.bytes());
  std::vector<int64_t> sizes;
  for (size_t i = 0; i < m.size(); ++i)
    unpack(block(vo, dim, m.size(), i, sizes), all.data() + i * vi.bytes());
  scope.sent = scope.received = vi.bytes() * (m.size() - 1);
}

void reduceScatter(DType dtype, int64_t kind, int64_t dim, int64_t grank,
                   void *group, int64_t irank, void *in, int64_t orank,
                   void *out) {
  CommScope scope;
  View vi = viewOf(irank, in, elementSize(dtype));
  View vo = viewOf(orank, out, elementSize(dtype));
  std::vector<int64_t> m = members(grank, group);
  if (dim < 0 || dim >= vi.rank ||
      vi.numElements() != vo.numElements() * (int64_t)m.size())
    fail("reduce_scatter: input " + vi.shape() + " is not " +
         std::to_string(m.size()) + " outputs " + vo.shape() +
         " along dimension " + std::to_string(dim));
  std::vector<char> blocks(vi.bytes());
  std::vector<int64_t> sizes;
  for (size_t i = 0; i < m.size(); ++i)
    transfer(block(vi, dim, m.size(), i, sizes), blocks.data() + i * vo.bytes(),
             true);
  std::vector<char> result(vo.bytes());
  backend->reduceScatter(me(), m, static_cast<int>(kind), dtype, blocks.data(),
                         result.data(), vo.numElements());
  unpack(vo, result.data());
  scope.sent = scope.received = vo.bytes() * (m.size() - 1);
}

void broadcast(DType dtype, int64_t root, int64_t grank, void *group,
               int64_t irank, void *in, int64_t orank, void *out) {
  CommScope scope;
  View vi = viewOf(irank, in, elementSize(dtype));
  View vo = viewOf(orank, out, elementSize(dtype));
  checkSameSize(vi, vo, "broadcast");
  std::vector<char> data = pack(vi);
  backend->broadcast(me(), members(grank, group), root, data.data(),
                     vi.bytes());
  unpack(vo, data.data());
  (me() == root ? scope.sent : scope.received) = vi.bytes();
}

void reduce(DType dtype, int64_t kind, int64_t root, int64_t grank, void *group,
            int64_t irank, void *in, int64_t orank, void *out) {
  CommScope scope;
  View vi = viewOf(irank, in, elementSize(dtype));
  View vo = viewOf(orank, out, elementSize(dtype));
  checkSameSize(vi, vo, "reduce");
  std::vector<char> data = pack(vi);
  backend->reduce(me(), members(grank, group), root, static_cast<int>(kind),
                  dtype, data.data(), vi.numElements());
  unpack(vo, data.data());
  (me() == root ? scope.received : scope.sent) = vi.bytes();
}

} // namespace

bool aborted() { return anyFailed.load(); }

int64_t currentStep() { return currentStepIndex; }

[[noreturn]] void fail(const std::string &message) {
  if (usingMPI)
    abortMPI(message);
  // The first failure stops what the other ranks wait on in the transport.
  if (!anyFailed.exchange(true) && backend)
    backend->abort();
  if (currentJump) {
    if (currentError)
      *currentError = "rank " + std::to_string(currentRank) + ": " + message;
    std::longjmp(*currentJump, 1);
  }
  std::fprintf(stderr, "hetu runtime: %s\n", message.c_str());
  std::exit(1);
}

} // namespace hetu::rt

using namespace hetu::rt;

/// The cuda backends communicate through NCCL unless HETU_NCCL=0.
static std::unique_ptr<Backend> withNccl(std::unique_ptr<Backend> host,
                                         std::string &error) {
  const char *use = std::getenv("HETU_NCCL");
  if (use && std::string(use) == "0")
    return host;
  return cuda::createNcclBackend(std::move(host), error);
}

extern "C" {

int hetu_rt_init(const char *name, int64_t nranks, char *err, size_t errlen) {
  if (nranks < 1) {
    copyMessage("the program has no ranks", err, errlen);
    return 1;
  }
  std::string which = name ? name : "threads";
  std::string error;
  anyFailed = false;
  if (!fault::configure(nranks, error)) {
    copyMessage(error, err, errlen);
    return 1;
  }
  if (which == "threads" || which == "cuda") {
    // cuda: the ranks are threads, each on a GPU; communication goes through
    // the threads backend on managed memory.
    if (which == "cuda" && hetu_rt_cuda_init(err, errlen))
      return 1;
    backend = createThreadsBackend(nranks);
    usingMPI = false;
    if (which == "cuda" && !(backend = withNccl(std::move(backend), error))) {
      copyMessage(error, err, errlen);
      return 1;
    }
  } else if (which == "mpi" || which == "cuda-mpi") {
    // cuda-mpi: one process per rank, each on a GPU; communication through
    // MPI on managed memory.
    if (which == "cuda-mpi" && hetu_rt_cuda_init(err, errlen))
      return 1;
    backend = createMPIBackend(nranks, error);
    usingMPI = static_cast<bool>(backend);
    if (which == "cuda-mpi" && backend)
      backend = withNccl(std::move(backend), error);
  } else {
    error = "unknown backend '" + which +
            "' (expected threads, mpi, cuda or cuda-mpi)";
  }
  if (!backend) {
    copyMessage(error, err, errlen);
    return 1;
  }
  stats.reset(new RankStats[nranks]);
  steps.reset(new std::atomic<int64_t>[nranks]);
  for (int64_t r = 0; r < nranks; ++r)
    steps[r] = 0;
  return 0;
}

int64_t hetu_rt_process_rank(void) {
  return backend ? backend->processRank() : 0;
}

int64_t hetu_rt_num_ranks(void) { return backend ? backend->numRanks() : 0; }

int64_t hetu_rt_current_rank(void) { return currentRank; }

/// Runs fn(arg) as `rank` under error protection; a program step
/// (`isStep`) counts towards the rank's steps and may meet an injected
/// fault.
static int runAs(int64_t rank, bool isStep, void (*fn)(void *), void *arg,
                 char *err, size_t errlen) {
  std::jmp_buf jump;
  std::string error;
  currentRank = rank;
  currentStepIndex = -1;
  if (isStep && steps && rank >= 0 && rank < hetu_rt_num_ranks())
    currentStepIndex = steps[rank]++;
  currentJump = &jump;
  currentError = &error;
  volatile int status = 0;
  if (setjmp(jump) == 0) {
    if (currentStepIndex >= 0)
      fault::atStepStart(rank, currentStepIndex);
    fn(arg);
  } else {
    status = 1;
  }
  currentJump = nullptr;
  currentError = nullptr;
  currentRank = -1;
  currentStepIndex = -1;
  if (status)
    copyMessage(error, err, errlen);
  return status;
}

int hetu_rt_run(int64_t rank, void (*fn)(void *), void *arg, char *err,
                size_t errlen) {
  return runAs(rank, /*isStep=*/true, fn, arg, err, errlen);
}

void hetu_rt_stats(int64_t rank, int64_t *bytesSent, int64_t *bytesReceived,
                   double *commSeconds) {
  if (!stats || rank < 0 || rank >= hetu_rt_num_ranks())
    return;
  *bytesSent = stats[rank].sent;
  *bytesReceived = stats[rank].received;
  *commSeconds = stats[rank].nanos * 1e-9;
}

static int rawTransfer(bool sending, int64_t me, int64_t peer, void *data,
                       int64_t bytes, char *err, size_t errlen) {
  struct Args {
    bool sending;
    int64_t me, peer, bytes;
    void *data;
  } args{sending, me, peer, bytes, data};
  return runAs(
      me, /*isStep=*/false,
      [](void *p) {
        auto *a = static_cast<Args *>(p);
        Header header{-2, DType::Bytes, a->bytes};
        if (a->sending)
          backend->send(a->me, a->peer, header, a->data);
        else
          backend->recv(a->me, a->peer, header, a->data);
      },
      &args, err, errlen);
}

int hetu_rt_raw_send(int64_t from, int64_t to, const void *data, int64_t bytes,
                     char *err, size_t errlen) {
  return rawTransfer(true, from, to, const_cast<void *>(data), bytes, err,
                     errlen);
}

int hetu_rt_raw_recv(int64_t to, int64_t from, void *data, int64_t bytes,
                     char *err, size_t errlen) {
  return rawTransfer(false, to, from, data, bytes, err, errlen);
}

void hetu_rt_finalize(void) {
  if (backend) {
    fault::reportUnfired();
    backend->finalize();
  }
  backend.reset();
  stats.reset();
  steps.reset();
  usingMPI = false;
}

#define HETU_RT_DEFINE(SUFFIX, DTYPE)                                          \
  void hetu_rt_send_##SUFFIX(int64_t peer, int64_t tag, int64_t rank,          \
                             void *desc) {                                     \
    send(DTYPE, peer, tag, rank, desc);                                        \
  }                                                                            \
  void hetu_rt_recv_##SUFFIX(int64_t peer, int64_t tag, int64_t rank,          \
                             void *desc) {                                     \
    recv(DTYPE, peer, tag, rank, desc);                                        \
  }                                                                            \
  void hetu_rt_all_reduce_##SUFFIX(int64_t kind, int64_t grank, void *group,   \
                                   int64_t irank, void *in, int64_t orank,     \
                                   void *out) {                                \
    allReduce(DTYPE, kind, grank, group, irank, in, orank, out);               \
  }                                                                            \
  void hetu_rt_all_gather_##SUFFIX(int64_t dim, int64_t grank, void *group,    \
                                   int64_t irank, void *in, int64_t orank,     \
                                   void *out) {                                \
    allGather(DTYPE, dim, grank, group, irank, in, orank, out);                \
  }                                                                            \
  void hetu_rt_reduce_scatter_##SUFFIX(                                        \
      int64_t kind, int64_t dim, int64_t grank, void *group, int64_t irank,    \
      void *in, int64_t orank, void *out) {                                    \
    reduceScatter(DTYPE, kind, dim, grank, group, irank, in, orank, out);      \
  }                                                                            \
  void hetu_rt_broadcast_##SUFFIX(int64_t root, int64_t grank, void *group,    \
                                  int64_t irank, void *in, int64_t orank,      \
                                  void *out) {                                 \
    broadcast(DTYPE, root, grank, group, irank, in, orank, out);               \
  }                                                                            \
  void hetu_rt_reduce_##SUFFIX(int64_t kind, int64_t root, int64_t grank,      \
                               void *group, int64_t irank, void *in,           \
                               int64_t orank, void *out) {                     \
    reduce(DTYPE, kind, root, grank, group, irank, in, orank, out);            \
  }

void hetu_rt_barrier(int64_t grank, void *group) {
  CommScope scope;
  backend->barrier(me(), members(grank, group));
}

void memrefCopy(int64_t elementSize, HetuUnrankedMemRef *src,
                HetuUnrankedMemRef *dst) {
  View from = viewOf(src->rank, src->descriptor, elementSize);
  View to = viewOf(dst->rank, dst->descriptor, elementSize);
  std::vector<char> data = pack(from);
  unpack(to, data.data());
}

HETU_RT_DEFINE(f32, DType::F32)
HETU_RT_DEFINE(f64, DType::F64)
HETU_RT_DEFINE(i32, DType::I32)
HETU_RT_DEFINE(i64, DType::I64)

} // extern "C"
