//===- HeaderFuzzer.cpp - Fuzzes the runtime's checks of what arrives -----===//
//
// A point-to-point transfer's header (tag, dtype, byte count, checksum)
// comes off the wire as four raw words (MPI) or from another thread: a
// corrupted or mismatched one must stop the receiving rank with a message,
// and a matching one must deliver exactly the expected bytes.
//
// Input: the expected header (4 x 8 bytes), the header that arrives
// (4 x 8 bytes), then the payload. Each input goes through the threads
// backend (one rank sending to itself, buffered) under hetu_rt_run, and
// through the checks the MPI backend applies to the raw words.
//
//===----------------------------------------------------------------------===//

#include "Backend.h"
#include "Fault.h"
#include "hetu_runtime.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

using namespace hetu::rt;

namespace {

constexpr int64_t kMaxBytes = 1 << 16; // buffered, not rendezvous

struct Case {
  Header expected, sent;
  std::vector<char> payload;
  std::vector<char> received;
  bool delivered = false;
};

Header headerFrom(const uint8_t *words) {
  int64_t w[4];
  std::memcpy(w, words, sizeof w);
  Header h;
  h.tag = w[0];
  h.dtype = static_cast<DType>(static_cast<int32_t>(w[1]));
  h.bytes = w[2];
  h.checksum = static_cast<uint64_t>(w[3]);
  return h;
}

[[noreturn]] void violated(const char *what) {
  std::fprintf(stderr, "hetu-header-fuzzer: %s\n", what);
  std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 64)
    return 0;
  Case c;
  c.expected = headerFrom(data);
  c.sent = headerFrom(data + 32);
  // The receiver's buffer is what it expects; the sender's payload is what
  // its header claims (both bounded, as a program's buffers are).
  if (c.expected.bytes < 0 || c.expected.bytes > kMaxBytes ||
      c.sent.bytes < 0 || c.sent.bytes > kMaxBytes)
    c.expected.bytes = c.sent.bytes =
        static_cast<int64_t>(static_cast<uint64_t>(c.sent.bytes) % kMaxBytes);
  c.payload.resize(c.sent.bytes);
  for (int64_t i = 0; i < c.sent.bytes && size > 64; ++i)
    c.payload[i] = static_cast<char>(data[64 + i % (size - 64)]);
  c.received.assign(c.expected.bytes, 0);

  // The MPI backend's check of the raw words; describe() on anything.
  (void)c.sent.describe();
  (void)c.expected.describe();

  char err[512] = {0};
  if (hetu_rt_init("threads", 1, err, sizeof err))
    violated(err);
  std::unique_ptr<Backend> backend = createThreadsBackend(1);
  struct Args {
    Case *c;
    Backend *backend;
  } args{&c, backend.get()};
  int status = hetu_rt_run(
      0,
      [](void *p) {
        auto *a = static_cast<Args *>(p);
        Case &c = *a->c;
        // A header that carries a checksum keeps it: the input's stands
        // in for what the wire delivered.
        a->backend->send(0, 0, c.sent, c.payload.data());
        a->backend->recv(0, 0, c.expected, c.received.data());
        c.delivered = true;
      },
      &args, err, sizeof err);
  hetu_rt_finalize();

  bool matches = c.sent.tag == c.expected.tag &&
                 c.sent.dtype == c.expected.dtype &&
                 c.sent.bytes == c.expected.bytes;
  bool intact = !c.sent.checksum ||
                payloadChecksum(c.payload.data(), c.sent.bytes) ==
                    c.sent.checksum;
  if (status == 0) {
    if (!matches || !intact || !c.delivered)
      violated("a mismatched or corrupted transfer was accepted");
    if (c.received != c.payload)
      violated("an accepted transfer delivered other bytes");
  } else {
    if (matches && intact)
      violated("a matching transfer was refused");
    if (!std::strstr(err, matches ? "corrupted payload" : "expected"))
      violated("a refused transfer without its reason");
  }
  return 0;
}
