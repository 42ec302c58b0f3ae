//===- BufferizableOpInterfaceImpl.cpp - Bufferizing hetu ops -------------===//

#include "hetu/Dialect/Hetu/Transforms/BufferizableOpInterfaceImpl.h"
#include "hetu/Dialect/Hetu/IR/HetuOps.h"

#include "mlir/Dialect/Bufferization/IR/BufferizableOpInterface.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/DialectRegistry.h"

using namespace mlir;
using namespace mlir::bufferization;
using namespace mlir::hetu;

namespace {

/// Communication reads its operands and writes its results into new
/// buffers: no operand aliases a result.
template <typename OpTy>
struct CommunicationOpInterface : public BufferizableOpInterface::ExternalModel<
                                      CommunicationOpInterface<OpTy>, OpTy> {
  bool bufferizesToMemoryRead(Operation *, OpOperand &,
                              const AnalysisState &) const {
    return true;
  }
  bool bufferizesToMemoryWrite(Operation *, OpOperand &,
                               const AnalysisState &) const {
    return false;
  }
  AliasingValueList getAliasingValues(Operation *, OpOperand &,
                                      const AnalysisState &) const {
    return {};
  }
  bool bufferizesToAllocation(Operation *, Value) const { return true; }

  LogicalResult bufferize(Operation *op, RewriterBase &rewriter,
                          const BufferizationOptions &options,
                          BufferizationState &state) const {
    SmallVector<Value> operands;
    for (Value operand : op->getOperands()) {
      if (!isa<TensorType>(operand.getType())) {
        operands.push_back(operand);
        continue;
      }
      FailureOr<Value> buffer = getBuffer(rewriter, operand, options, state);
      if (failed(buffer))
        return failure();
      operands.push_back(*buffer);
    }
    SmallVector<Type> resultTypes;
    for (Type type : op->getResultTypes()) {
      auto tensor = cast<RankedTensorType>(type);
      resultTypes.push_back(
          MemRefType::get(tensor.getShape(), tensor.getElementType()));
    }
    OperationState result(op->getLoc(), op->getName(), operands, resultTypes,
                          llvm::to_vector(op->getDiscardableAttrs()));
    result.propertiesAttr = op->getPropertiesAsAttribute();
    Operation *copy = rewriter.create(result);
    replaceOpWithBufferizedValues(rewriter, op, copy->getResults());
    return success();
  }
};

template <typename... OpTys> void attach(MLIRContext *context) {
  (OpTys::template attachInterface<CommunicationOpInterface<OpTys>>(*context),
   ...);
}

} // namespace

void mlir::hetu::registerBufferizableOpInterfaceExternalModels(
    DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *context, HetuDialect *) {
    attach<SendOp, RecvOp, AllReduceOp, AllGatherOp, ReduceScatterOp,
           BroadcastOp, ReduceOp>(context);
  });
}
