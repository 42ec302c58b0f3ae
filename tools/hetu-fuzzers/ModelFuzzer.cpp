//===- ModelFuzzer.cpp - Fuzzes the compiled model's metadata reader ------===//
//
// hetu-launch and the session library trust nothing in a model's
// `__hetu_model` text: parseModel must refuse what is malformed or
// inconsistent with a message, never crash. What it accepts must serialize
// back to text that parses to the same model.
//
//===----------------------------------------------------------------------===//

#include "Runner.h"

#include <cstdio>
#include <cstdlib>
#include <string>

using namespace hetu::run;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string text(reinterpret_cast<const char *>(data), size);
  Model model;
  std::string error;
  if (!parseModel(text, model, error)) {
    if (error.empty()) {
      std::fprintf(stderr, "hetu-model-fuzzer: refused without a message\n");
      std::abort();
    }
    return 0;
  }
  std::string written = serializeModel(model);
  Model again;
  if (!parseModel(written, again, error) ||
      serializeModel(again) != written) {
    std::fprintf(stderr,
                 "hetu-model-fuzzer: an accepted model does not round-trip "
                 "(%s):\n%s\n",
                 error.c_str(), written.c_str());
    std::abort();
  }
  return 0;
}
