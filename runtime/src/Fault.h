//===- Fault.h - Fault injection and payload checksums ----------*- C++ -*-===//
//
// Test support for the runtime's failure handling (docs/Running.md,
// "Faults"):
//  - HETU_FAULT=rank:R,step:S,kind:crash|corrupt|stall makes rank R fail in
//    its step S (counted from 0, as hetu_rt_run calls of that rank): crash
//    kills the process, stall stops the rank making progress, corrupt
//    flips a high bit of the rank's first point-to-point payload of that step
//    after its checksum was taken (a transport error);
//  - HETU_CHECKSUM=1 sends a checksum with every point-to-point payload of
//    the host backends, which the receiver checks.
//
//===----------------------------------------------------------------------===//

#ifndef HETU_RUNTIME_FAULT_H
#define HETU_RUNTIME_FAULT_H

#include <cstdint>
#include <string>
#include <vector>

namespace hetu::rt {
struct Header;

namespace fault {

/// Reads HETU_FAULT for a job of `numRanks` ranks: false with `error` when
/// it is malformed or names no rank of the job.
bool configure(int64_t numRanks, std::string &error);

/// Rank `rank` starts its step `step`: an injected crash or stall happens
/// here (a stall returns only by failing).
void atStepStart(int64_t rank, int64_t step);

/// What a point-to-point send of rank `me` transmits: `data`, or once, in
/// the configured rank's configured step, a copy with a bit flipped (in
/// `scratch`).
const void *outgoing(int64_t me, const void *data, int64_t bytes,
                     std::vector<char> &scratch);

/// At finalize: a configured fault that never happened (its rank never
/// reached the step, or sent nothing in it) is reported on stderr.
void reportUnfired();

} // namespace fault

/// Whether point-to-point payloads carry checksums (HETU_CHECKSUM=1).
bool checksumsEnabled();
/// The checksum of `bytes` bytes at `data` (never 0: 0 means none).
uint64_t payloadChecksum(const void *data, int64_t bytes);
/// Sets `header`'s checksum of `data` when checksums are enabled and it
/// carries none yet.
void stampChecksum(Header &header, const void *data);
/// Why `data`, the payload received from `peer` by `me`, does not match
/// the checksum `got` carries, or "".
std::string payloadMismatch(int64_t me, int64_t peer, const Header &got,
                            const void *data);
/// Fails on a payload mismatch.
void checkPayload(int64_t me, int64_t peer, const Header &got,
                  const void *data);

} // namespace hetu::rt

#endif // HETU_RUNTIME_FAULT_H
