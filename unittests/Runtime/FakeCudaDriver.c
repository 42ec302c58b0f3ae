/*===- FakeCudaDriver.c - A CUDA driver stand-in for tests ----------------===*\
|*                                                                            *|
|* The driver entry points the runtime's CUDA side loads, on the host:        *|
|* managed memory is host memory, kernel launches do nothing. Loaded through  *|
|* HETU_CUDA_DRIVER, it lets the tests run the host side of the cuda backend  *|
|* (loading, launching, freeing, error paths, exit) on machines without a     *|
|* GPU. Environment: FAKE_GPUS (device count, 1), FAKE_MAJOR (compute        *|
|* capability major, 9), FAKE_LOAD_FAIL (module loads fail with 209),        *|
|* FAKE_LAUNCH_FAIL_DEVICE (launches on that device fail with 701),           *|
|* FAKE_CUDA_REPORT (print launches per device, streams created, prefetches  *|
|* and managed allocations at exit). Managed memory starts zeroed (calloc).   *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef int CUresult;
typedef unsigned long long CUdeviceptr;

static int setting(const char *name, int otherwise) {
  const char *value = getenv(name);
  return value ? atoi(value) : otherwise;
}

/* The context is the device number + 1; each thread has its own current. */
static __thread long current;

CUresult cuInit(unsigned flags) { return 0; }
CUresult cuDeviceGetCount(int *count) {
  *count = setting("FAKE_GPUS", 1);
  return 0;
}
CUresult cuDeviceGet(int *device, int ordinal) {
  *device = ordinal;
  return 0;
}
CUresult cuDeviceGetAttribute(int *value, int attribute, int device) {
  switch (attribute) {
  case 75: *value = setting("FAKE_MAJOR", 9); break; /* capability major */
  case 76: *value = 0; break;                        /* capability minor */
  case 89: *value = 1; break;                        /* concurrent managed */
  default: *value = 0;
  }
  return 0;
}
CUresult cuDevicePrimaryCtxRetain(void **context, int device) {
  *context = (void *)(long)(device + 1);
  return 0;
}
CUresult cuCtxSetCurrent(void *context) {
  current = (long)context;
  return 0;
}
CUresult cuCtxSynchronize(void) { return 0; }
CUresult cuGetErrorString(CUresult result, const char **text) {
  *text = result == 209 ? "CUDA_ERROR_NO_BINARY_FOR_GPU" : "fake failure";
  return 0;
}
CUresult cuModuleLoadData(void **module, const void *image) {
  if (setting("FAKE_LOAD_FAIL", 0))
    return 209;
  *module = malloc(1);
  return 0;
}
CUresult cuModuleUnload(void *module) {
  free(module);
  return 0;
}
CUresult cuModuleGetFunction(void **function, void *module, const char *name) {
  *function = module;
  return 0;
}
/* Launches per device (FAKE_CUDA_REPORT: printed at exit, so tests see which
   GPUs the ranks ran on). */
enum { kMaxDevices = 16 };
static int launches[kMaxDevices];
static int streams, prefetches, allocations;
typedef struct {
  int type, id;
} CUmemLocation;
CUresult cuMemPrefetchAsync_v2(CUdeviceptr p, size_t bytes,
                               CUmemLocation where, unsigned flags,
                               void *stream) {
  __atomic_fetch_add(&prefetches, 1, __ATOMIC_RELAXED);
  return where.type == 1 || where.type == 2 ? 0 : 1;
}
__attribute__((destructor)) static void report(void) {
  if (!getenv("FAKE_CUDA_REPORT"))
    return;
  fprintf(stderr, "fake cuda: launches per GPU:");
  for (int d = 0; d < setting("FAKE_GPUS", 1) && d < kMaxDevices; ++d)
    fprintf(stderr, " %d", __atomic_load_n(&launches[d], __ATOMIC_RELAXED));
  fprintf(stderr, "; %d streams; %d prefetches; %d allocations\n",
          __atomic_load_n(&streams, __ATOMIC_RELAXED),
          __atomic_load_n(&prefetches, __ATOMIC_RELAXED),
          __atomic_load_n(&allocations, __ATOMIC_RELAXED));
}
CUresult cuLaunchKernel(void *f, unsigned gx, unsigned gy, unsigned gz,
                        unsigned bx, unsigned by, unsigned bz, unsigned smem,
                        void *stream, void **params, void **extra) {
  if (current > 0 && current <= kMaxDevices)
    __atomic_fetch_add(&launches[current - 1], 1, __ATOMIC_RELAXED);
  return setting("FAKE_LAUNCH_FAIL_DEVICE", -1) + 1 == current ? 701 : 0;
}
CUresult cuStreamCreate(void **stream, unsigned flags) {
  __atomic_fetch_add(&streams, 1, __ATOMIC_RELAXED);
  *stream = malloc(1);
  return 0;
}
CUresult cuStreamDestroy_v2(void *stream) {
  free(stream);
  return 0;
}
CUresult cuStreamSynchronize(void *stream) { return 0; }
CUresult cuStreamWaitEvent(void *stream, void *event, unsigned flags) {
  return 0;
}
CUresult cuEventCreate(void **event, unsigned flags) {
  *event = malloc(1);
  return 0;
}
CUresult cuEventDestroy_v2(void *event) {
  free(event);
  return 0;
}
CUresult cuEventRecord(void *event, void *stream) { return 0; }
CUresult cuEventSynchronize(void *event) { return 0; }
CUresult cuMemAllocManaged(CUdeviceptr *ptr, size_t bytes, unsigned flags) {
  __atomic_fetch_add(&allocations, 1, __ATOMIC_RELAXED);
  void *p = calloc(1, bytes ? bytes : 1);
  *ptr = (CUdeviceptr)p;
  return p ? 0 : 2;
}
CUresult cuMemFree_v2(CUdeviceptr ptr) {
  free((void *)ptr);
  return 0;
}
CUresult cuMemcpy(CUdeviceptr dst, CUdeviceptr src, size_t bytes) {
  memcpy((void *)dst, (void *)src, bytes);
  return 0;
}
CUresult cuMemsetD32_v2(CUdeviceptr dst, unsigned value, size_t count) {
  for (size_t i = 0; i < count; ++i)
    ((unsigned *)dst)[i] = value;
  return 0;
}
CUresult cuMemsetD16_v2(CUdeviceptr dst, unsigned short value, size_t count) {
  for (size_t i = 0; i < count; ++i)
    ((unsigned short *)dst)[i] = value;
  return 0;
}
