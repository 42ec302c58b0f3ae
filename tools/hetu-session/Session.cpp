//===- Session.cpp - Run a compiled model step by step (hetu_session.h) ---===//
//
// libhetu_session: hetu-launch as a library. Opening a session loads the
// model's shared object and starts the runtime (as hetu-launch does); each
// step turns the caller's buffers into the replicas' inputs, runs the ranks
// through the StepRunner runModel uses, and copies the results back. No
// path here exits the process: every error becomes a message.
//
// The runtime is one per process (one backend, one set of ranks): it is
// started for the session that opens or steps, and started anew when
// another session steps next (sessions step one at a time).
//
//===----------------------------------------------------------------------===//

#include "hetu_session.h"

#include "Runner.h"
#include "StepRunner.h"

#include "hetu_runtime.h"

#include <cstring>
#include <dlfcn.h>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#define HETU_SESSION_EXPORT extern "C" __attribute__((visibility("default")))

using namespace hetu::run;

namespace {

/// What a step reads or writes for one argument or result.
struct Value {
  GlobalValue global;
  int32_t flags = 0;
  std::vector<int64_t> stepShape;
  int64_t bytes = 0;     // one replica's value
  int64_t stepBytes = 0; // the step's buffer
  int64_t updates = -1;
};

} // namespace

struct hetu_session {
  std::string path, backend;
  void *runtimeHandle = nullptr;
  void *modelHandle = nullptr;
  Model model;
  std::vector<Value> args, results;
  /// While the runtime is started for this session.
  std::unique_ptr<StepRunner> stepper;
  /// Per argument a result updates, each replica's value after the last
  /// step (one copy when replicated); a NULL argument of a step takes it.
  std::vector<std::vector<HostTensor>> kept;
  /// Why no step can run any more (a rank failed), or empty.
  std::string broken;
  hetu_session_stats stats = {};
};

namespace {

/// Opening, closing and steps: one at a time in the process.
std::mutex sessionsMutex;
/// The session the runtime is started for, if any.
hetu_session *runtimeOwner = nullptr;

/// The runtime's communication totals over every rank.
void communication(int64_t &sent, int64_t &received, double &seconds) {
  sent = received = 0;
  seconds = 0;
  for (int64_t r = 0, n = hetu_rt_num_ranks(); r < n; ++r) {
    int64_t s = 0, v = 0;
    double c = 0;
    hetu_rt_stats(r, &s, &v, &c);
    sent += s;
    received += v;
    seconds += c;
  }
}

void stopRuntime() {
  if (!runtimeOwner)
    return;
  runtimeOwner->stepper.reset();
  hetu_rt_finalize();
  runtimeOwner = nullptr;
}

/// Starts the runtime for `s` unless it is started for it already.
bool startRuntime(hetu_session *s, std::string &error) {
  if (runtimeOwner == s && s->stepper)
    return true;
  if (runtimeOwner)
    stopRuntime();
  else if (hetu_rt_num_ranks() > 0) {
    error = "the hetu runtime was started in this process by something "
            "other than a session";
    return false;
  }
  char rtError[1024] = {0};
  int64_t numRanks = s->model.rankDevices.size();
  if (hetu_rt_init(s->backend.c_str(), numRanks, rtError, sizeof rtError)) {
    error = rtError;
    return false;
  }
  runtimeOwner = s;
  bool cuda = s->backend == "cuda";
  if (cuda && !cudaChipMatches(s->model.chip, numRanks, error)) {
    stopRuntime();
    return false;
  }
  // On the cuda backend this also tells the runtime the ranks' GPUs.
  s->stepper = std::make_unique<StepRunner>(
      s->model, /*mpi=*/false, cuda ? hetu_rt_cuda_alloc : nullptr,
      cuda ? hetu_rt_cuda_free : nullptr);
  return true;
}

void report(const std::string &message, char *error, size_t size) {
  if (error && size) {
    std::strncpy(error, message.c_str(), size - 1);
    error[size - 1] = 0;
  }
}

void closeSession(hetu_session *s) {
  s->stepper.reset();
  // The model's destructors (kernel images) run while the runtime is alive.
  if (s->modelHandle)
    dlclose(s->modelHandle);
  if (runtimeOwner == s)
    stopRuntime();
  if (s->runtimeHandle)
    dlclose(s->runtimeHandle);
  delete s;
}

/// Opens `s` (its path and backend are set); false with the reason in
/// `error`.
bool openModel(hetu_session *s, std::string &error) {
  const std::string &backend = s->backend;
  bool cuda = backend == "cuda";
  if (!cuda && backend != "threads") {
    error = "unknown backend '" + backend + "': a session runs threads or "
            "cuda (MPI: run hetu-launch under mpirun)";
    return false;
  }
  // The model leaves the runtime's symbols undefined: make the runtime this
  // library uses visible to it (whoever loaded us may have done so with
  // RTLD_LOCAL, as Python's ctypes does).
  Dl_info info;
  if (dladdr(reinterpret_cast<void *>(&hetu_rt_init), &info) &&
      info.dli_fname)
    s->runtimeHandle =
        dlopen(info.dli_fname, RTLD_NOW | RTLD_NOLOAD | RTLD_GLOBAL);
  if (!s->runtimeHandle) {
    error = "cannot make the runtime library visible to the model";
    return false;
  }

  // A path without a slash would make dlopen search the library path.
  std::string path = s->path;
  if (path.find('/') == std::string::npos)
    path = "./" + path;
  s->modelHandle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!s->modelHandle) {
    const char *why = dlerror();
    error = std::string("cannot load the model: ") + (why ? why : path);
    return false;
  }
  auto *metadata =
      static_cast<const char *>(dlsym(s->modelHandle, "__hetu_model"));
  if (!metadata) {
    error = s->path + " is not a model compiled by hetu-compile (no "
                      "__hetu_model)";
    return false;
  }
  Model &model = s->model;
  if (!parseModel(metadata, model, error)) {
    error = s->path + ": " + error;
    return false;
  }
  if ((model.target == "cuda") != cuda) {
    error = s->path + " was compiled for " + model.target +
            ": open it with the " +
            (model.target == "cuda" ? "cuda" : "threads") + " backend";
    return false;
  }
  int64_t numRanks = model.rankDevices.size();
  if ((int64_t)model.programs.size() != numRanks) {
    error = s->path + " has " + std::to_string(model.programs.size()) +
            " rank programs for " + std::to_string(numRanks) + " ranks";
    return false;
  }
  for (RankProgram &p : model.programs) {
    p.fn = reinterpret_cast<void (*)(void **)>(
        dlsym(s->modelHandle, ("_mlir_" + p.name).c_str()));
    if (!p.fn) {
      error = s->path + " has no entry point _mlir_" + p.name;
      return false;
    }
  }

  // The step's buffers.
  int64_t replicas = model.numReplicas;
  auto describe = [&](const GlobalValue &g, bool replicated, int64_t updates,
                      bool result) {
    Value v;
    v.global = g;
    v.updates = updates;
    v.flags = (g.trainable ? HETU_SESSION_TRAINABLE : 0) |
              (g.zeroInit ? HETU_SESSION_ZERO_INIT : 0) |
              (replicated ? HETU_SESSION_REPLICATED : 0);
    v.bytes = elementBytes(g.element);
    for (int64_t d : g.shape)
      v.bytes *= d;
    v.stepShape = g.shape;
    v.stepBytes = v.bytes;
    if (!replicated && !g.shape.empty()) {
      v.stepShape[0] *= replicas;
      v.stepBytes *= replicas;
    } else if (!replicated && result) {
      v.stepShape = {replicas};
      v.stepBytes *= replicas;
    }
    return v;
  };
  std::vector<int64_t> updatedBy(model.args.size(), -1);
  for (auto &[j, a] : model.updates)
    updatedBy[a] = j;
  for (size_t a = 0; a < model.args.size(); ++a) {
    const GlobalValue &g = model.args[a];
    s->args.push_back(
        describe(g, g.trainable || updatedBy[a] >= 0, updatedBy[a], false));
  }
  for (size_t j = 0; j < model.results.size(); ++j) {
    auto u = model.updates.find(j);
    int64_t a = u == model.updates.end() ? -1 : u->second;
    s->results.push_back(describe(model.results[j], a >= 0, a, true));
  }

  // Started now, so that a missing driver or GPU is an error of the open.
  return startRuntime(s, error);
}

/// One step; false with the reason in `error`.
bool runStep(hetu_session *s, const void *const *args, void *const *results,
             std::string &error) {
  if (!s->broken.empty()) {
    error = "a previous step failed (" + s->broken +
            "): close the session and open it again";
    return false;
  }
  if (!args && !s->args.empty()) {
    error = "no arguments (args is NULL)";
    return false;
  }
  int64_t replicas = s->model.numReplicas;
  s->kept.resize(s->args.size());
  StepRunner::Inputs inputs(s->args.size());
  // Whether every updated argument keeps its value from the last step (the
  // ranks may then keep it in their own buffers).
  bool continuing = true;
  for (size_t a = 0; a < s->args.size(); ++a) {
    const Value &v = s->args[a];
    const char *data = static_cast<const char *>(args[a]);
    if (!data && v.bytes && v.updates >= 0 && !s->kept[a].empty())
      continue; // taken from `kept` below, once every argument is checked
    if (!data && v.bytes) {
      error = "argument " + std::to_string(a) + " is NULL" +
              (v.updates >= 0 ? " and no step has given it a value yet"
                              : " (only an argument a result updates may "
                                "be, after a step)");
      return false;
    }
    continuing &= v.updates < 0;
    // One copy for every replica, or each replica's rows.
    int64_t copies =
        (v.flags & HETU_SESSION_REPLICATED) || v.global.shape.empty()
            ? 1
            : replicas;
    for (int64_t r = 0; r < copies; ++r) {
      HostTensor t(v.global.element, v.global.shape);
      if (v.bytes)
        std::memcpy(t.data.data(), data + r * v.bytes, v.bytes);
      inputs[a].push_back(std::move(t));
    }
  }
  for (size_t a = 0; a < s->args.size(); ++a)
    if (inputs[a].empty())
      inputs[a] = std::move(s->kept[a]);
  if (!startRuntime(s, error))
    return false;
  // A value given for an updated argument replaces what the ranks kept.
  if (!continuing)
    s->stepper->releaseResident();
  int64_t sent0, received0, sent1, received1;
  double comm0, comm1;
  communication(sent0, received0, comm0);
  if (!s->stepper->run(inputs, /*keepResident=*/true, /*hostCopies=*/true,
                       error)) {
    s->broken = error = "runtime error: " + error;
    // The runtime's transport is stopped: the next step starts it anew.
    stopRuntime();
    return false;
  }
  communication(sent1, received1, comm1);
  s->stats.bytes_sent += sent1 - sent0;
  s->stats.bytes_received += received1 - received0;
  s->stats.comm_seconds += comm1 - comm0;
  for (size_t j = 0; j < s->results.size(); ++j) {
    const Value &v = s->results[j];
    char *out = results ? static_cast<char *>(results[j]) : nullptr;
    if (!out)
      continue;
    int64_t copies = v.flags & HETU_SESSION_REPLICATED ? 1 : replicas;
    for (int64_t r = 0; r < copies; ++r) {
      auto it = s->stepper->outputs.find({(int64_t)j, r});
      if (it == s->stepper->outputs.end()) {
        error = "result " + std::to_string(j) + " of replica " +
                std::to_string(r) + " was not returned by any rank";
        return false;
      }
      if (v.bytes)
        std::memcpy(out + r * v.bytes, it->second.data.data(), v.bytes);
    }
  }
  // The next value of every updated argument, for a step that gives NULL
  // (and for hetu_session_read).
  for (size_t a = 0; a < s->args.size(); ++a) {
    const Value &v = s->args[a];
    if (v.updates < 0)
      continue;
    int64_t copies = (v.flags & HETU_SESSION_REPLICATED) ? 1 : replicas;
    s->kept[a].clear();
    for (int64_t r = 0; r < copies; ++r) {
      auto it = s->stepper->outputs.find({v.updates, r});
      if (it == s->stepper->outputs.end()) {
        error = "result " + std::to_string(v.updates) + " of replica " +
                std::to_string(r) + " was not returned by any rank";
        s->kept[a].clear();
        return false;
      }
      s->kept[a].push_back(std::move(it->second));
    }
  }
  s->stepper->outputs.clear();
  s->stepper->nextParams.clear();
  ++s->stats.steps;
  s->stats.last_step_seconds = s->stepper->lastSeconds();
  s->stats.total_step_seconds += s->stepper->lastSeconds();
  return true;
}

/// Describes values[index] in `out`: 0, or 1 if there is no such value.
int describe(const std::vector<Value> &values, int64_t index,
             hetu_session_value *out) {
  if (!out || index < 0 || index >= static_cast<int64_t>(values.size()))
    return 1;
  const Value &v = values[index];
  out->element = static_cast<int32_t>(v.global.element);
  out->flags = v.flags;
  out->rank = v.global.shape.size();
  out->shape = v.global.shape.data();
  out->step_rank = v.stepShape.size();
  out->step_shape = v.stepShape.data();
  out->step_bytes = v.stepBytes;
  out->updates = v.updates;
  return 0;
}

} // namespace

HETU_SESSION_EXPORT int hetu_session_api_version(void) {
  return HETU_SESSION_API_VERSION;
}

HETU_SESSION_EXPORT hetu_session *
hetu_session_open(const char *model_so_path, const char *backend, char *error,
                  size_t error_size) {
  std::lock_guard<std::mutex> lock(sessionsMutex);
  if (!model_so_path || !*model_so_path) {
    report("no model path", error, error_size);
    return nullptr;
  }
  hetu_session *s = nullptr;
  std::string message;
  try {
    s = new hetu_session;
    s->path = model_so_path;
    s->backend = backend ? backend : "threads";
    if (openModel(s, message))
      return s;
  } catch (const std::exception &e) {
    message = std::string("cannot open the session: ") + e.what();
  }
  report(message, error, error_size);
  if (s)
    closeSession(s);
  return nullptr;
}

HETU_SESSION_EXPORT void hetu_session_close(hetu_session *session) {
  if (!session)
    return;
  std::lock_guard<std::mutex> lock(sessionsMutex);
  closeSession(session);
}

HETU_SESSION_EXPORT int64_t
hetu_session_num_replicas(const hetu_session *session) {
  return session ? session->model.numReplicas : 0;
}

HETU_SESSION_EXPORT int64_t hetu_session_num_ranks(const hetu_session *session) {
  return session ? static_cast<int64_t>(session->model.rankDevices.size()) : 0;
}

HETU_SESSION_EXPORT int64_t hetu_session_num_args(const hetu_session *session) {
  return session ? static_cast<int64_t>(session->args.size()) : 0;
}

HETU_SESSION_EXPORT int64_t
hetu_session_num_results(const hetu_session *session) {
  return session ? static_cast<int64_t>(session->results.size()) : 0;
}

HETU_SESSION_EXPORT int hetu_session_arg(const hetu_session *session,
                                         int64_t index,
                                         hetu_session_value *out) {
  return session ? describe(session->args, index, out) : 1;
}

HETU_SESSION_EXPORT int hetu_session_result(const hetu_session *session,
                                            int64_t index,
                                            hetu_session_value *out) {
  return session ? describe(session->results, index, out) : 1;
}

HETU_SESSION_EXPORT int hetu_session_step(hetu_session *session,
                                          const void *const *args,
                                          void *const *results, char *error,
                                          size_t error_size) {
  if (!session) {
    report("no session", error, error_size);
    return 1;
  }
  std::lock_guard<std::mutex> lock(sessionsMutex);
  std::string message;
  bool ok = false;
  try {
    ok = runStep(session, args, results, message);
  } catch (const std::exception &e) {
    message = std::string("step failed: ") + e.what();
  }
  if (!ok)
    report(message, error, error_size);
  return ok ? 0 : 1;
}

HETU_SESSION_EXPORT int hetu_session_read(const hetu_session *session,
                                          int64_t index, void *out,
                                          char *error, size_t error_size) {
  std::lock_guard<std::mutex> lock(sessionsMutex);
  if (!session || !out || index < 0 ||
      index >= static_cast<int64_t>(session->args.size())) {
    report("no such argument", error, error_size);
    return 1;
  }
  const Value &v = session->args[index];
  if (v.updates < 0 || index >= static_cast<int64_t>(session->kept.size()) ||
      session->kept[index].empty()) {
    report("argument " + std::to_string(index) +
               " has no value kept from a step (only arguments a result "
               "updates do, after a step)",
           error, error_size);
    return 1;
  }
  char *to = static_cast<char *>(out);
  for (const HostTensor &t : session->kept[index]) {
    std::memcpy(to, t.data.data(), t.data.size());
    to += t.data.size();
  }
  return 0;
}

HETU_SESSION_EXPORT void hetu_session_get_stats(const hetu_session *session,
                                                hetu_session_stats *out) {
  if (!out)
    return;
  std::lock_guard<std::mutex> lock(sessionsMutex);
  *out = session ? session->stats : hetu_session_stats{};
}
