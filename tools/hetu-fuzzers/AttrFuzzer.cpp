//===- AttrFuzzer.cpp - Fuzzes the hetu attribute parsers -----------------===//
//
// The first byte picks the attribute ('0'..'6': #hetu.device, group, states,
// slice, strategy, schedule, phase; another byte modulo 7); the rest is the
// text between its angle brackets. Whatever parses must print to text that
// parses back to the same attribute, and its queries (entries, workers,
// positions; states' device coordinates and their inverse, a slice's states
// and offsets) must hold on it. A violated property aborts: libFuzzer
// reports it as a crash.
//
//===----------------------------------------------------------------------===//

#include "hetu/Dialect/Hetu/IR/HetuAttrs.h"
#include "hetu/Dialect/Hetu/IR/HetuDialect.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <memory>
#include <string>

using namespace mlir;
using namespace mlir::hetu;

[[noreturn]] static void violated(const std::string &what,
                                  const std::string &text) {
  std::fprintf(stderr, "hetu-attr-fuzzer: %s: %s\n", what.c_str(),
               text.c_str());
  std::abort();
}

static std::string print(Attribute a) {
  std::string s;
  llvm::raw_string_ostream os(s);
  a.print(os);
  return s;
}

static void checkGroup(GroupAttr g, const std::string &text) {
  int64_t devices = 0;
  for (const GroupAttr::Entry &e : g.getEntries())
    devices += e.devices.size();
  if (devices != static_cast<int64_t>(g.getDevices().size()))
    violated("entries do not cover the devices", text);
  if (g.getNumWorkers() + g.getNumServers() != g.getNumEntries())
    violated("workers and servers do not add up to the entries", text);
  for (DeviceAttr d : g.getDevices())
    if (!g.contains(d))
      violated("a member device has no position", text);
  (void)g.getWorkerSize();
}

static void checkStates(StatesAttr s, const std::string &text) {
  int64_t n = s.getNumDevices();
  if (n < 1)
    violated("a states attribute with no devices", text);
  // Coordinates are a bijection onto 0..n-1 (large tuples: a sample).
  int64_t step = n <= 4096 ? 1 : n / 4096;
  for (int64_t k = 0; k < n; k += step)
    if (s.getDeviceIndex(s.getCoords(k)) != k)
      violated("getDeviceIndex(getCoords(k)) != k for k = " +
                   std::to_string(k),
               text);
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // A context keeps every attribute it ever uniqued: start a new one now
  // and then, so that long runs do not grow without bound.
  static std::unique_ptr<MLIRContext> context;
  static int uses = 0;
  if (!context || ++uses % 20000 == 0) {
    context = std::make_unique<MLIRContext>();
    context->loadDialect<HetuDialect>();
  }
  if (size == 0)
    return 0;
  ScopedDiagnosticHandler quiet(context.get(),
                                [](Diagnostic &) { return success(); });
  static const char *const kinds[] = {
      "#hetu.device<",   "#hetu.group<",    "#hetu.states<", "#hetu.slice<",
      "#hetu.strategy<", "#hetu.schedule<", "#hetu.phase<"};
  constexpr unsigned numKinds = std::size(kinds);
  unsigned kind = data[0] >= '0' && data[0] < '0' + numKinds
                      ? data[0] - '0'
                      : data[0] % numKinds;
  std::string text = kinds[kind];
  text.append(reinterpret_cast<const char *>(data + 1), size - 1);
  text += ">";
  Attribute attr = parseAttribute(text, context.get());
  if (!attr)
    return 0;
  std::string printed = print(attr);
  Attribute again = parseAttribute(printed, context.get());
  if (again != attr)
    violated("the printed form '" + printed + "' does not parse back", text);
  if (auto group = dyn_cast<GroupAttr>(attr))
    checkGroup(group, text);
  else if (auto states = dyn_cast<StatesAttr>(attr))
    checkStates(states, text);
  else if (auto slice = dyn_cast<SliceAttr>(attr)) {
    checkStates(slice.getStates(), text);
    if (static_cast<int64_t>(slice.getOffsets().size()) !=
        slice.getStates().getRank())
      violated("a slice whose offsets do not match its states' rank", text);
  } else if (auto device = dyn_cast<DeviceAttr>(attr)) {
    std::string error;
    if (DeviceAttr::parse(context.get(), device.str(), error) != device)
      violated("the device's str() does not parse back", text);
  }
  return 0;
}
