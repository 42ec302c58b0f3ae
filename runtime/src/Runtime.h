//===- Runtime.h - Shared state of the hetu runtime -------------*- C++ -*-===//

#ifndef HETU_RUNTIME_RUNTIME_H
#define HETU_RUNTIME_RUNTIME_H

#include <string>

namespace hetu::rt {
/// Whether some rank failed (threads backend): waiting ranks stop.
bool aborted();
/// Stops the calling rank with `message` (returned by hetu_rt_run).
[[noreturn]] void fail(const std::string &message);
/// The step the calling rank is in (its hetu_rt_run calls so far, from 0),
/// or -1 outside a step (launchers' raw transfers).
int64_t currentStep();
} // namespace hetu::rt

#endif // HETU_RUNTIME_RUNTIME_H
