//===- Fault.cpp - Fault injection and payload checksums ------------------===//

#include "Fault.h"

#include "Backend.h"
#include "Runtime.h"

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <thread>
#include <unistd.h>

namespace hetu::rt {
namespace fault {
namespace {

enum class Kind { None, Crash, Corrupt, Stall };

struct Config {
  Kind kind = Kind::None;
  int64_t rank = -1;
  int64_t step = 0;
  std::atomic<bool> fired{false};
};
Config config;

const char *kindName(Kind kind) {
  switch (kind) {
  case Kind::Crash:
    return "crash";
  case Kind::Corrupt:
    return "corrupt";
  case Kind::Stall:
    return "stall";
  case Kind::None:
    break;
  }
  return "none";
}

bool parseInt(const std::string &text, int64_t &out) {
  if (text.empty())
    return false;
  char *end = nullptr;
  long long v = std::strtoll(text.c_str(), &end, 10);
  if (*end || v < 0)
    return false;
  out = v;
  return true;
}

void announce(int64_t rank, const char *what) {
  std::fprintf(stderr, "hetu runtime: rank %lld: HETU_FAULT: %s in step %lld\n",
               static_cast<long long>(rank), what,
               static_cast<long long>(config.step));
  std::fflush(stderr);
}

} // namespace

bool configure(int64_t numRanks, std::string &error) {
  config.kind = Kind::None;
  config.rank = -1;
  config.step = 0;
  config.fired = false;
  const char *env = std::getenv("HETU_FAULT");
  if (!env || !*env)
    return true;
  const std::string usage =
      " (expected HETU_FAULT=rank:R,step:S,kind:crash|corrupt|stall)";
  std::stringstream fields(env);
  std::string field;
  bool haveRank = false;
  while (std::getline(fields, field, ',')) {
    size_t colon = field.find(':');
    std::string key = field.substr(0, colon);
    std::string value = colon == std::string::npos ? "" : field.substr(colon + 1);
    if (key == "rank" && parseInt(value, config.rank)) {
      haveRank = true;
    } else if (key == "step" && parseInt(value, config.step)) {
    } else if (key == "kind" && value == "crash") {
      config.kind = Kind::Crash;
    } else if (key == "kind" && value == "corrupt") {
      config.kind = Kind::Corrupt;
    } else if (key == "kind" && value == "stall") {
      config.kind = Kind::Stall;
    } else {
      error = "HETU_FAULT: cannot read '" + field + "'" + usage;
      config.kind = Kind::None;
      return false;
    }
  }
  if (!haveRank || config.kind == Kind::None) {
    error = std::string("HETU_FAULT: '") + env + "' needs a rank and a kind" +
            usage;
    config.kind = Kind::None;
    return false;
  }
  if (config.rank >= numRanks) {
    error = "HETU_FAULT: rank " + std::to_string(config.rank) +
            " is not a rank of this job (it has " + std::to_string(numRanks) +
            ")";
    config.kind = Kind::None;
    return false;
  }
  return true;
}

void atStepStart(int64_t rank, int64_t step) {
  if (rank != config.rank || step != config.step ||
      (config.kind != Kind::Crash && config.kind != Kind::Stall) ||
      config.fired.exchange(true))
    return;
  if (config.kind == Kind::Crash) {
    announce(rank, "killing the process");
    // As the kernel's OOM killer or a lost node would: no handler runs.
    std::raise(SIGKILL);
    _exit(137);
  }
  // Stall: no progress, until the peers gave up waiting (their timeout
  // stops the job) or, where nobody waits on this rank, twice that time.
  announce(rank, "stalling");
  auto until = std::chrono::steady_clock::now() +
               std::chrono::duration<double>(2 * timeoutSeconds());
  while (!aborted() && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  fail(aborted() ? "stopped: another rank failed"
                 : "stalled by HETU_FAULT for " +
                       std::to_string(2 * timeoutSeconds()) + " s");
}

const void *outgoing(int64_t me, const void *data, int64_t bytes,
                     std::vector<char> &scratch) {
  if (config.kind != Kind::Corrupt || me != config.rank || bytes <= 0 ||
      currentStep() != config.step || config.fired.exchange(true))
    return data;
  announce(me, "corrupting a payload");
  const char *in = static_cast<const char *>(data);
  scratch.assign(in, in + bytes);
  // The last byte: the sign and exponent of the last element of any
  // (little-endian) dtype, so the error is large.
  scratch[bytes - 1] ^= 0x40;
  return scratch.data();
}

void reportUnfired() {
  if (config.kind == Kind::None || config.fired)
    return;
  std::fprintf(stderr,
               "hetu runtime: HETU_FAULT: no %s happened: rank %lld %s step "
               "%lld\n",
               kindName(config.kind), static_cast<long long>(config.rank),
               config.kind == Kind::Corrupt ? "sent nothing point-to-point in"
                                            : "never reached",
               static_cast<long long>(config.step));
}

} // namespace fault

bool checksumsEnabled() {
  static bool enabled = [] {
    const char *env = std::getenv("HETU_CHECKSUM");
    return env && std::strcmp(env, "1") == 0;
  }();
  return enabled;
}

uint64_t payloadChecksum(const void *data, int64_t bytes) {
  // Four independent multiply-xor lanes over 8-byte words (so the
  // multiplies overlap), then the tail; any single flipped bit changes it.
  const unsigned char *p = static_cast<const unsigned char *>(data);
  constexpr uint64_t kMul = 0x9e3779b97f4a7c15ull;
  uint64_t lane[4] = {1, 2, 3, 4};
  int64_t i = 0;
  for (; i + 32 <= bytes; i += 32)
    for (int l = 0; l < 4; ++l) {
      uint64_t w;
      std::memcpy(&w, p + i + 8 * l, 8);
      lane[l] = (lane[l] ^ w) * kMul;
    }
  uint64_t h = static_cast<uint64_t>(bytes);
  for (uint64_t l : lane)
    h = (h ^ l) * kMul;
  for (; i < bytes; ++i)
    h = (h ^ p[i]) * kMul;
  h ^= h >> 29;
  return h ? h : 1;
}

void stampChecksum(Header &header, const void *data) {
  if (header.checksum) // taken already (a forwarded payload)
    return;
  header.checksum = checksumsEnabled() && header.bytes > 0
                        ? payloadChecksum(data, header.bytes)
                        : 0;
}

std::string payloadMismatch(int64_t me, int64_t peer, const Header &got,
                            const void *data) {
  if (!got.checksum || payloadChecksum(data, got.bytes) == got.checksum)
    return "";
  return "rank " + std::to_string(me) + " received a corrupted payload from "
         "rank " + std::to_string(peer) + ": " + got.describe() +
         " does not match the checksum it was sent with";
}

void checkPayload(int64_t me, int64_t peer, const Header &got,
                  const void *data) {
  std::string error = payloadMismatch(me, peer, got, data);
  if (!error.empty())
    fail(error);
}

} // namespace hetu::rt
