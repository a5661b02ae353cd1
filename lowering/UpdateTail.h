//===- UpdateTail.h - Extend a message stage's update region ----*- C++ -*-===//
//
// Fusing what follows a message stage into it (a transform, a linear) means
// the same rebuild: the stage with more inputs, its message body as it was,
// and its update region (or the aggregated row) followed by more row code.
//
//===----------------------------------------------------------------------===//
#ifndef GNN_LOWERING_UPDATETAIL_H
#define GNN_LOWERING_UPDATETAIL_H

#include "dialect/GNNOps.h"

#include "mlir/IR/PatternMatch.h"

namespace gnn {

/// Builds, before `fused` (the op that reads `stage`'s result and is being
/// fused into it), a stage computing `tail` on each result row:
/// `stage`'s inputs then those of `extraInputs` it lacks, its message body,
/// and an update region running its update (if any) and then `tail`.
/// `tail` gets the builder inside the new update region, the row the old
/// stage yielded, and the new region's argument for each input (stage's or
/// extra); it returns the row the new stage yields, of `resultType`'s rows.
/// The caller replaces and erases the ops it fuses.
MessagePassingOp appendToUpdate(
    mlir::RewriterBase &rewriter, MessagePassingOp stage,
    mlir::Operation *fused, mlir::ValueRange extraInputs, VertexType resultType,
    llvm::function_ref<mlir::Value(mlir::OpBuilder &, mlir::Value row,
                                   const mlir::IRMapping &argOf)>
        tail);

} // namespace gnn

#endif // GNN_LOWERING_UPDATETAIL_H
