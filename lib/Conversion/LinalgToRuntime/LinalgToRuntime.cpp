//===- LinalgToRuntime.cpp - hetu-matmul-to-cublas, hetu-matmul-to-blas ---===//
//
// Matmuls on buffers become calls of the runtime's gemm entry points:
// cuBLAS on a GPU rank, a CPU BLAS on a CPU rank. Both passes share the
// matching and the call; they differ in the functions they take, the entry
// points' prefix, and what they accept: the CPU pass takes any float
// contraction with one m, n and k dimension (generic ones too, operands
// read transposed, several batch dimensions), passing transposed operands
// as column-major views; the cuBLAS pass row-major matmuls and batch
// matmuls only.
//
//===----------------------------------------------------------------------===//

#include "hetu/Conversion/Passes.h"
#include "hetu/Dialect/Hetu/IR/Placement.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/SymbolTable.h"

namespace mlir::hetu {
#define GEN_PASS_DEF_HETUMATMULTOCUBLAS
#define GEN_PASS_DEF_HETUMATMULTOBLAS
#include "hetu/Conversion/Passes.h.inc"
} // namespace mlir::hetu

using namespace mlir;

namespace {
/// How a contraction reaches a gemm call: for A, B and C, the operand's
/// dimensions in the order (batch..., m..., k...), (batch..., k..., n...)
/// and (batch..., m..., n...) and how they group into the gemm's (batch,)
/// rows and columns.
struct GemmPlan {
  Operation *op;
  Type element;
  bool batched;
  SmallVector<unsigned> perms[3];
  SmallVector<ReassociationIndices> groups[3];
};
} // namespace

/// `C = C + A * B` (either product order) on the block's arguments (a, b, c):
/// the payload of a float matmul without casts.
static bool isMulAddBody(Block &body) {
  if (body.getNumArguments() != 3 || body.getOperations().size() != 3)
    return false;
  auto yield = dyn_cast<linalg::YieldOp>(body.getTerminator());
  auto add = yield ? yield.getOperand(0).getDefiningOp<arith::AddFOp>()
                   : arith::AddFOp();
  if (!add)
    return false;
  Value acc = body.getArgument(2);
  Value product = add.getLhs() == acc   ? add.getRhs()
                  : add.getRhs() == acc ? add.getLhs()
                                        : Value();
  auto mul = product ? product.getDefiningOp<arith::MulFOp>() : nullptr;
  if (!mul)
    return false;
  Value a = body.getArgument(0), b = body.getArgument(1);
  return (mul.getLhs() == a && mul.getRhs() == b) ||
         (mul.getLhs() == b && mul.getRhs() == a);
}

/// `type` with its dimensions in the order `perm` (what memref.transpose
/// gives).
static MemRefType permuted(MemRefType type, ArrayRef<unsigned> perm) {
  auto [strides, offset] = type.getStridesAndOffset();
  SmallVector<int64_t> sizes, permutedStrides;
  for (unsigned p : perm) {
    sizes.push_back(type.getDimSize(p));
    permutedStrides.push_back(strides[p]);
  }
  return MemRefType::get(
      sizes, type.getElementType(),
      StridedLayoutAttr::get(type.getContext(), offset, permutedStrides),
      type.getMemorySpace());
}

/// True for the permutation that keeps every dimension in place.
static bool isIdentity(ArrayRef<unsigned> perm) {
  return llvm::equal(perm, llvm::seq<unsigned>(0, perm.size()));
}

/// Consecutive groups of `sizes[i]` dimensions (empty groups dropped).
static SmallVector<ReassociationIndices> consecutive(ArrayRef<size_t> sizes) {
  SmallVector<ReassociationIndices> groups;
  int64_t next = 0;
  for (size_t size : sizes) {
    if (!size)
      continue;
    groups.emplace_back();
    for (size_t i = 0; i < size; ++i)
      groups.back().push_back(next++);
  }
  return groups;
}

/// Row-major in the last two dimensions (a unit stride along the row, or
/// rows of one element), or also column-major where `columns`: what the gemm
/// entry points take.
static bool gemmLayout(MemRefType type, bool columns) {
  auto [strides, offset] = type.getStridesAndOffset();
  int64_t rank = type.getRank();
  auto unit = [&](int64_t d) {
    return strides[d] == 1 || type.getDimSize(d) == 1;
  };
  return unit(rank - 1) || (columns && unit(rank - 2));
}

/// The gemm call that computes `op`, if any: a float contraction
/// (`linalg.matmul`, `linalg.batch_matmul` or a `linalg.generic` whose
/// payload is a multiply-add) on buffers of one element type, each operand
/// read whole (no broadcast). With `views`, operands may be read transposed
/// (memref.transpose), and the batch, m, n and k dimensions may each be
/// several, with strides that let them collapse into one
/// (memref.collapse_shape: a reshape folded into the contraction); without,
/// only row-major matmuls and batch matmuls with their default maps.
static std::optional<GemmPlan> planGemm(Operation *op, bool views) {
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  if (!linalgOp || !linalgOp.hasPureBufferSemantics() ||
      linalgOp.getNumDpsInputs() != 2 || linalgOp.getNumDpsInits() != 1 ||
      !linalg::isaContractionOpInterface(linalgOp) ||
      !isMulAddBody(*linalgOp.getBlock()))
    return std::nullopt;
  if (!views && !(isa<linalg::MatmulOp, linalg::BatchMatmulOp>(op) &&
                  !linalgOp.hasUserDefinedMaps()))
    return std::nullopt;
  FailureOr<linalg::ContractionDimensions> dims =
      linalg::inferContractionDims(linalgOp);
  if (failed(dims) || dims->m.empty() || dims->n.empty() || dims->k.empty() ||
      dims->batch.size() + dims->m.size() + dims->n.size() +
              dims->k.size() !=
          linalgOp.getNumLoops())
    return std::nullopt;
  GemmPlan plan{op, getElementTypeOrSelf(op->getOperand(2).getType()),
                !dims->batch.empty(), {}, {}};
  if (!plan.element.isF32() && !plan.element.isF64())
    return std::nullopt;
  using Dims = SmallVector<unsigned, 2>;
  std::pair<const Dims *, const Dims *> matrix[3] = {
      {&dims->m, &dims->k}, {&dims->k, &dims->n}, {&dims->m, &dims->n}};
  for (unsigned i = 0; i < 3; ++i) {
    OpOperand &operand = op->getOpOperand(i);
    auto type = dyn_cast<MemRefType>(operand.get().getType());
    AffineMap map = linalgOp.getMatchingIndexingMap(&operand);
    auto [rows, cols] = matrix[i];
    SmallVector<unsigned> order(dims->batch.begin(), dims->batch.end());
    order.append(rows->begin(), rows->end());
    order.append(cols->begin(), cols->end());
    if (!type || type.getElementType() != plan.element ||
        !type.isStrided() || map.getNumResults() != order.size())
      return std::nullopt;
    for (unsigned loop : order) {
      std::optional<unsigned> at =
          map.getResultPosition(getAffineDimExpr(loop, op->getContext()));
      if (!at)
        return std::nullopt;
      plan.perms[i].push_back(*at);
    }
    if (!views && !isIdentity(plan.perms[i]))
      return std::nullopt;
    plan.groups[i] =
        consecutive({dims->batch.size(), rows->size(), cols->size()});
    MemRefType view = permuted(type, plan.perms[i]);
    if (plan.groups[i].size() != order.size()) {
      if (!memref::CollapseShapeOp::isGuaranteedCollapsible(view,
                                                            plan.groups[i]))
        return std::nullopt;
      view = memref::CollapseShapeOp::computeCollapsedType(view,
                                                           plan.groups[i]);
    }
    if (!gemmLayout(view, /*columns=*/views))
      return std::nullopt;
  }
  return plan;
}

/// Replaces the contractions of `module` that `wanted` accepts (see
/// planGemm) with calls of `<prefix>gemm_<type>` or
/// `<prefix>batched_gemm_<type>` (C += A B on unranked memrefs).
static void matmulsToCalls(ModuleOp module, StringRef prefix, bool views,
                           function_ref<bool(Operation *)> wanted) {
  SymbolTable symbols(module);
  std::vector<GemmPlan> plans;
  module.walk([&](Operation *op) {
    if (!isa<linalg::LinalgOp>(op) || !wanted(op))
      return;
    if (std::optional<GemmPlan> plan = planGemm(op, views))
      plans.push_back(std::move(*plan));
  });
  OpBuilder b(module.getContext());
  for (GemmPlan &plan : plans) {
    Operation *op = plan.op;
    Location loc = op->getLoc();
    auto unranked = UnrankedMemRefType::get(plan.element, 0);
    std::string name = prefix.str() +
                       (plan.batched ? "batched_gemm_" : "gemm_") +
                       (plan.element.isF32() ? "f32" : "f64");
    if (!symbols.lookup<func::FuncOp>(name)) {
      b.setInsertionPointToStart(module.getBody());
      auto decl = func::FuncOp::create(
          b, module.getLoc(), name,
          b.getFunctionType({unranked, unranked, unranked}, {}));
      decl.setPrivate();
      symbols.insert(decl);
    }
    b.setInsertionPoint(op);
    SmallVector<Value> args;
    for (unsigned i = 0; i < 3; ++i) {
      Value view = op->getOperand(i);
      ArrayRef<unsigned> perm = plan.perms[i];
      if (!isIdentity(perm))
        view = memref::TransposeOp::create(
            b, loc, view,
            AffineMapAttr::get(AffineMap::getPermutationMap(
                perm, b.getContext())));
      if (plan.groups[i].size() != perm.size())
        view = memref::CollapseShapeOp::create(b, loc, view, plan.groups[i]);
      args.push_back(memref::CastOp::create(b, loc, unranked, view));
    }
    func::CallOp::create(b, loc, name, TypeRange(), args);
    op->erase();
  }
}

namespace {
struct MatmulToCublasPass
    : public hetu::impl::HetuMatmulToCublasBase<MatmulToCublasPass> {
  void runOnOperation() override {
    // Host code of GPU ranks (not kernels, not ranks placed on a CPU).
    matmulsToCalls(getOperation(), "hetu_rt_cublas_", /*views=*/false,
                   [](Operation *op) {
      return !op->getParentOfType<gpu::GPUModuleOp>() && !hetu::onHostRank(op);
    });
  }
};

struct MatmulToBlasPass
    : public hetu::impl::HetuMatmulToBlasBase<MatmulToBlasPass> {
  void runOnOperation() override {
    matmulsToCalls(getOperation(), "hetu_rt_blas_", /*views=*/true,
                   [](Operation *op) {
      return !op->getParentOfType<gpu::GPUModuleOp>();
    });
  }
};
} // namespace
