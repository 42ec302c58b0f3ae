/*===- hetu_session.h - Run a compiled model step by step (C API) -*- C -*-===*\
|*                                                                            *|
|* A session runs a model that `hetu-compile model.mlir -o model.so` wrote,   *|
|* inside the calling process, one step per call: the caller keeps the        *|
|* parameters and feeds each step's updated ones back (what the Python        *|
|* package's training loop does; python/hetu_mlir/_session.py binds it with   *|
|* ctypes). It is hetu-launch as a library (libhetu_session.so): the runtime  *|
|* library only, no LLVM or MLIR.                                             *|
|*                                                                            *|
|* Backends: "threads" (every rank a thread of this process, the model        *|
|* compiled with --target=cpu) and "cuda" (the ranks as threads on the GPUs   *|
|* of the rank map, --target=cuda). MPI is not supported: a session runs     *|
|* every rank in this process (use hetu-launch under mpirun).                 *|
|*                                                                            *|
|* Errors never end the process: a function that fails returns NULL or        *|
|* non-zero and writes a message (NUL-terminated, truncated to error_size)    *|
|* into `error` when it is not NULL.                                          *|
|*                                                                            *|
|* Several sessions may be open at once (the same model or others), and      *|
|* sessions may be opened and closed any number of times. The runtime is one  *|
|* per process: it is started for the session that steps, and started anew   *|
|* (a cost on the cuda backend) when another session steps next. Steps,      *|
|* opens and closes run one at a time (callers on other threads wait).       *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef HETU_SESSION_H
#define HETU_SESSION_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Changes when this interface changes incompatibly. */
#define HETU_SESSION_API_VERSION 1
int hetu_session_api_version(void);

typedef struct hetu_session hetu_session;

/* Element types (as the model metadata numbers them). */
enum {
  HETU_SESSION_F32 = 0,
  HETU_SESSION_F64 = 1,
  HETU_SESSION_I32 = 2,
  HETU_SESSION_I64 = 3
};

/* Flags of an argument or result. */
enum {
  /* A parameter ({hetu.trainable}). */
  HETU_SESSION_TRAINABLE = 1,
  /* Optimizer state that starts at zero ({hetu.zero_init}): a momentum
     velocity, Adam's moments and step count. */
  HETU_SESSION_ZERO_INIT = 2,
  /* The same on every replica, so a step reads or writes one copy (of the
     per-replica shape): an argument that is trainable or that a result
     updates, a result that updates an argument. Without it, a step reads
     or writes the replicas' values concatenated along dimension 0. */
  HETU_SESSION_REPLICATED = 4
};

/* An argument or result of the model's step. The pointers stay valid until
   the session is closed. */
typedef struct hetu_session_value {
  int32_t element; /* HETU_SESSION_F32, ... */
  int32_t flags;   /* HETU_SESSION_TRAINABLE | ... */
  /* The value one replica sees (the shape in the model's function). */
  int64_t rank;
  const int64_t *shape;
  /* The row-major buffer hetu_session_step reads (argument) or writes
     (result). With HETU_SESSION_REPLICATED, the shape above. Otherwise the
     replicas' values along dimension 0: [replicas * shape[0], shape[1],
     ...]; a 0-d argument is one value for every replica, a 0-d result one
     value per replica (step shape [replicas]). */
  int64_t step_rank;
  const int64_t *step_shape;
  int64_t step_bytes;
  /* A result: the argument it updates (its next value), or -1. An
     argument: the result that updates it, or -1. */
  int64_t updates;
} hetu_session_value;

/* Step statistics since the session was opened. */
typedef struct hetu_session_stats {
  int64_t steps;             /* steps that ran to the end */
  double last_step_seconds;  /* wall clock of the ranks in the last step */
  double total_step_seconds; /* ... summed over the steps */
  int64_t bytes_sent;        /* by the ranks' communication, all ranks */
  int64_t bytes_received;
  double comm_seconds;       /* the ranks' communication time, summed */
} hetu_session_stats;

/* Loads `model_so_path` (a shared object from hetu-compile), checks its
   metadata and that it was compiled for `backend` ("threads" or "cuda";
   NULL: "threads"), starts the runtime for its ranks and finds every rank
   program. NULL with a message on any error. */
hetu_session *hetu_session_open(const char *model_so_path, const char *backend,
                                char *error, size_t error_size);
/* Unloads the model and stops the runtime. NULL is ignored. */
void hetu_session_close(hetu_session *session);

int64_t hetu_session_num_replicas(const hetu_session *session);
int64_t hetu_session_num_ranks(const hetu_session *session);
int64_t hetu_session_num_args(const hetu_session *session);
int64_t hetu_session_num_results(const hetu_session *session);
/* Describes argument / result `index`: 0, or 1 if it is out of range. */
int hetu_session_arg(const hetu_session *session, int64_t index,
                     hetu_session_value *out);
int hetu_session_result(const hetu_session *session, int64_t index,
                        hetu_session_value *out);

/* Runs one step. args[i] points to argument i's buffer and results[j] to
   result j's (step_shape and element type of hetu_session_arg/_result,
   row-major; results[j] may be NULL: that result is not copied out). A
   training step's updated parameters and optimizer state come back in the
   results that update them; the session also keeps them: after a step,
   args[i] may be NULL for an argument a result updates, and it takes that
   result's value (while every such argument is NULL, the ranks keep them
   in their own buffers between steps, as hetu-launch does). A buffer given
   for one replaces the kept value.
   Returns 0, or non-zero with a message: bad arguments, or a runtime error
   of a rank ("runtime error: rank R: ..."), after which the session can
   only be closed (its ranks stopped halfway; other sessions still run). */
int hetu_session_step(hetu_session *session, const void *const *args,
                      void *const *results, char *error, size_t error_size);

void hetu_session_get_stats(const hetu_session *session,
                            hetu_session_stats *out);

/* Copies the value argument `index` keeps from the last step (an argument
   a result updates; step layout) to `out`. Returns 0, or non-zero with a
   message when there is none. */
int hetu_session_read(const hetu_session *session, int64_t index, void *out,
                      char *error, size_t error_size);

#ifdef __cplusplus
}
#endif

#endif /* HETU_SESSION_H */
