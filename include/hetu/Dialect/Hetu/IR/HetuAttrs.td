//===- HetuAttrs.td - Attributes of the hetu dialect ------*- tablegen -*-===//

#ifndef HETU_DIALECT_HETU_IR_HETUATTRS_TD
#define HETU_DIALECT_HETU_IR_HETUATTRS_TD

include "hetu/Dialect/Hetu/IR/HetuDialect.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

class Hetu_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<Hetu_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

def Hetu_DeviceKind : I32EnumAttr<"DeviceKind", "kind of a device", [
    I32EnumAttrCase<"cpu", 1>,
    I32EnumAttrCase<"gpu", 2>]> {
  let cppNamespace = "::mlir::hetu";
  let genSpecializedAttr = 0;
}

def Hetu_ReductionKind : I32EnumAttr<"ReductionKind",
    "how a collective combines the contributions of the group members", [
    I32EnumAttrCase<"sum", 0>,
    I32EnumAttrCase<"mean", 1>,
    I32EnumAttrCase<"max", 2>,
    I32EnumAttrCase<"min", 3>,
    I32EnumAttrCase<"prod", 4>]> {
  let cppNamespace = "::mlir::hetu";
  let genSpecializedAttr = 0;
}

def Hetu_ReductionKindAttr
    : EnumAttr<Hetu_Dialect, Hetu_ReductionKind, "reduction"> {
  let assemblyFormat = "`<` $value `>`";
}

def Hetu_StrategyKind : I32EnumAttr<"StrategyKind",
    "how the gradients of a placed operation's parameters are synchronised", [
    I32EnumAttrCase<"allreduce", 0>,
    I32EnumAttrCase<"ps", 1>]> {
  let cppNamespace = "::mlir::hetu";
  let genSpecializedAttr = 0;
}

def Hetu_StrategyKindAttr
    : EnumAttr<Hetu_Dialect, Hetu_StrategyKind, "strategy"> {
  let summary = "The strategy hetu-deduce-strategy chose for an operation";
  let description = [{
    `#hetu.strategy<allreduce>` on an operation placed on several workers,
    `#hetu.strategy<ps>` on one placed on workers and parameter servers.
  }];
  let assemblyFormat = "`<` $value `>`";
}

def Hetu_ScheduleKind : I32EnumAttr<"ScheduleKind",
    "the order in which pipeline stages run micro-batches", [
    I32EnumAttrCase<"gpipe", 0>,
    I32EnumAttrCase<"oneFOneB", 1, "1f1b">]> {
  let cppNamespace = "::mlir::hetu";
  let genSpecializedAttr = 0;
  // `1f1b` is not a keyword: print it quoted so that it parses back.
  let parameterPrinter =
      "$_printer.printKeywordOrString(stringifyScheduleKind($_self))";
}

def Hetu_ScheduleKindAttr
    : EnumAttr<Hetu_Dialect, Hetu_ScheduleKind, "schedule"> {
  let summary = "A pipeline schedule: GPipe or 1F1B";
  let description = [{
    `#hetu.schedule<gpipe>` runs every forward micro-batch before the
    backward ones; `#hetu.schedule<"1f1b">` alternates one forward and one
    backward micro-batch after a warm-up (quoted: `1f1b` is not a keyword).
  }];
  let assemblyFormat = "`<` $value `>`";
}

def Hetu_PhaseKind : I32EnumAttr<"PhaseKind",
    "whether work belongs to the forward or the backward pass", [
    I32EnumAttrCase<"forward", 0>,
    I32EnumAttrCase<"backward", 1>]> {
  let cppNamespace = "::mlir::hetu";
  let genSpecializedAttr = 0;
}

def Hetu_PhaseKindAttr : EnumAttr<Hetu_Dialect, Hetu_PhaseKind, "phase"> {
  let summary = "The pass (forward or backward) a scheduled operation is in";
  let assemblyFormat = "`<` $value `>`";
}

def Hetu_DeviceAttr : Hetu_Attr<"Device", "device"> {
  let summary = "One device: `[host:](cpu|gpu):index`";
  let description = [{
    A single device, written as a string in Hetu's notation:

    ```mlir
    #hetu.device<"gpu:0">
    #hetu.device<"node1:gpu:3">
    #hetu.device<"cpu:0">
    ```

    The host defaults to `localhost`. Parsing is case-insensitive and the
    printed form is canonical: lower-case, with a `localhost:` prefix dropped.
    A `gpu` device is a worker, a `cpu` device is a parameter server.
  }];
  let parameters = (ins
    StringRefParameter<"host name, lower-case; `localhost` by default">:$host,
    "::mlir::hetu::DeviceKind":$kind,
    "int64_t":$index);
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    bool isLocal() const { return getHost() == "localhost"; }
    bool isGpu() const { return getKind() == ::mlir::hetu::DeviceKind::gpu; }
    bool isCpu() const { return getKind() == ::mlir::hetu::DeviceKind::cpu; }
    /// Canonical text, e.g. "gpu:0" or "node1:cpu:2".
    std::string str() const;
    /// Parses one device token; on failure returns null and sets `error`.
    static DeviceAttr parse(::mlir::MLIRContext *context,
                            ::llvm::StringRef token, std::string &error);
    /// The rank map's order (docs/README.md): local host first, then host
    /// names, then kind (gpu before cpu is not implied here), then index.
    bool operator<(DeviceAttr other) const;
  }];
}

def Hetu_GroupAttr : Hetu_Attr<"Group", "group"> {
  let summary = "An ordered device group (Hetu's `DeviceGroup`)";
  let description = [{
    An ordered list of entries; an entry is a device or a parenthesised tuple
    of devices:

    ```mlir
    #hetu.group<"gpu:0,gpu:1">                       // 2 workers
    #hetu.group<"cpu:0;(gpu:1,gpu:2);(gpu:5,gpu:6)">  // 1 server, 2 MP workers
    #hetu.group<"node1:gpu:0 node2:gpu:0">           // 2 hosts
    ```

    Parsing follows Hetu's `DeviceGroup`: entries are separated by `,`, `;`
    or spaces, any run of them (so `"gpu:0, gpu:1"` is accepted, where Hetu
    fails). Device names are case-insensitive. A tuple is one
    model-parallel *worker*, a gpu device is a worker, a cpu device is a
    *server*. The order is part of the group's identity: `"gpu:0,gpu:1"` and
    `"gpu:1,gpu:0"` are different groups, and the order inside a tuple fixes
    which device holds which tile.

    Errors name the bad token: an unknown device kind, a missing,
    non-numeric or negative index, unbalanced or nested parentheses, an
    empty group or tuple, and a device listed twice.

    The printed form is canonical: lower-case, `,` between entries.
  }];
  let parameters = (ins
    ArrayRefParameter<"::mlir::hetu::DeviceAttr", "every device, in order">:$devices,
    ArrayRefParameter<"int64_t",
      "per entry: 0 for a single device, n >= 1 for a tuple of n devices">:$entrySizes);
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// One entry of the group: a single device or a tuple.
    struct Entry {
      ::llvm::ArrayRef<DeviceAttr> devices;
      bool isTuple;
      bool isWorker() const { return isTuple || devices.front().isGpu(); }
    };
    /// Where a device sits in the group.
    struct Position {
      int64_t entry;    ///< index among all entries
      int64_t replica;  ///< index among the workers, -1 for a server
      int64_t server;   ///< index among the servers, -1 for a worker
      int64_t inTuple;  ///< position inside the tuple (0 for a single device)
    };

    /// Parses a group string; on failure returns null and sets `error`.
    static GroupAttr parse(::mlir::MLIRContext *context, ::llvm::StringRef text,
                           std::string &error);
    /// Builds a group of single devices.
    static GroupAttr get(::mlir::MLIRContext *context,
                         ::llvm::ArrayRef<DeviceAttr> devices);

    int64_t getNumEntries() const { return getEntrySizes().size(); }
    /// Every entry, in order (linear time).
    ::llvm::SmallVector<Entry> getEntries() const;
    /// Entry `i` (linear in `i`: use getEntries() to walk them all).
    Entry getEntry(int64_t i) const;
    bool isTuple(int64_t i) const { return getEntrySizes()[i] != 0; }
    ::llvm::SmallVector<Entry> getWorkers() const;
    ::llvm::SmallVector<DeviceAttr> getServers() const;
    int64_t getNumWorkers() const;
    int64_t getNumServers() const;
    bool hasTuples() const;
    /// Number of devices of every worker when they all agree (1 for single
    /// gpu devices), std::nullopt otherwise or without workers.
    std::optional<int64_t> getWorkerSize() const;
    /// Position of a device, std::nullopt when it is not a member.
    std::optional<Position> getPosition(DeviceAttr device) const;
    bool contains(DeviceAttr device) const {
      return getPosition(device).has_value();
    }
    /// Canonical text, e.g. "cpu:0,(gpu:1,gpu:2)".
    std::string str() const;
  }];
}

def Hetu_StatesAttr : Hetu_Attr<"States", "states"> {
  let summary = "Distributed state of a value inside one worker";
  let description = [{
    How a value is laid out over the devices of one worker (one tuple, or one
    device):

    ```mlir
    #hetu.states<[2, 1]>                  // dim 0 split in 2 blocks
    #hetu.states<[1, 1], duplicate = 2>   // 2 identical copies
    #hetu.states<[1, 1], partial = 2>     // 2 partial sums to be added
    #hetu.states<[2, 2], order = [1, 0]>  // dim 1 enumerated outermost
    ```

    The worker's device count is `prod(splits) * duplicate * partial`.
    Dimension `d` of size `S` split `k` ways gives block `i` the indices
    `[i*S/k, (i+1)*S/k)`; a size that `k` does not divide is an error.

    `order` lists, outermost first, every dimension once, plus `-1` when
    `duplicate > 1` and `-2` when `partial > 1`. Device `k` of the tuple has
    the mixed-radix coordinates of `k` in that order, the last entry varying
    fastest. The default order is `-2`, `-1`, then the dimensions
    `0..n-1`; an `order` equal to the default is not printed.
  }];
  let parameters = (ins
    ArrayRefParameter<"int64_t", "split count per dimension">:$splits,
    DefaultValuedParameter<"int64_t", "1", "replicated copies">:$duplicate,
    DefaultValuedParameter<"int64_t", "1", "partial-sum copies">:$partial,
    OptionalArrayRefParameter<"int64_t",
      "tile order, outermost first; empty means the default order">:$order);
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let skipDefaultBuilders = 1;
  let builders = [
    AttrBuilder<(ins "::llvm::ArrayRef<int64_t>":$splits,
                     CArg<"int64_t", "1">:$duplicate,
                     CArg<"int64_t", "1">:$partial,
                     CArg<"::llvm::ArrayRef<int64_t>", "{}">:$order), [{
      return $_get($_ctxt, splits, duplicate, partial,
                   ::mlir::hetu::StatesAttr::canonicalOrder(
                       splits.size(), duplicate, partial, order));
    }]>
  ];
  let extraClassDeclaration = [{
    /// Order entries for the replicated and partial "dimensions".
    static constexpr int64_t kDuplicateDim = -1;
    static constexpr int64_t kPartialDim = -2;

    /// Coordinates of one device of the worker.
    struct Coords {
      ::llvm::SmallVector<int64_t> blocks; ///< block index per dimension
      int64_t duplicate = 0;               ///< which copy
      int64_t partial = 0;                 ///< which partial sum
      bool operator==(const Coords &o) const {
        return blocks == o.blocks && duplicate == o.duplicate &&
               partial == o.partial;
      }
    };

    /// Single-device states of the given rank.
    static StatesAttr getReplicated(::mlir::MLIRContext *context, int64_t rank,
                                    int64_t duplicate = 1);
    /// The default order for these counts.
    static ::llvm::SmallVector<int64_t> defaultOrder(int64_t rank,
                                                     int64_t duplicate,
                                                     int64_t partial);
    /// `order`, or empty when it equals the default (the stored form).
    static ::llvm::SmallVector<int64_t>
    canonicalOrder(int64_t rank, int64_t duplicate, int64_t partial,
                   ::llvm::ArrayRef<int64_t> order);

    int64_t getRank() const { return getSplits().size(); }
    int64_t getNumDevices() const;
    bool isReplicated() const { return getNumDevices() == getDuplicate(); }
    /// The explicit order or the default one.
    ::llvm::SmallVector<int64_t> getOrderOrDefault() const;
    /// Size of an order entry: splits[d], duplicate (-1) or partial (-2).
    int64_t getExtent(int64_t orderEntry) const;
    /// How many device indices one step of an order entry spans: the
    /// product of the extents after it, so that the entry's coordinate of
    /// device k is (k / stride) % extent.
    int64_t getStride(int64_t orderEntry) const;
    /// Tile coordinates of device `k` (0 <= k < getNumDevices()).
    Coords getCoords(int64_t k) const;
    /// Inverse of getCoords.
    int64_t getDeviceIndex(const Coords &coords) const;
    /// Shape of one tile of a value of the given global shape. Dynamic
    /// dimensions stay dynamic. Fails, with an error through `emitError` when
    /// given, if a static size is not divisible by its split count.
    ::mlir::FailureOr<::llvm::SmallVector<int64_t>> getLocalShape(
        ::llvm::ArrayRef<int64_t> globalShape,
        ::llvm::function_ref<::mlir::InFlightDiagnostic()> emitError = {}) const;
    /// Inverse of getLocalShape.
    ::llvm::SmallVector<int64_t> getGlobalShape(
        ::llvm::ArrayRef<int64_t> localShape) const;
    /// Offsets of device `k`'s tile in a value of the given global shape.
    ::llvm::SmallVector<int64_t> getTileOffsets(
        int64_t k, ::llvm::ArrayRef<int64_t> globalShape) const;
  }];
}

def Hetu_SliceAttr : Hetu_Attr<"Slice", "slice"> {
  let summary = "Which part of a global value a rank function's argument or result is";
  let description = [{
    Set by `hetu-partition` on every argument and result of a per-rank
    function, so that a runner can scatter global inputs and gather outputs
    from the rank functions alone:

    ```mlir
    #hetu.slice<index = 1, replica = 0, position = 1,
                states = #hetu.states<[2, 1]>, offsets = [8, 0]>
    ```

    `index` is the global argument or result of the function the rank
    function was cut from, `replica` the data-parallel replica, `position`
    the device's position in that replica's tuple (`-1` on a parameter
    server's copy of a pulled parameter, which is not an output), `states`
    the value's distributed states and `offsets` where the local tile starts
    in the global (per-replica) value; the tile's sizes are the local type's.
  }];
  let parameters = (ins
    "int64_t":$index,
    "int64_t":$replica,
    "int64_t":$position,
    "::mlir::hetu::StatesAttr":$states,
    ArrayRefParameter<"int64_t", "tile offsets in the global value">:$offsets);
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
}

#endif // HETU_DIALECT_HETU_IR_HETUATTRS_TD
