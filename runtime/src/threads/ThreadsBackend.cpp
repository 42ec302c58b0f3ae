//===- ThreadsBackend.cpp - Ranks as threads of one process ---------------===//
//
// One FIFO mailbox per (sender, receiver) pair. Sends are buffered (they
// never block), receives wait for the next message of their sender, with the
// runtime's timeout, and stop when another rank failed.
//
//===----------------------------------------------------------------------===//

#include "../Backend.h"
#include "../Fault.h"
#include "../Runtime.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <memory>
#include <mutex>

namespace hetu::rt {
namespace {

/// A message: buffered (its own copy of the data), or a rendezvous (the
/// sender's buffer, which the receiver copies before releasing the sender).
struct Message {
  Header header;
  std::vector<char> data;
  const char *external = nullptr;
  std::shared_ptr<std::atomic<int>> taken;
};

// Transfers at least this large wait for their receiver: one copy.
constexpr int64_t kRendezvousBytes = 64 * 1024;

struct Mailbox {
  std::mutex mutex;
  std::condition_variable ready, taken;
  std::deque<Message> queue;
};

class ThreadsBackend : public Backend {
public:
  explicit ThreadsBackend(int64_t n) : n(n), boxes(n * n), waitingOn(n) {
    for (std::atomic<int64_t> &w : waitingOn)
      w = -1;
  }

  const char *name() const override { return "threads"; }
  int64_t numRanks() const override { return n; }

  void send(int64_t me, int64_t peer, const Header &header, const void *data,
            bool rendezvous) override {
    checkPeer(me, peer);
    Mailbox &box = boxes[me * n + peer];
    Message message;
    message.header = header;
    stampChecksum(message.header, data);
    std::vector<char> corrupted;
    data = fault::outgoing(me, data, header.bytes, corrupted);
    std::shared_ptr<std::atomic<int>> taken;
    if (rendezvous && header.bytes >= kRendezvousBytes) {
      message.external = static_cast<const char *>(data);
      taken = message.taken = std::make_shared<std::atomic<int>>(0);
    } else {
      message.data.assign(static_cast<const char *>(data),
                          static_cast<const char *>(data) + header.bytes);
    }
    {
      std::lock_guard<std::mutex> lock(box.mutex);
      box.queue.push_back(std::move(message));
    }
    box.ready.notify_all();
    if (!taken)
      return;
    // Wait until the receiver copied the data (or the job stopped).
    std::unique_lock<std::mutex> lock(box.mutex);
    waitUntil(
        me, peer, lock, box.taken, [&] { return taken->load() != 0; },
        "to receive " + header.describe());
  }

  void recv(int64_t me, int64_t peer, const Header &expected,
            void *data) override {
    checkPeer(me, peer);
    Mailbox &box = boxes[peer * n + me];
    std::unique_lock<std::mutex> lock(box.mutex);
    waitUntil(
        me, peer, lock, box.ready, [&] { return !box.queue.empty(); },
        "to send " + expected.describe());
    // The message goes out of scope before a failure: fail() leaves by
    // longjmp, past destructors.
    std::string error;
    {
      Message message = std::move(box.queue.front());
      box.queue.pop_front();
      lock.unlock();
      const Header &got = message.header;
      error = headerMismatch(me, peer, expected, got);
      // (Zero bytes: the buffers may be null, which memcpy must not get.)
      if (error.empty() && got.bytes > 0)
        std::memcpy(data,
                    message.external ? message.external : message.data.data(),
                    got.bytes);
      if (message.taken) {
        // Release the sender, even on a mismatch (it is not the one to
        // blame).
        {
          std::lock_guard<std::mutex> relock(box.mutex);
          message.taken->store(1);
        }
        box.taken.notify_all();
      }
      if (error.empty())
        error = payloadMismatch(me, peer, got, data);
    }
    if (!error.empty())
      fail(error);
  }

private:
  /// Waits (rank `me`, for `peer`) on `cv` until `done()`. Stops when
  /// another rank failed or after the timeout, releasing the mailbox first
  /// (fail() does not return, and a rank that is gone must not keep its
  /// peers' mailboxes locked).
  template <typename Done>
  void waitUntil(int64_t me, int64_t peer, std::unique_lock<std::mutex> &lock,
                 std::condition_variable &cv, Done done,
                 const std::string &what) {
    auto deadline = std::chrono::steady_clock::now() +
                    std::chrono::duration<double>(timeoutSeconds());
    waitingOn[me] = peer;
    while (!done()) {
      if (aborted()) {
        waitingOn[me] = -1;
        lock.unlock();
        fail("stopped: another rank failed");
      }
      if (std::chrono::steady_clock::now() > deadline) {
        std::string culprit = whoBlocks(me, peer);
        // waitingOn[me] stays set: a peer that times out at the same moment
        // must still see this rank in the cycle it diagnoses.
        lock.unlock();
        fail("timed out after " + std::to_string(timeoutSeconds()) +
             " s waiting for rank " + std::to_string(peer) + " " + what +
             culprit);
      }
      cv.wait_for(lock, std::chrono::milliseconds(50));
    }
    waitingOn[me] = -1;
  }

  /// Why `peer` does not answer `me`: the chain of ranks waiting on each
  /// other from `peer`, to a rank that is not communicating (stalled, or
  /// computing for longer than the timeout) or back to a rank already in
  /// it (a cycle: the programs deadlock). Empty when `peer` itself is not
  /// waiting.
  std::string whoBlocks(int64_t me, int64_t peer) const {
    std::vector<int64_t> chain{me, peer};
    for (int64_t p = peer;;) {
      int64_t q = waitingOn[p];
      if (q < 0 || q >= n)
        break;
      bool seen = std::find(chain.begin(), chain.end(), q) != chain.end();
      chain.push_back(q);
      if (seen)
        break;
      p = q;
    }
    if (chain.size() == 2)
      return "";
    std::string path;
    for (size_t i = 1; i < chain.size(); ++i)
      path += (i > 1 ? " -> " : "") + std::to_string(chain[i]);
    int64_t last = chain.back();
    if (std::find(chain.begin(), chain.end() - 1, last) != chain.end() - 1)
      return " (ranks wait on each other in a cycle: " + std::to_string(me) +
             " -> " + path + ")";
    return " (rank " + std::to_string(last) +
           " is not communicating: stalled, or computing for longer than "
           "the timeout; waits: " +
           std::to_string(me) + " -> " + path + ")";
  }

  void checkPeer(int64_t me, int64_t peer) const {
    if (peer < 0 || peer >= n || me < 0 || me >= n)
      fail("transfer between ranks " + std::to_string(me) + " and " +
           std::to_string(peer) + " of " + std::to_string(n));
  }

  int64_t n;
  std::vector<Mailbox> boxes;
  /// The rank each rank waits for, or -1 (for the timeout's diagnosis).
  std::vector<std::atomic<int64_t>> waitingOn;
};

} // namespace

std::unique_ptr<Backend> createThreadsBackend(int64_t numRanks) {
  return std::make_unique<ThreadsBackend>(numRanks);
}

} // namespace hetu::rt
