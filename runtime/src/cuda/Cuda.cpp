//===- Cuda.cpp - The runtime's CUDA side over the driver API -------------===//
//
// The GPU entry points upstream's gpu-to-llvm lowering calls (mgpu*: module
// load, kernel launch, streams, events, memory), which Debian's MLIR does
// not ship, implemented over the CUDA driver API. The driver is loaded at
// run time (dlopen of libcuda.so.1, or $HETU_CUDA_DRIVER): the runtime
// builds and links without CUDA, and a machine without a driver or a GPU
// gets a clear error from hetu_rt_cuda_init. Each rank runs on the GPU its
// rank-map device names (hetu_rt_cuda_set_rank_gpus: gpu:N is GPU N modulo
// the device count; a CPU-placed rank, -1, touches no GPU), or GPU
// `rank % device count` when no map was given; ranks share GPUs when there
// are fewer GPUs than ranks. Each uses the device's primary context. A CUDA
// error stops the rank with the driver's message, like any runtime error.
// The gemms are in Cublas.cpp, HETU_CUDA_PROFILE in Profile.cpp, NCCL in
// Nccl.cpp; Driver.h is what they share.
//
//===----------------------------------------------------------------------===//

#include "hetu_runtime.h"

#include "../Runtime.h"
#include "../Gemm.h"
#include "CudaInternal.h"
#include "Driver.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <type_traits>
#include <cstring>
#include <dlfcn.h>
#include <map>
#include <mutex>
#include <string>
#include <vector>

using hetu::rt::cuda::resolve;

namespace hetu::rt::cuda::detail {

Driver driver;
bool loaded = false;
int deviceCount = 0;
// State that compiled models still use from their destructors at exit
// (mgpuModuleUnload), which may run after this library's own static
// destructors: never destroyed.
std::vector<CUcontext> &contexts = *new std::vector<CUcontext>();
std::mutex &initMutex = *new std::mutex();
std::vector<int> &capabilities = *new std::vector<int>();
thread_local int currentDevice = -1;
// The GPU of each rank, from the launcher's rank map (-1: a CPU rank); empty:
// rank r on GPU r % deviceCount.
std::vector<int64_t> &rankGpus = *new std::vector<int64_t>();

std::string errorText(CUresult r) {
  const char *text = nullptr;
  if (driver.cuGetErrorString)
    driver.cuGetErrorString(r, &text);
  return "CUDA error " + std::to_string(r) + (text ? std::string(": ") + text
                                                   : std::string());
}

/// Stops the rank on a driver error.
void check(CUresult r, const char *what) {
  if (r != 0)
    hetu::rt::fail(std::string(what) + ": " + errorText(r));
}

/// The calling rank's device context is current (the driver is loaded on
/// first use: compiled models load their kernels when they are loaded).
void bind() {
  if (!loaded) {
    char error[512] = {0};
    if (hetu_rt_cuda_init(error, sizeof error))
      hetu::rt::fail(error);
  }
  // A launcher thread outside any rank (argument buffers) takes the GPU of
  // this process's rank.
  int64_t rank = hetu_rt_current_rank();
  if (rank < 0)
    rank = hetu_rt_process_rank();
  // A CPU rank runs no kernels; what it allocates through the runtime
  // (nothing, when it was compiled for the host) lives in GPU 0's context.
  int device = static_cast<int>(
      std::max<int64_t>(hetu::rt::cuda::gpuOfRank(rank < 0 ? 0 : rank), 0));
  if (device == currentDevice)
    return;
  check(driver.cuCtxSetCurrent(contexts[device]), "cuCtxSetCurrent");
  currentDevice = device;
}

std::mutex &ranksMutex = *new std::mutex();
std::map<int64_t, RankState> &ranks = *new std::map<int64_t, RankState>();
thread_local RankState *cachedState = nullptr;
thread_local int64_t cachedRank = -2;

/// The calling rank's state on its GPU (a launcher thread, outside any rank,
/// has its own), bound to the GPU.
RankState &rankState() {
  bind();
  int64_t rank = hetu_rt_current_rank();
  if (!cachedState || cachedRank != rank) {
    std::lock_guard<std::mutex> lock(ranksMutex);
    cachedState = &ranks[rank];
    cachedRank = rank;
  }
  if (cachedState->device != currentDevice) {
    // The rank map changed between runs: start afresh on the new GPU.
    *cachedState = RankState();
    cachedState->device = currentDevice;
  }
  return *cachedState;
}

CUstream newStream() {
  CUstream stream = nullptr;
  check(driver.cuStreamCreate(&stream, /*CU_STREAM_NON_BLOCKING=*/1),
        "cuStreamCreate");
  return stream;
}

/// The calling rank's compute stream (kernels and cuBLAS).
CUstream computeStream() {
  RankState &state = rankState();
  if (!state.compute)
    state.compute = newStream();
  return state.compute;
}

} // namespace hetu::rt::cuda::detail

using namespace hetu::rt::cuda::detail;

namespace {

/// A kernel image (cubin or fatbin) the program embeds, loaded into each
/// GPU's context when a rank on that GPU first launches one of its kernels
/// (the program loads it once, from whichever thread loads the program).
struct Image {
  const void *data;
  std::vector<CUmodule> modules;
};
struct Kernel {
  Image *image;
  std::string name;
  std::vector<CUfunction> functions;
};
std::mutex &kernelsMutex = *new std::mutex();
std::map<std::pair<Image *, std::string>, Kernel *> &kernels =
    *new std::map<std::pair<Image *, std::string>, Kernel *>();

/// Freed managed blocks, kept per GPU for the next allocation of the same
/// (rounded) size, as frameworks' caching allocators do: a fresh managed
/// allocation has no pages yet and each first touch faults, while a reused
/// block's pages are already on the GPU that used it. A training step frees
/// and allocates the same sizes every step, so the cache stops growing
/// after the first. $HETU_CUDA_CACHE=0 turns it off.
struct BlockCache {
  bool on = !std::getenv("HETU_CUDA_CACHE") ||
            std::string(std::getenv("HETU_CUDA_CACHE")) != "0";
  std::mutex mutex;
  std::map<int, std::multimap<size_t, CUdeviceptr>> free;
  std::map<CUdeviceptr, std::pair<int, size_t>> live;

  /// Frees every cached block (when an allocation fails); false if there
  /// were none.
  bool releaseAll() {
    std::lock_guard<std::mutex> lock(mutex);
    bool any = false;
    for (auto &[device, blocks] : free)
      for (auto &[size, p] : blocks) {
        driver.cuMemFree(p);
        any = true;
      }
    free.clear();
    return any;
  }
};
BlockCache &blockCache = *new BlockCache();

thread_local std::string pendingKernel;
thread_local std::chrono::steady_clock::time_point pendingSince;

} // namespace


namespace hetu::rt::cuda {

void bindRank() { bind(); }

int64_t gpuOfRank(int64_t rank) {
  if (deviceCount < 1)
    return -1;
  if (rank >= 0 && rank < static_cast<int64_t>(rankGpus.size()))
    return rankGpus[rank] < 0 ? -1 : rankGpus[rank] % deviceCount;
  return rank % deviceCount;
}

void *rankStream() {
  RankState &state = rankState();
  if (!state.communication)
    state.communication = newStream();
  return state.communication;
}

void synchronize(void *s) {
  check(driver.cuStreamSynchronize(s), "cuStreamSynchronize");
}

void *scratch(size_t bytes) {
  RankState &state = rankState();
  if (state.scratchBytes < bytes) {
    if (state.scratch)
      check(driver.cuMemFree(reinterpret_cast<CUdeviceptr>(state.scratch)),
            "cuMemFree");
    state.scratch = nullptr;
    state.scratchBytes = 0;
    CUdeviceptr p = 0;
    size_t size = std::max<size_t>(bytes, 1 << 16);
    check(driver.cuMemAllocManaged(&p, size, kMemAttachGlobal),
          "cuMemAllocManaged");
    state.scratch = reinterpret_cast<void *>(p);
    state.scratchBytes = size;
  }
  return state.scratch;
}

} // namespace hetu::rt::cuda

extern "C" {

int hetu_rt_cuda_init(char *err, size_t errlen) {
  std::lock_guard<std::mutex> lock(initMutex);
  auto report = [&](const std::string &message) {
    if (err && errlen) {
      std::strncpy(err, message.c_str(), errlen - 1);
      err[errlen - 1] = 0;
    }
    return 1;
  };
  if (loaded)
    return 0;
  const char *path = std::getenv("HETU_CUDA_DRIVER");
  void *lib = dlopen(path ? path : "libcuda.so.1", RTLD_NOW | RTLD_GLOBAL);
  if (!lib)
    return report(std::string("cannot load the CUDA driver (") +
                  (path ? path : "libcuda.so.1") + "): " + dlerror() +
                  "; a machine with an NVIDIA driver is needed, or set "
                  "HETU_CUDA_DRIVER");
  bool ok = true;
#define HETU_CU(name) ok &= resolve(lib, #name, driver.name);
#define HETU_CU2(name, symbol) ok &= resolve(lib, symbol, driver.name);
  HETU_CU(cuInit)
  HETU_CU(cuDeviceGetCount)
  HETU_CU(cuDeviceGet)
  HETU_CU(cuDeviceGetAttribute)
  HETU_CU2(cuDevicePrimaryCtxRetain, "cuDevicePrimaryCtxRetain")
  HETU_CU(cuCtxSetCurrent)
  HETU_CU(cuCtxSynchronize)
  HETU_CU(cuGetErrorString)
  HETU_CU(cuModuleLoadData)
  HETU_CU(cuModuleUnload)
  HETU_CU(cuModuleGetFunction)
  HETU_CU(cuLaunchKernel)
  HETU_CU(cuStreamCreate)
  HETU_CU2(cuStreamDestroy, "cuStreamDestroy_v2")
  HETU_CU(cuStreamSynchronize)
  HETU_CU(cuStreamWaitEvent)
  HETU_CU(cuEventCreate)
  HETU_CU2(cuEventDestroy, "cuEventDestroy_v2")
  HETU_CU(cuEventRecord)
  HETU_CU(cuEventSynchronize)
  HETU_CU(cuMemAllocManaged)
  HETU_CU2(cuMemFree, "cuMemFree_v2")
  HETU_CU(cuMemcpy)
  HETU_CU2(cuMemsetD32, "cuMemsetD32_v2")
  HETU_CU2(cuMemsetD16, "cuMemsetD16_v2")
  resolve(lib, "cuMemPrefetchAsync_v2", driver.cuMemPrefetchAsync);
#undef HETU_CU
#undef HETU_CU2
  if (!ok)
    return report("the CUDA driver lacks an entry point the runtime uses");
  if (CUresult r = driver.cuInit(0))
    return report("cuInit: " + errorText(r));
  if (CUresult r = driver.cuDeviceGetCount(&deviceCount))
    return report("cuDeviceGetCount: " + errorText(r));
  if (deviceCount < 1)
    return report("no CUDA device");
  contexts.assign(deviceCount, nullptr);
  for (int d = 0; d < deviceCount; ++d) {
    CUdevice device;
    if (CUresult r = driver.cuDeviceGet(&device, d))
      return report("cuDeviceGet: " + errorText(r));
    // Host code (communication, scalar work) reads managed buffers while
    // other ranks' kernels run on the same GPU.
    int concurrent = 0, major = 0, minor = 0;
    driver.cuDeviceGetAttribute(&concurrent, kConcurrentManagedAccess, device);
    if (!concurrent)
      return report("GPU " + std::to_string(d) +
                    " lacks concurrent managed access, which the cuda "
                    "backend needs (host code and kernels share managed "
                    "memory)");
    driver.cuDeviceGetAttribute(&major, kComputeCapabilityMajor, device);
    driver.cuDeviceGetAttribute(&minor, kComputeCapabilityMinor, device);
    capabilities.push_back(major * 10 + minor);
    if (CUresult r = driver.cuDevicePrimaryCtxRetain(&contexts[d], device))
      return report("cuDevicePrimaryCtxRetain: " + errorText(r));
  }
  loaded = true;
  return 0;
}

void hetu_rt_cuda_set_rank_gpus(const int64_t *gpus, int64_t n) {
  std::lock_guard<std::mutex> lock(initMutex);
  rankGpus.assign(gpus, gpus + (n > 0 ? n : 0));
}

int64_t hetu_rt_cuda_device_count(void) { return loaded ? deviceCount : 0; }

int64_t hetu_rt_cuda_capability(int64_t device) {
  if (!loaded || device < 0 || device >= deviceCount)
    return 0;
  return capabilities[device];
}

void *hetu_rt_cuda_alloc(int64_t bytes) {
  bind();
  // Sizes are rounded up to 512 bytes, so that a step's buffers fit the
  // blocks the previous step freed.
  size_t size = (static_cast<size_t>(bytes > 0 ? bytes : 1) + 511) & ~size_t(511);
  if (blockCache.on) {
    std::lock_guard<std::mutex> lock(blockCache.mutex);
    auto &blocks = blockCache.free[currentDevice];
    auto it = blocks.find(size);
    if (it != blocks.end()) {
      CUdeviceptr p = it->second;
      blocks.erase(it);
      blockCache.live[p] = {currentDevice, size};
      return reinterpret_cast<void *>(p);
    }
  }
  CUdeviceptr p = 0;
  CUresult r = driver.cuMemAllocManaged(&p, size, kMemAttachGlobal);
  if (r != 0 && blockCache.on && blockCache.releaseAll()) // out of memory?
    r = driver.cuMemAllocManaged(&p, size, kMemAttachGlobal);
  check(r, "cuMemAllocManaged");
  if (blockCache.on) {
    std::lock_guard<std::mutex> lock(blockCache.mutex);
    blockCache.live[p] = {currentDevice, size};
  }
  return reinterpret_cast<void *>(p);
}

void hetu_rt_cuda_free(void *p) {
  if (!p)
    return;
  bind();
  auto ptr = reinterpret_cast<CUdeviceptr>(p);
  if (blockCache.on) {
    std::lock_guard<std::mutex> lock(blockCache.mutex);
    auto it = blockCache.live.find(ptr);
    if (it != blockCache.live.end()) {
      // Every kernel that used it has been waited for (launches are
      // synchronous), so the next allocation may take it at once.
      blockCache.free[it->second.first].insert({it->second.second, ptr});
      blockCache.live.erase(it);
      return;
    }
  }
  check(driver.cuMemFree(ptr), "cuMemFree");
}

void hetu_rt_cuda_prefetch(void *p, int64_t bytes, int64_t rank) {
  if (!p || bytes <= 0)
    return;
  bind();
  if (!driver.cuMemPrefetchAsync)
    return; // the pages move on first touch instead
  int64_t gpu = rank < 0 ? -1 : hetu::rt::cuda::gpuOfRank(rank);
  CUmemLocation where{gpu < 0 ? 2 : 1, gpu < 0 ? 0 : static_cast<int>(gpu)};
  check(driver.cuMemPrefetchAsync(reinterpret_cast<CUdeviceptr>(p),
                                  static_cast<size_t>(bytes), where, 0,
                                  nullptr),
        "cuMemPrefetchAsync");
  check(driver.cuStreamSynchronize(nullptr), "cuStreamSynchronize");
}

void hetu_rt_cuda_synchronize(void) {
  bind();
  check(driver.cuCtxSynchronize(), "cuCtxSynchronize");
}

// ---- The entry points of upstream's gpu-to-llvm lowering. ----------------

// Loading a program (its constructors) records its images; the driver is
// first used when a rank runs.
void *mgpuModuleLoad(void *data, size_t /*size*/) {
  return new Image{data, {}};
}

void mgpuModuleUnload(void *handle) {
  auto *image = static_cast<Image *>(handle);
  std::lock_guard<std::mutex> lock(kernelsMutex);
  for (auto it = kernels.begin(); it != kernels.end();) {
    if (it->first.first == image) {
      delete it->second;
      it = kernels.erase(it);
    } else {
      ++it;
    }
  }
  // At exit: best effort, no error can stop a rank any more.
  for (int d = 0; d < static_cast<int>(image->modules.size()); ++d)
    if (image->modules[d] && driver.cuCtxSetCurrent(contexts[d]) == 0)
      driver.cuModuleUnload(image->modules[d]);
  currentDevice = -1;
  delete image;
}

void *mgpuModuleGetFunction(void *handle, const char *name) {
  auto *image = static_cast<Image *>(handle);
  std::lock_guard<std::mutex> lock(kernelsMutex);
  Kernel *&kernel = kernels[{image, name}];
  if (!kernel)
    kernel = new Kernel{image, name, {}};
  return kernel;
}

void mgpuLaunchKernel(void *handle, intptr_t gridX, intptr_t gridY,
                      intptr_t gridZ, intptr_t blockX, intptr_t blockY,
                      intptr_t blockZ, int32_t smem, void *stream,
                      void **params, void **extra, size_t /*paramsCount*/) {
  bind();
  auto *kernel = static_cast<Kernel *>(handle);
  // Never stop the rank (longjmp) while holding the lock.
  CUresult loaded = 0, found = 0;
  CUfunction function = nullptr;
  {
    std::lock_guard<std::mutex> lock(kernelsMutex);
    kernel->image->modules.resize(deviceCount, nullptr);
    kernel->functions.resize(deviceCount, nullptr);
    CUmodule &module = kernel->image->modules[currentDevice];
    if (!module)
      loaded = driver.cuModuleLoadData(&module, kernel->image->data);
    CUfunction &fn = kernel->functions[currentDevice];
    if (!loaded && !fn)
      found = driver.cuModuleGetFunction(&fn, module, kernel->name.c_str());
    function = fn;
  }
  check(loaded, "cuModuleLoadData (was the model compiled for this GPU's "
                "architecture? see hetu-compile --chip)");
  check(found, ("cuModuleGetFunction(" + kernel->name + ")").c_str());
  if (profile.on) {
    // Outlined kernels of one function share a name: the grid tells them
    // apart.
    pendingKernel = kernel->name + " <<<" + std::to_string(gridX) + "x" +
                    std::to_string(gridY) + "x" + std::to_string(gridZ) +
                    ", " + std::to_string(blockX) + "x" +
                    std::to_string(blockY) + "x" + std::to_string(blockZ) +
                    ">>>";
    pendingSince = std::chrono::steady_clock::now();
  }
  check(driver.cuLaunchKernel(function, gridX, gridY, gridZ, blockX, blockY,
                              blockZ, smem, stream, params, extra),
        ("cuLaunchKernel(" + kernel->name + ")").c_str());
}

// The lowered programs create a stream around their launches and destroy
// it after; every such stream is the rank's one compute stream
// (docs/Running.md, "CUDA"), so
// no launch pays for a stream of its own.
void *mgpuStreamCreate() { return computeStream(); }

void mgpuStreamDestroy(void *stream) {
  if (stream == computeStream())
    return;
  check(driver.cuStreamDestroy(stream), "cuStreamDestroy");
}

void mgpuStreamSynchronize(void *stream) {
  bind();
  check(driver.cuStreamSynchronize(stream), "cuStreamSynchronize");
  if (!pendingKernel.empty()) {
    profileAdd(pendingKernel, since(pendingSince));
    pendingKernel.clear();
  }
}

void mgpuStreamWaitEvent(void *stream, void *event) {
  bind();
  check(driver.cuStreamWaitEvent(stream, event, 0), "cuStreamWaitEvent");
}

void *mgpuEventCreate() {
  bind();
  CUevent event = nullptr;
  check(driver.cuEventCreate(&event, /*CU_EVENT_DISABLE_TIMING=*/2),
        "cuEventCreate");
  return event;
}

void mgpuEventDestroy(void *event) {
  bind();
  check(driver.cuEventDestroy(event), "cuEventDestroy");
}

void mgpuEventSynchronize(void *event) {
  bind();
  check(driver.cuEventSynchronize(event), "cuEventSynchronize");
}

void mgpuEventRecord(void *event, void *stream) {
  bind();
  check(driver.cuEventRecord(event, stream), "cuEventRecord");
}

/// Every allocation is managed memory, reachable from the host code that
/// stays on the CPU (communication, scalars) and from the kernels.
void *mgpuMemAlloc(uint64_t bytes, void *stream, bool /*isHostShared*/) {
  if (stream)
    mgpuStreamSynchronize(stream);
  return hetu_rt_cuda_alloc(static_cast<int64_t>(bytes));
}

void mgpuMemFree(void *ptr, void *stream) {
  if (stream)
    mgpuStreamSynchronize(stream);
  hetu_rt_cuda_free(ptr);
}

void mgpuMemcpy(void *dst, void *src, size_t bytes, void *stream) {
  if (stream)
    mgpuStreamSynchronize(stream);
  bind();
  check(driver.cuMemcpy(reinterpret_cast<CUdeviceptr>(dst),
                        reinterpret_cast<CUdeviceptr>(src), bytes),
        "cuMemcpy");
}

void mgpuMemset32(void *dst, unsigned value, size_t count, void *stream) {
  if (stream)
    mgpuStreamSynchronize(stream);
  bind();
  check(driver.cuMemsetD32(reinterpret_cast<CUdeviceptr>(dst), value, count),
        "cuMemsetD32");
}

void mgpuMemset16(void *dst, unsigned short value, size_t count,
                  void *stream) {
  if (stream)
    mgpuStreamSynchronize(stream);
  bind();
  check(driver.cuMemsetD16(reinterpret_cast<CUdeviceptr>(dst), value, count),
        "cuMemsetD16");
}

void mgpuSetDefaultDevice(int32_t /*device*/) {
  // Each rank's device follows its rank.
}

} // extern "C"
