//===- Runtime.h - Shared state of the hetu runtime -------------*- C++ -*-===//

#ifndef HETU_RUNTIME_RUNTIME_H
#define HETU_RUNTIME_RUNTIME_H

namespace hetu::rt {
/// Whether some rank failed (threads backend): waiting ranks stop.
bool aborted();
} // namespace hetu::rt

#endif // HETU_RUNTIME_RUNTIME_H
