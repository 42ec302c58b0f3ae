//===- MPIBackend.cpp - One OpenMPI process per rank ----------------------===//
//
// Point-to-point transfers send a header (tag, dtype, bytes, checksum) then the
// payload, so the receiver checks what arrives. Collectives use MPI's own on
// a communicator per member list (MPI_Comm_create_group: only members take
// part). Every wait polls with the runtime's timeout.
//
//===----------------------------------------------------------------------===//

#include "../Backend.h"
#include "../Fault.h"

#include <chrono>
#include <map>
// The C API only (OpenMPI would otherwise pull in its C++ bindings).
#define OMPI_SKIP_MPICXX 1
#include <mpi.h>

namespace hetu::rt {
namespace {

// MPI tags of program transfers: headers and payloads.
constexpr int kHeaderTag = 7001;
constexpr int kPayloadTag = 7002;

class MPIBackend : public Backend {
public:
  MPIBackend(int64_t n, int rank) : n(n), rank(rank) {}

  const char *name() const override { return "mpi"; }
  int64_t numRanks() const override { return n; }
  int64_t processRank() const override { return rank; }

  void wait(MPI_Request &request, const std::string &what) {
    auto deadline = std::chrono::steady_clock::now() +
                    std::chrono::duration<double>(timeoutSeconds());
    int done = 0;
    while (true) {
      MPI_Test(&request, &done, MPI_STATUS_IGNORE);
      if (done)
        return;
      // The job aborts with the message (cancelling a collective request
      // is not allowed).
      if (std::chrono::steady_clock::now() > deadline)
        fail("timed out after " + std::to_string(timeoutSeconds()) + " s " +
             what);
    }
  }

  void send(int64_t me, int64_t peer, const Header &header, const void *data,
            bool rendezvous) override {
    Header stamped = header;
    stampChecksum(stamped, data);
    std::vector<char> corrupted;
    data = fault::outgoing(me, data, header.bytes, corrupted);
    int64_t head[4] = {header.tag, static_cast<int64_t>(header.dtype),
                       header.bytes, static_cast<int64_t>(stamped.checksum)};
    MPI_Request requests[2];
    MPI_Isend(head, 4, MPI_INT64_T, peer, kHeaderTag, MPI_COMM_WORLD,
              &requests[0]);
    MPI_Isend(data, static_cast<int>(header.bytes), MPI_BYTE, peer, kPayloadTag,
              MPI_COMM_WORLD, &requests[1]);
    std::string what =
        "sending " + header.describe() + " to rank " + std::to_string(peer);
    wait(requests[0], what);
    wait(requests[1], what);
  }

  void recv(int64_t me, int64_t peer, const Header &expected,
            void *data) override {
    int64_t head[4];
    MPI_Request request;
    MPI_Irecv(head, 4, MPI_INT64_T, peer, kHeaderTag, MPI_COMM_WORLD, &request);
    wait(request, "waiting for rank " + std::to_string(peer) + " to send " +
                      expected.describe());
    Header got{head[0], static_cast<DType>(head[1]), head[2],
               static_cast<uint64_t>(head[3])};
    checkHeader(me, peer, expected, got);
    MPI_Irecv(data, static_cast<int>(got.bytes), MPI_BYTE, peer, kPayloadTag,
              MPI_COMM_WORLD, &request);
    wait(request, "receiving from rank " + std::to_string(peer));
    checkPayload(me, peer, got, data);
  }

  /// Every member has reached the collective (a non-blocking barrier,
  /// under the timeout): the blocking collective that follows, which MPI
  /// tunes better than its non-blocking variant, cannot hang on a missing
  /// member.
  void arrive(MPI_Comm c, const char *what) {
    MPI_Request request;
    MPI_Ibarrier(c, &request);
    wait(request, std::string("waiting for the members of ") + what);
  }

  void allReduce(int64_t me, const std::vector<int64_t> &members, int kind,
                 DType dtype, const void *in, void *buffer,
                 int64_t count) override {
    MPI_Comm c = comm(members);
    arrive(c, "an all_reduce");
    MPI_Allreduce(in == buffer ? MPI_IN_PLACE : in, buffer,
                  static_cast<int>(count), mpiType(dtype), mpiOp(kind), c);
    if (kind == 1)
      divide(dtype, buffer, count, members.size());
  }

  void allGather(int64_t me, const std::vector<int64_t> &members,
                 const void *in, void *out, int64_t bytesPerMember) override {
    MPI_Request request;
    MPI_Iallgather(in, static_cast<int>(bytesPerMember), MPI_BYTE, out,
                   static_cast<int>(bytesPerMember), MPI_BYTE, comm(members),
                   &request);
    wait(request, "in an all_gather");
  }

  void reduceScatter(int64_t me, const std::vector<int64_t> &members, int kind,
                     DType dtype, const void *in, void *out,
                     int64_t countPerMember) override {
    MPI_Request request;
    MPI_Ireduce_scatter_block(in, out, static_cast<int>(countPerMember),
                              mpiType(dtype), mpiOp(kind), comm(members),
                              &request);
    wait(request, "in a reduce_scatter");
    if (kind == 1)
      divide(dtype, out, countPerMember, members.size());
  }

  void broadcast(int64_t me, const std::vector<int64_t> &members, int64_t root,
                 void *buffer, int64_t bytes) override {
    MPI_Request request;
    MPI_Ibcast(buffer, static_cast<int>(bytes), MPI_BYTE,
               memberIndex(members, root), comm(members), &request);
    wait(request, "in a broadcast");
  }

  void reduce(int64_t me, const std::vector<int64_t> &members, int64_t root,
              int kind, DType dtype, void *buffer, int64_t count) override {
    MPI_Request request;
    bool atRoot = me == root;
    MPI_Ireduce(atRoot ? MPI_IN_PLACE : buffer, atRoot ? buffer : nullptr,
                static_cast<int>(count), mpiType(dtype), mpiOp(kind),
                memberIndex(members, root), comm(members), &request);
    wait(request, "in a reduce");
    if (atRoot && kind == 1)
      divide(dtype, buffer, count, members.size());
  }

  void barrier(int64_t me, const std::vector<int64_t> &members) override {
    MPI_Request request;
    MPI_Ibarrier(comm(members), &request);
    wait(request, "in a barrier");
  }

  void finalize() override {
    for (auto &[members, c] : comms)
      MPI_Comm_free(&c);
    comms.clear();
    int finalized = 0;
    MPI_Finalized(&finalized);
    if (!finalized)
      MPI_Finalize();
  }

private:
  static MPI_Datatype mpiType(DType dtype) {
    switch (dtype) {
    case DType::F32:
      return MPI_FLOAT;
    case DType::F64:
      return MPI_DOUBLE;
    case DType::I32:
      return MPI_INT32_T;
    case DType::I64:
      return MPI_INT64_T;
    case DType::Bytes:
      return MPI_BYTE;
    }
    return MPI_BYTE;
  }
  static MPI_Op mpiOp(int kind) {
    switch (kind) {
    case 2:
      return MPI_MAX;
    case 3:
      return MPI_MIN;
    case 4:
      return MPI_PROD;
    default:
      return MPI_SUM;
    }
  }
  static int memberIndex(const std::vector<int64_t> &members, int64_t r) {
    for (size_t i = 0; i < members.size(); ++i)
      if (members[i] == r)
        return static_cast<int>(i);
    fail("rank " + std::to_string(r) + " is not a member of the collective");
  }
  /// The communicator of `members` (created by the members only, once).
  MPI_Comm comm(const std::vector<int64_t> &members) {
    auto it = comms.find(members);
    if (it != comms.end())
      return it->second;
    MPI_Group world, group;
    MPI_Comm_group(MPI_COMM_WORLD, &world);
    std::vector<int> ranks(members.begin(), members.end());
    MPI_Group_incl(world, static_cast<int>(ranks.size()), ranks.data(), &group);
    MPI_Comm c;
    MPI_Comm_create_group(MPI_COMM_WORLD, group, 0, &c);
    MPI_Group_free(&group);
    MPI_Group_free(&world);
    comms[members] = c;
    return c;
  }

  int64_t n;
  int rank;
  std::map<std::vector<int64_t>, MPI_Comm> comms;
};

} // namespace

std::unique_ptr<Backend> createMPIBackend(int64_t numRanks,
                                          std::string &error) {
  int initialized = 0;
  MPI_Initialized(&initialized);
  if (!initialized) {
    int provided;
    MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
  }
  int size = 0, rank = 0;
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  if (size != numRanks) {
    error = "the program has " + std::to_string(numRanks) +
            " ranks but MPI started " + std::to_string(size) +
            " processes (use mpirun -n " + std::to_string(numRanks) + ")";
    return nullptr;
  }
  return std::make_unique<MPIBackend>(numRanks, rank);
}

[[noreturn]] void abortMPI(const std::string &message) {
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  std::fprintf(stderr, "hetu runtime: rank %d: %s\n", rank, message.c_str());
  std::fflush(stderr);
  MPI_Abort(MPI_COMM_WORLD, 1);
  std::exit(1);
}

} // namespace hetu::rt
