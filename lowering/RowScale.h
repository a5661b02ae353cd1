//===- RowScale.h - A transform that scales a linear's rows -----*- C++ -*-===//
//
// `transform(linear(...), s) { row * s_row }`: gnn-factor-messages makes it
// from GCN's norm_j * linear(x)_j, then commutes it with the matmul or
// gnn-fuse-dense-epilogue folds it into the linear as its scale. Both
// recognise it here.
//
//===----------------------------------------------------------------------===//
#ifndef GNN_LOWERING_ROWSCALE_H
#define GNN_LOWERING_ROWSCALE_H

#include "dialect/GNNOps.h"

#include "llvm/ADT/STLFunctionalExtras.h"

#include <optional>
#include <utility>

namespace gnn {

/// The linear and the other input of `transform` when its body only
/// multiplies its two inputs' rows (in either order) and one input is a
/// gnn.linear's result that `accepts` with the other as its scale (both
/// inputs are tried, when both are linears); std::nullopt otherwise.
inline std::optional<std::pair<LinearOp, mlir::Value>>
matchLinearTimes(TransformOp transform,
                 llvm::function_ref<bool(LinearOp, mlir::Value)> accepts) {
  mlir::Block &body = transform.getBody().front();
  if (transform.getInputs().size() != 2 || body.getOperations().size() != 2)
    return std::nullopt;
  auto mul = llvm::dyn_cast<MulOp>(body.front());
  if (!mul || llvm::cast<YieldOp>(body.getTerminator()).getValue() != mul.getResult())
    return std::nullopt;
  mlir::Value a = body.getArgument(0), b = body.getArgument(1);
  if (!((mul.getLhs() == a && mul.getRhs() == b) ||
        (mul.getLhs() == b && mul.getRhs() == a)))
    return std::nullopt;
  for (unsigned rows : {0u, 1u}) {
    auto linear = transform.getInputs()[rows].getDefiningOp<LinearOp>();
    mlir::Value scale = transform.getInputs()[1 - rows];
    if (linear && accepts(linear, scale))
      return std::make_pair(linear, scale);
  }
  return std::nullopt;
}

/// Whether `linear` can multiply its rows by `scale` itself (gnn.linear's
/// `scale`): it has none yet, its input has one feature dimension, and
/// the scale is one f32 per row of the linear's domain (vertex or edge).
inline bool linearCanScaleBy(LinearOp linear, mlir::Value scale) {
  bool sameDomain = llvm::isa<VertexType>(linear.getType())
                        ? llvm::isa<VertexType>(scale.getType())
                        : llvm::isa<EdgeType>(scale.getType());
  return !linear.getScale() && sameDomain &&
         getFeatureShape(linear.getInput().getType()).size() == 1 &&
         getFeatureShape(scale.getType()) == llvm::ArrayRef<int64_t>{1};
}

} // namespace gnn

#endif // GNN_LOWERING_ROWSCALE_H
