//===- Runner.h - Running compiled rank programs ----------------*- C++ -*-===//
//
// What hetu-run (JIT) and hetu-launch (ahead-of-time shared object) share:
// the description of a compiled model (rank programs and the hetu.slice of
// each of their arguments and results, the global arguments and results,
// training updates) and the loop that feeds the ranks their slices, runs
// them on the runtime's backends, gathers and prints the outputs and checks
// them against the single-device reference. It uses neither LLVM nor MLIR,
// so hetu-launch runs where they are not installed, and never exits: errors
// come back as messages (the tools print them, tools/common/ToolSupport.h).
//
//===----------------------------------------------------------------------===//

#ifndef HETU_RUNTIME_RUNNER_RUNNER_H
#define HETU_RUNTIME_RUNNER_RUNNER_H

#include "HostTensor.h"

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace hetu::run {

/// One argument or result of a rank function (its hetu.slice). A result at
/// position -1 is a parameter server's copy: not an output, but the next
/// step's argument of that rank.
struct Slot {
  int64_t index = 0, replica = 0, position = 0;
  std::vector<int64_t> offsets, localShape;
  Element element = Element::F32;
};

struct RankProgram {
  int64_t rank = 0;
  std::string name;
  std::vector<Slot> args, results;
  /// The packed entry point (`_mlir_<name>`): one pointer per memref word of
  /// the arguments, then a pointer to the results' words.
  void (*fn)(void **) = nullptr;
};

/// A global (per-replica) argument or result of the entry function.
struct GlobalValue {
  Element element = Element::F32;
  std::vector<int64_t> shape;
  bool trainable = false;
  /// Optimizer state that starts at zero ({hetu.zero_init}): never drawn.
  bool zeroInit = false;
};

struct Model {
  std::string entry;
  /// What the rank programs were compiled for: "cpu" or "cuda" (for a GPU
  /// architecture `chip`, e.g. sm_90).
  std::string target = "cpu";
  std::string chip;
  /// Device of each rank ("gpu:0", ...): hetu.rank_map.
  std::vector<std::string> rankDevices;
  int64_t numReplicas = 1;
  std::vector<GlobalValue> args, results;
  /// Result index -> the argument it replaces in the next step.
  std::map<int64_t, int64_t> updates;
  /// The rank holding position 0 of each replica of the default placement
  /// (whose outputs are gathered under MPI); empty if unknown.
  std::vector<int64_t> replicaOwners;
  /// The programs this process runs.
  std::vector<RankProgram> programs;
  /// The single-device reference (packed), if --verify is possible, and
  /// its symbol in a compiled model.
  void (*reference)(void **) = nullptr;
  std::string referenceSymbol;
  /// A training step's reference in two phases (see makeReference): the
  /// gradient of each optimizer op (`reference` returns them after the
  /// results) and the update from the replicas' mean gradients.
  void (*referenceApply)(void **) = nullptr;
  std::string referenceApplySymbol;
  std::vector<GlobalValue> gradients;
  /// The same reference computed in f64 (hetu-promote-f64; absent when the
  /// model has no f32): --verify compares with it, and takes the f32
  /// reference's distance from it as the rounding each output suffers.
  void (*referenceF64)(void **) = nullptr;
  void (*referenceF64Apply)(void **) = nullptr;
  std::string referenceF64Symbol, referenceF64ApplySymbol;
};

struct RunOptions {
  bool mpi = false;
  uint64_t seed = 1;
  std::vector<std::string> inputs;
  std::string outputsDir;
  bool verify = false;
  int64_t iterations = 1;
  bool report = false;
  double compileSeconds = 0;
  /// How the compile time is described in the report.
  std::string compileWhat = "all ranks, one JIT";
  std::chrono::steady_clock::time_point start;
  /// Where the ranks' argument buffers live and how their results are
  /// freed (the cuda backend: managed memory); null: the host heap.
  void *(*allocate)(int64_t bytes) = nullptr;
  void (*release)(void *) = nullptr;
};

/// Runs the model's programs (the runtime is initialised) and prints the
/// outputs; `exitCode` is 1 after a verification mismatch, else 0. Returns
/// false with `error` on bad options or inputs and on runtime errors.
bool runModel(Model &model, const RunOptions &options, int &exitCode,
              std::string &error);

/// The model's metadata as text (hetu-compile embeds it in the shared
/// object) and back (hetu-launch). Programs are written for every rank, with
/// their symbol names; function pointers are not part of it.
std::string serializeModel(const Model &model);
bool parseModel(const std::string &text, Model &model, std::string &error);

/// Checks that a parsed model is consistent (indices, replicas, shapes and
/// tiles within the global values, ranks 0..n-1): metadata that does not
/// come from hetu-compile is an error, never a crash.
bool validateModel(const Model &model, std::string &error);

/// Whether every GPU the ranks use has the compute capability `chip`
/// (sm_XY) was compiled for; if not, says so in `error`.
bool cudaChipMatches(const std::string &chip, int64_t numRanks,
                     std::string &error);

std::vector<std::string> splitComma(const std::string &s);

} // namespace hetu::run

#endif // HETU_RUNTIME_RUNNER_RUNNER_H
