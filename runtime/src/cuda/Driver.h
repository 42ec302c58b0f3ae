//===- Driver.h - The CUDA driver as the runtime's CUDA files use it -*- C++ -*-===//
//
// Shared by Cuda.cpp (driver loading, contexts, memory, the mgpu* entry
// points), Cublas.cpp (gemms) and Profile.cpp (HETU_CUDA_PROFILE): the few
// driver types and entry points used (cuda.h is not needed), the calling
// rank's state on its GPU, and the profiler.
//
//===----------------------------------------------------------------------===//

#ifndef HETU_RUNTIME_CUDA_DRIVER_H
#define HETU_RUNTIME_CUDA_DRIVER_H

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace hetu::rt::cuda::detail {

// The few driver types and entry points used (cuda.h is not needed).
using CUresult = int;
using CUdevice = int;
using CUcontext = void *;
using CUmodule = void *;
using CUfunction = void *;
using CUstream = void *;
using CUevent = void *;
using CUdeviceptr = unsigned long long;
struct CUmemLocation {
  int type; // 1: a device, 2: the host
  int id;
};
constexpr unsigned kMemAttachGlobal = 1;
constexpr int kComputeCapabilityMajor = 75;
constexpr int kComputeCapabilityMinor = 76;
constexpr int kConcurrentManagedAccess = 89;

struct Driver {
  CUresult (*cuInit)(unsigned);
  CUresult (*cuDeviceGetCount)(int *);
  CUresult (*cuDeviceGet)(CUdevice *, int);
  CUresult (*cuDeviceGetAttribute)(int *, int, CUdevice);
  CUresult (*cuDevicePrimaryCtxRetain)(CUcontext *, CUdevice);
  CUresult (*cuCtxSetCurrent)(CUcontext);
  CUresult (*cuCtxSynchronize)();
  CUresult (*cuGetErrorString)(CUresult, const char **);
  CUresult (*cuModuleLoadData)(CUmodule *, const void *);
  CUresult (*cuModuleUnload)(CUmodule);
  CUresult (*cuModuleGetFunction)(CUfunction *, CUmodule, const char *);
  CUresult (*cuLaunchKernel)(CUfunction, unsigned, unsigned, unsigned,
                             unsigned, unsigned, unsigned, unsigned, CUstream,
                             void **, void **);
  CUresult (*cuStreamCreate)(CUstream *, unsigned);
  CUresult (*cuStreamDestroy)(CUstream);
  CUresult (*cuStreamSynchronize)(CUstream);
  CUresult (*cuStreamWaitEvent)(CUstream, CUevent, unsigned);
  CUresult (*cuEventCreate)(CUevent *, unsigned);
  CUresult (*cuEventDestroy)(CUevent);
  CUresult (*cuEventRecord)(CUevent, CUstream);
  CUresult (*cuEventSynchronize)(CUevent);
  CUresult (*cuMemAllocManaged)(CUdeviceptr *, size_t, unsigned);
  CUresult (*cuMemFree)(CUdeviceptr);
  CUresult (*cuMemcpy)(CUdeviceptr, CUdeviceptr, size_t);
  CUresult (*cuMemsetD32)(CUdeviceptr, unsigned, size_t);
  CUresult (*cuMemsetD16)(CUdeviceptr, unsigned short, size_t);
  // Optional (null when the driver lacks it): CUDA 12.2+'s prefetch.
  CUresult (*cuMemPrefetchAsync)(CUdeviceptr, size_t, CUmemLocation, unsigned,
                                 CUstream);
};

extern Driver driver;
/// Whether the driver is loaded (hetu_rt_cuda_init), and its GPUs.
extern bool loaded;
extern int deviceCount;
/// Guards one-time loading (the driver, cuBLAS).
extern std::mutex &initMutex;
/// The device the calling thread's context is current on (-1: none).
extern thread_local int currentDevice;

std::string errorText(CUresult r);

/// Stops the rank on a driver error.
void check(CUresult r, const char *what);

/// The calling rank's device context is current (the driver is loaded on
/// first use: compiled models load their kernels when they are loaded).
void bind();

/// What each rank keeps on its GPU for the process's life (ranks run on new
/// threads each step, so this is per rank, not per thread): a compute
/// stream (kernels, cuBLAS), a communication stream (NCCL), its cuBLAS
/// handle and the managed scratch buffer NCCL transfers are staged in.
struct RankState {
  int device = -1;
  CUstream compute = nullptr, communication = nullptr;
  void *cublas = nullptr;
  void *scratch = nullptr;
  size_t scratchBytes = 0;
};

/// The calling rank's state on its GPU (a launcher thread, outside any rank,
/// has its own), bound to the GPU.
RankState &rankState();
CUstream newStream();
/// The calling rank's compute stream (kernels and cuBLAS).
CUstream computeStream();

/// $HETU_CUDA_PROFILE=1: the time from each launch (or cuBLAS call) to the
/// synchronisation that waits for it, summed per kernel over all ranks and
/// printed at exit, slowest first, with the time of the whole process. The
/// lowered programs synchronise every launch, so this is each kernel's time
/// as the host sees it.
struct Profile {
  bool on = std::getenv("HETU_CUDA_PROFILE") &&
            std::string(std::getenv("HETU_CUDA_PROFILE")) != "0";
  std::mutex mutex;
  std::map<std::string, std::pair<int64_t, double>> kernels;
  std::chrono::steady_clock::time_point start =
      std::chrono::steady_clock::now();
};
extern Profile &profile;
/// Adds `seconds` of GPU work to `name`'s total (printed at exit).
void profileAdd(const std::string &name, double seconds);
double since(std::chrono::steady_clock::time_point t);

} // namespace hetu::rt::cuda::detail

#endif // HETU_RUNTIME_CUDA_DRIVER_H
