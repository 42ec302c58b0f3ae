//===- ToolSupport.cpp - What the hetu command-line tools share -----------===//

#include "ToolSupport.h"

#include "hetu_runtime.h"

#include <cstdio>
#include <cstdlib>

using namespace hetu::run;

static const char *toolName = "hetu-run";

void hetu::run::setToolName(const char *name) { toolName = name; }

void hetu::run::die(const std::string &message) {
  std::fflush(stdout);
  std::fprintf(stderr, "%s: %s\n", toolName, message.c_str());
  hetu_rt_finalize();
  std::exit(1);
}

void hetu::run::checkCudaChip(const std::string &chip, int64_t numRanks) {
  std::string error;
  if (!cudaChipMatches(chip, numRanks, error))
    die(error);
}
