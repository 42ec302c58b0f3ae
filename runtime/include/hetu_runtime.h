/*===- hetu_runtime.h - The hetu-mlir runtime (C ABI) -------------*- C -*-===*\
|*                                                                            *|
|* Two sides:                                                                 *|
|*  - the calls lowered programs make (hetu_rt_<op>_<dtype>): point-to-point  *|
|*    and collective communication on memrefs, passed as unranked memref     *|
|*    descriptors (rank, pointer to the ranked descriptor);                  *|
|*  - the calls a launcher makes (init, set the calling thread's rank, run   *|
|*    a rank's entry under error protection, statistics, finalize).          *|
|* Backends: "threads" (every rank a thread of this process, shared-memory   *|
|* mailboxes) and "mpi" (one process per rank, OpenMPI).                     *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef HETU_RUNTIME_H
#define HETU_RUNTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Reduction kinds, numbered as #hetu.reduction. */
enum { HETU_RT_SUM = 0, HETU_RT_MEAN = 1, HETU_RT_MAX = 2, HETU_RT_MIN = 3,
       HETU_RT_PROD = 4 };

/* ---- Launcher side ------------------------------------------------------ */

/* Starts the backend ("threads", "mpi", "cuda" or "cuda-mpi") for `nranks`
   ranks. For "mpi" and "cuda-mpi", `nranks` must equal the MPI world size;
   "cuda" runs the ranks as threads and "cuda-mpi" as MPI processes, rank r
   on GPU r % (number of GPUs) of its machine; both fail without a CUDA
   driver or GPU. Returns 0, or 1 with a message in `err`. */
int hetu_rt_init(const char *backend, int64_t nranks, char *err, size_t errlen);
/* The rank of this process (mpi) or 0 (threads). */
int64_t hetu_rt_process_rank(void);
int64_t hetu_rt_num_ranks(void);
/* The rank the calling thread runs (inside hetu_rt_run), or -1. */
int64_t hetu_rt_current_rank(void);
/* Runs fn(arg) as rank `rank` (on the calling thread). Errors raised by the
   runtime while it runs (mismatched transfers, timeouts, a failed peer) stop
   it and are returned: 0 on success, 1 with the message in `err`. */
int hetu_rt_run(int64_t rank, void (*fn)(void *), void *arg, char *err,
                size_t errlen);
/* Communication statistics of `rank` since init. */
void hetu_rt_stats(int64_t rank, int64_t *bytesSent, int64_t *bytesReceived,
                   double *commSeconds);
/* Raw byte transfers for launchers (gathering outputs under mpi). */
int hetu_rt_raw_send(int64_t from, int64_t to, const void *data, int64_t bytes,
                     char *err, size_t errlen);
int hetu_rt_raw_recv(int64_t to, int64_t from, void *data, int64_t bytes,
                     char *err, size_t errlen);
void hetu_rt_finalize(void);

/* ---- Program side ------------------------------------------------------- */

#define HETU_RT_DECLARE(SUFFIX)                                                \
  void hetu_rt_send_##SUFFIX(int64_t peer, int64_t tag, int64_t rank,          \
                             void *desc);                                      \
  void hetu_rt_recv_##SUFFIX(int64_t peer, int64_t tag, int64_t rank,          \
                             void *desc);                                      \
  void hetu_rt_all_reduce_##SUFFIX(int64_t kind, int64_t grank, void *group,   \
                                   int64_t irank, void *in, int64_t orank,     \
                                   void *out);                                 \
  void hetu_rt_all_gather_##SUFFIX(int64_t dim, int64_t grank, void *group,    \
                                   int64_t irank, void *in, int64_t orank,     \
                                   void *out);                                 \
  void hetu_rt_reduce_scatter_##SUFFIX(int64_t kind, int64_t dim,              \
                                       int64_t grank, void *group,             \
                                       int64_t irank, void *in, int64_t orank, \
                                       void *out);                             \
  void hetu_rt_broadcast_##SUFFIX(int64_t root, int64_t grank, void *group,    \
                                  int64_t irank, void *in, int64_t orank,      \
                                  void *out);                                  \
  void hetu_rt_reduce_##SUFFIX(int64_t kind, int64_t root, int64_t grank,      \
                               void *group, int64_t irank, void *in,           \
                               int64_t orank, void *out);

HETU_RT_DECLARE(f32)
HETU_RT_DECLARE(f64)
HETU_RT_DECLARE(i32)
HETU_RT_DECLARE(i64)

#undef HETU_RT_DECLARE

/* Waits until every member of `group` (a memref<Nxi64> of ranks, as an
   unranked descriptor) reaches the barrier. */
void hetu_rt_barrier(int64_t grank, void *group);

/* The memref copy lowered programs call (as upstream's runner utils do):
   copies between two memrefs of any layout. */
struct HetuUnrankedMemRef {
  int64_t rank;
  void *descriptor;
};
void memrefCopy(int64_t elementSize, struct HetuUnrankedMemRef *src,
                struct HetuUnrankedMemRef *dst);

/* ---- CUDA (the driver is loaded at run time) ---------------------------- */

/* Loads libcuda.so.1 ($HETU_CUDA_DRIVER), initialises it and retains every
   GPU's primary context. 0, or 1 with a message (no driver, no GPU). */
int hetu_rt_cuda_init(char *err, size_t errlen);
/* The GPU of each of `n` ranks, from the rank map (gpu:k: GPU k % number
   of GPUs; -1: a rank on the CPU, which gets no GPU and takes no part in
   NCCL). Without it, rank r runs on GPU r % number of GPUs. */
void hetu_rt_cuda_set_rank_gpus(const int64_t *gpus, int64_t n);
/* Moves `bytes` of managed memory at `p` to the GPU of `rank` (rank < 0:
   to the host) in bulk and waits, rather than page by page on first touch
   (a no-op where the driver lacks cuMemPrefetchAsync_v2). */
void hetu_rt_cuda_prefetch(void *p, int64_t bytes, int64_t rank);
int64_t hetu_rt_cuda_device_count(void);
/* GPU `device`'s compute capability as major * 10 + minor (90 for sm_90). */
int64_t hetu_rt_cuda_capability(int64_t device);
/* Managed memory on the calling rank's GPU (launchers' argument buffers;
   the programs' own buffers). */
void *hetu_rt_cuda_alloc(int64_t bytes);
void hetu_rt_cuda_free(void *p);
void hetu_rt_cuda_synchronize(void);
/* C += A * B on the calling rank's GPU with cuBLAS (loaded at run time:
   $HETU_CUBLAS_LIBRARY or libcublas.so.13/.12/.so), for 2-D row-major
   memrefs passed as unranked descriptors; what hetu-matmul-to-cublas
   calls. */
void hetu_rt_cublas_gemm_f32(int64_t arank, void *a, int64_t brank, void *b,
                             int64_t crank, void *c);
void hetu_rt_cublas_gemm_f64(int64_t arank, void *a, int64_t brank, void *b,
                             int64_t crank, void *c);
/* The same for batches (3-D memrefs; cublas{S,D}gemmStridedBatched). */
void hetu_rt_cublas_batched_gemm_f32(int64_t arank, void *a, int64_t brank,
                                     void *b, int64_t crank, void *c);
void hetu_rt_cublas_batched_gemm_f64(int64_t arank, void *a, int64_t brank,
                                     void *b, int64_t crank, void *c);

/* C += A * B on the CPU through a BLAS (CBLAS, loaded at run time:
   $HETU_BLAS_LIBRARY, libopenblas.so.0 or libblas.so.3; OpenBLAS threads:
   $HETU_BLAS_THREADS, by default the cores divided among the machine's
   ranks), for 2-D (or, batched, 3-D) row-major memrefs passed as unranked
   descriptors; what hetu-matmul-to-blas calls. */
void hetu_rt_blas_gemm_f32(int64_t arank, void *a, int64_t brank, void *b,
                           int64_t crank, void *c);
void hetu_rt_blas_gemm_f64(int64_t arank, void *a, int64_t brank, void *b,
                           int64_t crank, void *c);
void hetu_rt_blas_batched_gemm_f32(int64_t arank, void *a, int64_t brank,
                                   void *b, int64_t crank, void *c);
void hetu_rt_blas_batched_gemm_f64(int64_t arank, void *a, int64_t brank,
                                   void *b, int64_t crank, void *c);

/* The entry points upstream's gpu-to-llvm lowering calls. */
void *mgpuModuleLoad(void *data, size_t size);
void mgpuModuleUnload(void *module);
void *mgpuModuleGetFunction(void *module, const char *name);
void mgpuLaunchKernel(void *function, intptr_t gridX, intptr_t gridY,
                      intptr_t gridZ, intptr_t blockX, intptr_t blockY,
                      intptr_t blockZ, int32_t smem, void *stream,
                      void **params, void **extra, size_t paramsCount);
void *mgpuStreamCreate(void);
void mgpuStreamDestroy(void *stream);
void mgpuStreamSynchronize(void *stream);
void mgpuStreamWaitEvent(void *stream, void *event);
void *mgpuEventCreate(void);
void mgpuEventDestroy(void *event);
void mgpuEventSynchronize(void *event);
void mgpuEventRecord(void *event, void *stream);
void *mgpuMemAlloc(uint64_t bytes, void *stream, bool isHostShared);
void mgpuMemFree(void *ptr, void *stream);
void mgpuMemcpy(void *dst, void *src, size_t bytes, void *stream);
void mgpuMemset32(void *dst, unsigned value, size_t count, void *stream);
void mgpuMemset16(void *dst, unsigned short value, size_t count,
                  void *stream);
void mgpuSetDefaultDevice(int32_t device);

#ifdef __cplusplus
}
#endif

#endif /* HETU_RUNTIME_H */
