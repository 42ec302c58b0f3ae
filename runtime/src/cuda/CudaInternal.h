//===- CudaInternal.h - What the runtime's CUDA files share ------*- C++ -*-===//

#ifndef HETU_RUNTIME_CUDA_CUDAINTERNAL_H
#define HETU_RUNTIME_CUDA_CUDAINTERNAL_H

#include "../Backend.h"

#include <cstddef>
#include <cstdint>
#include <dlfcn.h>
#include <memory>

namespace hetu::rt::cuda {

/// Points `fn` at `name` in the library `lib` (dlopen'ed); false if absent.
template <typename F> bool resolve(void *lib, const char *name, F &fn) {
  fn = reinterpret_cast<F>(dlsym(lib, name));
  return fn != nullptr;
}

/// Makes the calling rank's GPU current (stops the rank on failure).
void bindRank();
/// The GPU `rank` runs on (hetu_rt_cuda_set_rank_gpus, or rank % GPUs), or
/// -1 for a rank on the CPU (or no GPU).
int64_t gpuOfRank(int64_t rank);
/// The calling rank's communication stream on its GPU.
void *rankStream();
/// Waits for `stream` (stops the rank on failure).
void synchronize(void *stream);
/// Managed scratch memory of at least `bytes` for the calling rank
/// (reused: valid until the rank's next call).
void *scratch(size_t bytes);

/// Collectives and point-to-point transfers through NCCL (loaded at run
/// time: $HETU_NCCL_LIBRARY or libnccl.so.2), on communicators per group
/// whose unique ids go through `host`, which also carries the transfers'
/// headers (checked as on the host backends). Null with `error` set when
/// NCCL cannot be loaded.
std::unique_ptr<Backend> createNcclBackend(std::unique_ptr<Backend> host,
                                           std::string &error);

} // namespace hetu::rt::cuda

#endif // HETU_RUNTIME_CUDA_CUDAINTERNAL_H
