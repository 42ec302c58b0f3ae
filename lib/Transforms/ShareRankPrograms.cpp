//===- ShareRankPrograms.cpp - hetu-share-rank-programs -------------------===//
//
// Ranks that play the same role (data-parallel replicas, the same stage and
// tuple position of every replica) get rank programs that differ only in
// constants once communication is runtime calls: peers' ranks, tags, group
// tables. Such programs are compared op by op, with those constants masked;
// each class of equal programs is compiled once, as a private function that
// takes the differing constants as arguments, and every rank's function
// becomes a call to it with its own. See docs/Running.md, "Roles".
//
//===----------------------------------------------------------------------===//

#include "hetu/Transforms/Passes.h"
#include "hetu/Dialect/Hetu/IR/Placement.h"
#include "hetu/Dialect/Hetu/IR/HetuAttrs.h"
#include "hetu/Dialect/Hetu/IR/HetuDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/Hashing.h"
#include "llvm/ADT/MapVector.h"

namespace mlir::hetu {
#define GEN_PASS_DEF_HETUSHARERANKPROGRAMS
#include "hetu/Transforms/Passes.h.inc"
} // namespace mlir::hetu

using namespace mlir;

/// Ops whose value may differ between ranks sharing a program: integer and
/// index constants (peers, tags, offsets) and group tables. Neither has
/// operands, so a rank's own copy can be cloned into its call site.
static bool isParameter(Operation *op) {
  if (auto constant = dyn_cast<arith::ConstantOp>(op))
    return constant.getType().isIntOrIndex();
  return isa<memref::GetGlobalOp>(op);
}

namespace {

/// A rank program's ops in pre-order, and a hash of everything a program
/// sharing it must have in common.
struct Program {
  func::FuncOp fn;
  SmallVector<Operation *> ops;
  llvm::hash_code hash;

  explicit Program(func::FuncOp fn) : fn(fn) {
    hash = llvm::hash_combine(fn.getFunctionType().getAsOpaquePointer(),
                              hetu::onHostRank(fn));
    fn.getBody().walk<WalkOrder::PreOrder>([&](Operation *op) {
      ops.push_back(op);
      hash = llvm::hash_combine(hash, op->getName().getAsOpaquePointer(),
                                op->getNumOperands(), op->getNumRegions());
      for (Type t : op->getResultTypes())
        hash = llvm::hash_combine(hash, t.getAsOpaquePointer());
      if (!isParameter(op))
        hash = llvm::hash_combine(hash, op->getRawDictionaryAttrs(),
                                  op->hashProperties());
    });
  }
};

/// Programs equal up to parameters, compiled once.
struct Role {
  Program *representative;
  SmallVector<Program *> members;
  /// Positions (in `Program::ops`) of the parameters that differ between
  /// members.
  llvm::BitVector differing;
};

} // namespace

/// Whether two ops agree in everything but a parameter's value.
static bool sameShape(Operation *a, Operation *b) {
  return a->getName() == b->getName() &&
         a->getNumOperands() == b->getNumOperands() &&
         a->getNumResults() == b->getNumResults() &&
         a->getNumRegions() == b->getNumRegions() &&
         a->getNumSuccessors() == b->getNumSuccessors() &&
         a->getResultTypes() == b->getResultTypes();
}

static bool sameAttributes(Operation *a, Operation *b) {
  return a->getRawDictionaryAttrs() == b->getRawDictionaryAttrs() &&
         a->getName().compareOpProperties(a->getPropertiesStorage(),
                                          b->getPropertiesStorage());
}

/// Maps the blocks of `a`'s regions to `b`'s (same counts and argument
/// types), or fails.
static bool mapRegions(Operation *a, Operation *b,
                       llvm::DenseMap<Value, Value> &values,
                       llvm::DenseMap<Block *, Block *> &blocks) {
  for (auto [ra, rb] : llvm::zip(a->getRegions(), b->getRegions())) {
    if (ra.getBlocks().size() != rb.getBlocks().size())
      return false;
    for (auto [ba, bb] : llvm::zip(ra, rb)) {
      if (ba.getArgumentTypes() != bb.getArgumentTypes())
        return false;
      blocks[&ba] = &bb;
      for (auto [x, y] : llvm::zip(ba.getArguments(), bb.getArguments()))
        values[x] = y;
    }
  }
  return true;
}

/// Compares `b` with `a` op by op: the same ops, types, attributes and
/// use-def structure, parameters aside. Adds to `differing` the positions
/// of the parameters whose values differ.
static bool equalUpToParameters(Program &a, Program &b,
                                llvm::BitVector &differing) {
  if (a.hash != b.hash || a.ops.size() != b.ops.size())
    return false;
  llvm::DenseMap<Value, Value> values;
  llvm::DenseMap<Block *, Block *> blocks;
  if (!mapRegions(a.fn, b.fn, values, blocks))
    return false;
  SmallVector<unsigned> found;
  for (auto [i, pair] : llvm::enumerate(llvm::zip(a.ops, b.ops))) {
    auto [x, y] = pair;
    if (!sameShape(x, y))
      return false;
    for (auto [u, v] : llvm::zip(x->getOperands(), y->getOperands()))
      if (values.lookup(u) != v)
        return false;
    for (auto [s, t] : llvm::zip(x->getSuccessors(), y->getSuccessors()))
      if (blocks.lookup(s) != t)
        return false;
    if (!sameAttributes(x, y)) {
      if (!isParameter(x))
        return false;
      found.push_back(i);
    }
    for (auto [u, v] : llvm::zip(x->getResults(), y->getResults()))
      values[u] = v;
    if (!mapRegions(x, y, values, blocks))
      return false;
  }
  for (unsigned i : found)
    differing.set(i);
  return true;
}

/// `role`'s body as a private function of its own that takes the differing
/// parameters as trailing arguments.
static func::FuncOp outlineRole(Role &role, StringRef name,
                                SymbolTable &symbols) {
  func::FuncOp rep = role.representative->fn;
  func::FuncOp shared = rep.clone();
  shared.setSymName(name);
  shared.setPrivate();
  // What names a rank stays with the ranks' functions; the device says
  // where the body runs (hetu-host-rank-loops reads it).
  for (StringRef attr : {hetu::HetuDialect::kRankAttrName,
                         hetu::HetuDialect::kFunctionAttrName})
    shared->removeAttr(attr);
  shared.removeArgAttrsAttr();
  shared.removeResAttrsAttr();
  SmallVector<Operation *> ops;
  shared.getBody().walk<WalkOrder::PreOrder>(
      [&](Operation *op) { ops.push_back(op); });
  for (unsigned position : role.differing.set_bits()) {
    Operation *param = ops[position];
    BlockArgument arg = shared.getBody().addArgument(
        param->getResult(0).getType(), param->getLoc());
    param->getResult(0).replaceAllUsesWith(arg);
    param->erase();
  }
  shared.setFunctionType(FunctionType::get(
      shared.getContext(), shared.getBody().getArgumentTypes(),
      shared.getResultTypes()));
  symbols.insert(shared, rep->getIterator());
  return shared;
}

/// `program`'s function, a member of `role`, keeps its signature and
/// attributes and records the shared body and its own parameters
/// (`hetu.role`, `hetu.role_params`); its body goes. A declaration until
/// `callRole` gives it its call.
static void detachMember(Program &program, Role &role, func::FuncOp shared) {
  func::FuncOp fn = program.fn;
  SmallVector<Attribute> params;
  for (unsigned position : role.differing.set_bits()) {
    Operation *param = program.ops[position];
    if (auto constant = dyn_cast<arith::ConstantOp>(param))
      params.push_back(constant.getValue());
    else
      params.push_back(cast<memref::GetGlobalOp>(param).getNameAttr());
  }
  fn->setAttr(hetu::HetuDialect::kRoleAttrName,
              FlatSymbolRefAttr::get(shared));
  fn->setAttr(hetu::HetuDialect::kRoleParamsAttrName,
              ArrayAttr::get(fn.getContext(), params));
  fn.eraseBody();
  fn.setPrivate();
}

/// A detached member's body: its parameters, then a call of the shared
/// function (`no_inline`, so that LLVM compiles the body once).
static LogicalResult callRole(func::FuncOp fn, SymbolTable &symbols) {
  auto role = fn->getAttrOfType<FlatSymbolRefAttr>(
      hetu::HetuDialect::kRoleAttrName);
  auto params = fn->getAttrOfType<ArrayAttr>(
      hetu::HetuDialect::kRoleParamsAttrName);
  auto shared = role ? symbols.lookup<func::FuncOp>(role.getValue())
                     : func::FuncOp();
  unsigned own = fn.getNumArguments();
  if (!shared || !params ||
      shared.getNumArguments() != own + params.size() ||
      shared.getArgumentTypes().take_front(own) != fn.getArgumentTypes() ||
      shared.getResultTypes() != fn.getResultTypes())
    return fn.emitError() << "'hetu.role' names no function that takes this "
                             "function's arguments and 'hetu.role_params'";
  Block *entry = fn.addEntryBlock();
  OpBuilder builder = OpBuilder::atBlockEnd(entry);
  SmallVector<Value> operands(entry->getArguments());
  for (auto [param, type] :
       llvm::zip(params, shared.getArgumentTypes().drop_front(own))) {
    auto value = dyn_cast<IntegerAttr>(param);
    auto memref = dyn_cast<MemRefType>(type);
    if (value && value.getType() == type)
      operands.push_back(
          arith::ConstantOp::create(builder, fn.getLoc(), value));
    else if (isa<FlatSymbolRefAttr>(param) && memref)
      operands.push_back(memref::GetGlobalOp::create(
          builder, fn.getLoc(), memref,
          cast<FlatSymbolRefAttr>(param).getValue()));
    else
      return fn.emitError() << "'hetu.role_params' entry " << param
                            << " does not match the argument of type " << type
                            << " of @" << shared.getSymName();
  }
  auto call = func::CallOp::create(builder, fn.getLoc(), shared, operands);
  call.setNoInline(true);
  func::ReturnOp::create(builder, fn.getLoc(), call.getResults());
  fn.setPublic();
  return success();
}

namespace {
struct ShareRankProgramsPass
    : public hetu::impl::HetuShareRankProgramsBase<ShareRankProgramsPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    // Members detached by an earlier run get their calls first.
    for (func::FuncOp fn : module.getOps<func::FuncOp>())
      if (fn.isExternal() && fn->hasAttr(hetu::HetuDialect::kRoleAttrName) &&
          failed(callRole(fn, symbols)))
        return signalPassFailure();
    // Rank programs by source function, in module order.
    llvm::MapVector<Attribute, SmallVector<std::unique_ptr<Program>>> bySource;
    for (func::FuncOp fn : module.getOps<func::FuncOp>()) {
      auto source =
          fn->getAttrOfType<StringAttr>(hetu::HetuDialect::kFunctionAttrName);
      if (fn.isExternal() || !fn->hasAttr(hetu::HetuDialect::kRankAttrName) ||
          !source ||
          fn->hasAttr(hetu::HetuDialect::kRoleAttrName))
        continue;
      bySource[source].push_back(std::make_unique<Program>(fn));
    }
    for (auto &[source, programs] : bySource) {
      SmallVector<Role> roles;
      llvm::DenseMap<llvm::hash_code, SmallVector<unsigned>> rolesByHash;
      for (std::unique_ptr<Program> &program : programs) {
        SmallVector<unsigned> &candidates = rolesByHash[program->hash];
        auto joined = llvm::find_if(candidates, [&](unsigned r) {
          return equalUpToParameters(*roles[r].representative, *program,
                                     roles[r].differing);
        });
        if (joined != candidates.end()) {
          roles[*joined].members.push_back(program.get());
          continue;
        }
        candidates.push_back(roles.size());
        roles.push_back(Role{program.get(),
                             {program.get()},
                             llvm::BitVector(program->ops.size())});
      }
      unsigned shared = 0;
      for (Role &role : roles) {
        if (role.members.size() < 2)
          continue;
        std::string name =
            (cast<StringAttr>(source).getValue() + "__role" + Twine(shared++))
                .str();
        func::FuncOp body = outlineRole(role, name, symbols);
        for (Program *member : role.members) {
          detachMember(*member, role, body);
          if (!detach && failed(callRole(member->fn, symbols)))
            return signalPassFailure();
        }
      }
    }
  }
};
} // namespace
