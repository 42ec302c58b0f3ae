//===- HetuAttrs.cpp - Attributes of the hetu dialect ---------------------===//
//
// Parsing and printing of #hetu.device / #hetu.group / #hetu.states, and the
// device-group and distributed-states algebra.
//
//===----------------------------------------------------------------------===//

#include "hetu/Dialect/Hetu/IR/HetuAttrs.h"
#include "hetu/Dialect/Hetu/IR/HetuDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::hetu;

#include "hetu/Dialect/Hetu/IR/HetuEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "hetu/Dialect/Hetu/IR/HetuAttrs.cpp.inc"

void HetuDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "hetu/Dialect/Hetu/IR/HetuAttrs.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// TrailingTypeCapture
//===----------------------------------------------------------------------===//

static thread_local int captureDepth = 0;
static thread_local Type capturedType;

hetu::detail::TrailingTypeCapture::TrailingTypeCapture() {
  ++captureDepth;
  capturedType = {};
}
hetu::detail::TrailingTypeCapture::~TrailingTypeCapture() { --captureDepth; }

bool hetu::detail::TrailingTypeCapture::record(Type type) {
  if (captureDepth == 0)
    return false;
  capturedType = type;
  return true;
}

Type hetu::detail::TrailingTypeCapture::take() {
  Type type = capturedType;
  capturedType = {};
  return type;
}

/// Hetu attributes are untyped: a trailing `: type` belongs to the enclosing
/// op when one is capturing it, and is an error otherwise.
LogicalResult hetu::detail::TrailingTypeCapture::accept(AsmParser &parser,
                                                        SMLoc loc, Type type) {
  if (!type || record(type))
    return success();
  return parser.emitError(loc, "hetu attributes do not take a type");
}

static constexpr StringLiteral kDeviceSyntax =
    "expected [host:](cpu|gpu):index";

//===----------------------------------------------------------------------===//
// DeviceAttr
//===----------------------------------------------------------------------===//

DeviceAttr DeviceAttr::parse(MLIRContext *context, StringRef token,
                             std::string &error) {
  std::string lowered = token.lower();
  SmallVector<StringRef> parts;
  StringRef(lowered).split(parts, ':');
  auto fail = [&](const Twine &why) {
    error = ("invalid device '" + token + "': " + why).str();
    return DeviceAttr();
  };
  if (parts.size() < 2 || parts.size() > 3)
    return fail(kDeviceSyntax);
  StringRef host = parts.size() == 3 ? parts[0] : StringRef("localhost");
  StringRef kindText = parts[parts.size() - 2];
  StringRef indexText = parts.back();
  if (host.empty())
    return fail("empty host name; " + kDeviceSyntax);
  // What verify() refuses is an error here, not a failed assertion.
  if (llvm::any_of(host, [](char c) {
        return c == ',' || c == ';' || c == '(' || c == ')' ||
               llvm::isSpace(c);
      }))
    return fail("the host name contains a separator or white space");
  if (!llvm::all_of(host, llvm::isPrint))
    return fail("the host name contains a character that is not printable "
                "ASCII");
  std::optional<DeviceKind> kind = symbolizeDeviceKind(kindText);
  if (!kind)
    return fail(kDeviceSyntax);
  if (indexText.empty())
    return fail("missing index; " + kDeviceSyntax);
  if (indexText.starts_with("-"))
    return fail("negative index " + indexText);
  int64_t index;
  if (!llvm::all_of(indexText, llvm::isDigit) ||
      indexText.getAsInteger(10, index))
    return fail("index '" + indexText + "' is not a number; " + kDeviceSyntax);
  return DeviceAttr::get(context, host, *kind, index);
}

LogicalResult DeviceAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                 StringRef host, DeviceKind kind,
                                 int64_t index) {
  if (host.empty())
    return emitError() << "device host name must not be empty";
  if (host.lower() != host)
    return emitError() << "device host name '" << host
                       << "' must be lower-case";
  if (llvm::any_of(host, [](char c) {
        return c == ':' || c == ',' || c == ';' || c == '(' || c == ')' ||
               llvm::isSpace(c);
      }))
    return emitError() << "device host name '" << host
                       << "' contains a separator";
  if (!llvm::all_of(host, llvm::isPrint))
    return emitError() << "device host name contains a character that is "
                          "not printable ASCII";
  if (index < 0)
    return emitError() << "device index must be non-negative, got " << index;
  return success();
}

std::string DeviceAttr::str() const {
  std::string out;
  if (!isLocal())
    out = (getHost() + ":").str();
  out += (stringifyDeviceKind(getKind()) + ":" + Twine(getIndex())).str();
  return out;
}

bool DeviceAttr::operator<(DeviceAttr other) const {
  if (isLocal() != other.isLocal())
    return isLocal();
  if (getHost() != other.getHost())
    return getHost() < other.getHost();
  if (getIndex() != other.getIndex())
    return getIndex() < other.getIndex();
  return getKind() < other.getKind();
}

/// `<"text">` for the attributes written in Hetu's string notation; errors
/// point at the string.
template <typename AttrT>
static Attribute parseQuotedAttr(AsmParser &parser, Type type) {
  std::string text;
  SMLoc loc = parser.getCurrentLocation();
  if (failed(hetu::detail::TrailingTypeCapture::accept(parser, loc, type)) || parser.parseLess() ||
      parser.parseString(&text) || parser.parseGreater())
    return {};
  std::string error;
  AttrT attr = AttrT::parse(parser.getContext(), text, error);
  if (!attr)
    parser.emitError(loc, error);
  return attr;
}

template <typename AttrT>
static void printQuotedAttr(AsmPrinter &printer, AttrT attr) {
  // Escaped: a host name may hold a backslash or a quote.
  printer << "<";
  printer.printString(attr.str());
  printer << ">";
}

Attribute DeviceAttr::parse(AsmParser &parser, Type type) {
  return parseQuotedAttr<DeviceAttr>(parser, type);
}

void DeviceAttr::print(AsmPrinter &printer) const {
  printQuotedAttr(printer, *this);
}

//===----------------------------------------------------------------------===//
// GroupAttr
//===----------------------------------------------------------------------===//

namespace {
/// Tokenizer for group strings: device words, '(' and ')'; runs of ',', ';'
/// and white space separate tokens.
struct GroupLexer {
  StringRef text;
  size_t pos = 0;

  static bool isSeparator(char c) {
    return c == ',' || c == ';' || llvm::isSpace(c);
  }
  /// Returns the next token, empty at the end.
  StringRef next() {
    while (pos < text.size() && isSeparator(text[pos]))
      ++pos;
    if (pos == text.size())
      return {};
    if (text[pos] == '(' || text[pos] == ')')
      return text.substr(pos++, 1);
    size_t start = pos;
    while (pos < text.size() && !isSeparator(text[pos]) && text[pos] != '(' &&
           text[pos] != ')')
      ++pos;
    return text.slice(start, pos);
  }
};
} // namespace

GroupAttr GroupAttr::parse(MLIRContext *context, StringRef text,
                           std::string &error) {
  SmallVector<DeviceAttr> devices;
  SmallVector<int64_t> entrySizes;
  llvm::DenseMap<Attribute, StringRef> seen;
  GroupLexer lexer{text};
  auto fail = [&](const Twine &why) {
    error = why.str();
    return GroupAttr();
  };
  // Parses one device word and records it; false on error.
  auto addDevice = [&](StringRef token) {
    DeviceAttr device = DeviceAttr::parse(context, token, error);
    if (!device)
      return false;
    auto [it, inserted] = seen.try_emplace(device, token);
    if (!inserted) {
      error = ("device '" + token + "' is listed twice in group '" + text + "'")
                  .str();
      return false;
    }
    devices.push_back(device);
    return true;
  };

  for (StringRef token = lexer.next(); !token.empty(); token = lexer.next()) {
    if (token == ")")
      return fail("unbalanced ')' in group '" + text + "'");
    if (token != "(") {
      if (!addDevice(token))
        return {};
      entrySizes.push_back(0);
      continue;
    }
    int64_t size = 0;
    for (token = lexer.next(); token != ")"; token = lexer.next()) {
      if (token.empty())
        return fail("unbalanced '(' in group '" + text + "': missing ')'");
      if (token == "(")
        return fail("nested '(' in group '" + text +
                    "': a tuple holds devices only");
      if (!addDevice(token))
        return {};
      ++size;
    }
    if (size == 0)
      return fail("empty tuple '()' in group '" + text + "'");
    entrySizes.push_back(size);
  }
  if (entrySizes.empty())
    return fail("empty device group '" + text + "'");
  return GroupAttr::get(context, devices, entrySizes);
}

GroupAttr GroupAttr::get(MLIRContext *context, ArrayRef<DeviceAttr> devices) {
  SmallVector<int64_t> sizes(devices.size(), 0);
  return GroupAttr::get(context, devices, sizes);
}

LogicalResult GroupAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                ArrayRef<DeviceAttr> devices,
                                ArrayRef<int64_t> entrySizes) {
  if (entrySizes.empty())
    return emitError() << "device group must not be empty";
  int64_t total = 0;
  for (int64_t size : entrySizes) {
    if (size < 0)
      return emitError() << "negative tuple size " << size;
    total += size == 0 ? 1 : size;
  }
  if (total != static_cast<int64_t>(devices.size()))
    return emitError() << "device group entry sizes cover " << total
                       << " devices, but " << devices.size() << " are given";
  llvm::DenseSet<Attribute> seen;
  for (DeviceAttr device : devices) {
    if (!device)
      return emitError() << "null device in group";
    if (!seen.insert(device).second)
      return emitError() << "device '" << device.str()
                         << "' is listed twice in group";
  }
  return success();
}

SmallVector<GroupAttr::Entry> GroupAttr::getEntries() const {
  SmallVector<Entry> entries;
  ArrayRef<DeviceAttr> devices = getDevices();
  int64_t offset = 0;
  for (int64_t size : getEntrySizes()) {
    int64_t n = size == 0 ? 1 : size;
    entries.push_back(Entry{devices.slice(offset, n), size != 0});
    offset += n;
  }
  return entries;
}

GroupAttr::Entry GroupAttr::getEntry(int64_t i) const {
  ArrayRef<int64_t> sizes = getEntrySizes();
  int64_t offset = 0;
  for (int64_t j = 0; j < i; ++j)
    offset += sizes[j] == 0 ? 1 : sizes[j];
  int64_t size = sizes[i] == 0 ? 1 : sizes[i];
  return Entry{getDevices().slice(offset, size), sizes[i] != 0};
}

SmallVector<GroupAttr::Entry> GroupAttr::getWorkers() const {
  SmallVector<Entry> workers;
  for (const Entry &entry : getEntries())
    if (entry.isWorker())
      workers.push_back(entry);
  return workers;
}

SmallVector<DeviceAttr> GroupAttr::getServers() const {
  SmallVector<DeviceAttr> servers;
  for (const Entry &entry : getEntries())
    if (!entry.isWorker())
      servers.push_back(entry.devices.front());
  return servers;
}

int64_t GroupAttr::getNumWorkers() const {
  return llvm::count_if(getEntries(),
                        [](const Entry &e) { return e.isWorker(); });
}
int64_t GroupAttr::getNumServers() const {
  return getNumEntries() - getNumWorkers();
}

bool GroupAttr::hasTuples() const {
  return llvm::any_of(getEntrySizes(), [](int64_t s) { return s != 0; });
}

std::optional<int64_t> GroupAttr::getWorkerSize() const {
  std::optional<int64_t> size;
  for (const Entry &worker : getEntries()) {
    if (!worker.isWorker())
      continue;
    int64_t n = worker.devices.size();
    if (size && *size != n)
      return std::nullopt;
    size = n;
  }
  return size;
}

std::optional<GroupAttr::Position>
GroupAttr::getPosition(DeviceAttr device) const {
  int64_t replica = 0, server = 0;
  for (auto [i, entry] : llvm::enumerate(getEntries())) {
    bool worker = entry.isWorker();
    for (auto [pos, member] : llvm::enumerate(entry.devices))
      if (member == device)
        return Position{static_cast<int64_t>(i), worker ? replica : -1,
                        worker ? -1 : server, static_cast<int64_t>(pos)};
    worker ? ++replica : ++server;
  }
  return std::nullopt;
}

std::string GroupAttr::str() const {
  std::string out;
  llvm::raw_string_ostream os(out);
  for (auto [i, entry] : llvm::enumerate(getEntries())) {
    if (i)
      os << ',';
    if (entry.isTuple)
      os << '(';
    llvm::interleave(
        entry.devices, os, [&](DeviceAttr d) { os << d.str(); }, ",");
    if (entry.isTuple)
      os << ')';
  }
  return out;
}

Attribute GroupAttr::parse(AsmParser &parser, Type type) {
  return parseQuotedAttr<GroupAttr>(parser, type);
}

void GroupAttr::print(AsmPrinter &printer) const {
  printQuotedAttr(printer, *this);
}

//===----------------------------------------------------------------------===//
// StatesAttr
//===----------------------------------------------------------------------===//

StatesAttr StatesAttr::getReplicated(MLIRContext *context, int64_t rank,
                                     int64_t duplicate) {
  return StatesAttr::get(context, SmallVector<int64_t>(rank, 1), duplicate);
}

LogicalResult StatesAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                 ArrayRef<int64_t> splits, int64_t duplicate,
                                 int64_t partial, ArrayRef<int64_t> order) {
  for (auto [dim, split] : llvm::enumerate(splits))
    if (split < 1)
      return emitError() << "split count of dimension " << dim
                         << " must be >= 1, got " << split;
  if (duplicate < 1)
    return emitError() << "duplicate must be >= 1, got " << duplicate;
  if (partial < 1)
    return emitError() << "partial must be >= 1, got " << partial;
  // getNumDevices() must not overflow: no worker has more than 2^40
  // devices.
  constexpr int64_t kMaxDevices = int64_t(1) << 40;
  int64_t devices = 1;
  SmallVector<int64_t> factors(splits);
  factors.append({duplicate, partial});
  for (int64_t f : factors)
    if (__builtin_mul_overflow(devices, f, &devices) || devices > kMaxDevices)
      return emitError() << "the states cover more than 2^40 devices "
                            "(splits x duplicate x partial)";
  if (order.empty())
    return success();
  // The order must list every dimension once, -1 iff duplicate > 1 and -2
  // iff partial > 1.
  SmallVector<int64_t> expected =
      defaultOrder(splits.size(), duplicate, partial);
  SmallVector<int64_t> sorted = llvm::to_vector(order);
  llvm::sort(sorted);
  llvm::sort(expected);
  if (sorted != expected) {
    InFlightDiagnostic diag = emitError();
    diag << "order [";
    llvm::interleaveComma(order, diag);
    diag << "] must list each of the " << splits.size() << " dimensions once";
    if (duplicate > 1)
      diag << ", plus -1 (duplicate)";
    if (partial > 1)
      diag << ", plus -2 (partial)";
    if (duplicate == 1 || partial == 1)
      diag << "; -1 / -2 only appear when duplicate / partial > 1";
    return diag;
  }
  return success();
}

Attribute StatesAttr::parse(AsmParser &parser, Type type) {
  SMLoc loc = parser.getCurrentLocation();
  if (failed(hetu::detail::TrailingTypeCapture::accept(parser, loc, type)))
    return {};
  SmallVector<int64_t> splits, order;
  int64_t duplicate = 1, partial = 1;
  bool seenDuplicate = false, seenPartial = false, seenOrder = false;
  auto parseIntList = [&](SmallVectorImpl<int64_t> &out) {
    return parser.parseCommaSeparatedList(AsmParser::Delimiter::Square,
                                          [&]() -> ParseResult {
                                            int64_t v;
                                            if (parser.parseInteger(v))
                                              return failure();
                                            out.push_back(v);
                                            return success();
                                          });
  };
  if (parser.parseLess() || parseIntList(splits))
    return {};
  while (succeeded(parser.parseOptionalComma())) {
    StringRef key;
    SMLoc keyLoc = parser.getCurrentLocation();
    if (parser.parseKeyword(&key) || parser.parseEqual())
      return {};
    auto once = [&](bool &seen) {
      if (seen) {
        parser.emitError(keyLoc, "'") << key << "' given twice";
        return false;
      }
      seen = true;
      return true;
    };
    if (key == "duplicate") {
      if (!once(seenDuplicate) || parser.parseInteger(duplicate))
        return {};
    } else if (key == "partial") {
      if (!once(seenPartial) || parser.parseInteger(partial))
        return {};
    } else if (key == "order") {
      if (!once(seenOrder) || parseIntList(order))
        return {};
    } else {
      parser.emitError(keyLoc, "unknown states keyword '")
          << key << "', expected 'duplicate', 'partial' or 'order'";
      return {};
    }
  }
  if (parser.parseGreater())
    return {};
  return StatesAttr::getChecked(
      [&] { return parser.emitError(loc); }, parser.getContext(), splits,
      duplicate, partial,
      canonicalOrder(splits.size(), duplicate, partial, order));
}

void StatesAttr::print(AsmPrinter &printer) const {
  printer << "<[";
  llvm::interleaveComma(getSplits(), printer);
  printer << "]";
  if (getDuplicate() != 1)
    printer << ", duplicate = " << getDuplicate();
  if (getPartial() != 1)
    printer << ", partial = " << getPartial();
  if (!getOrder().empty()) {
    printer << ", order = [";
    llvm::interleaveComma(getOrder(), printer);
    printer << "]";
  }
  printer << ">";
}
