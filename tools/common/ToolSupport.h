//===- ToolSupport.h - What the hetu command-line tools share ---*- C++ -*-===//
//
// hetu-run, hetu-compile and hetu-launch end on a bad input with one line,
// "<tool>: message", and exit 1. Only tools do that: the runner library
// (runtime/runner) reports errors to its caller.
//
//===----------------------------------------------------------------------===//

#ifndef HETU_TOOLS_COMMON_TOOLSUPPORT_H
#define HETU_TOOLS_COMMON_TOOLSUPPORT_H

#include "Runner.h"

#include <string>

namespace hetu::run {

/// Prints "<tool>: message", finalizes the runtime, exits 1.
[[noreturn]] void die(const std::string &message);
/// The tool name `die` prints (hetu-run, hetu-launch, hetu-compile).
void setToolName(const char *name);

/// Dies unless cudaChipMatches.
void checkCudaChip(const std::string &chip, int64_t numRanks);

} // namespace hetu::run

#endif // HETU_TOOLS_COMMON_TOOLSUPPORT_H
