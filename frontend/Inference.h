//===- Inference.h - Model arguments from the weights' shapes ---*- C++ -*-===//
//
// Runs the model's constructor with the arguments it can tell from its
// inputs: --set first, then the input widths, then the shapes in a weights
// file, then the defaults. See docs/language.md, "Constructor arguments".
//
//===----------------------------------------------------------------------===//

#ifndef GNN_FRONTEND_INFERENCE_H
#define GNN_FRONTEND_INFERENCE_H

#include "frontend/Frontend.h"
#include "frontend/Interpreter.h"

#include <optional>

namespace gnn {
namespace frontend {

/// Elaborates `cls`, inferring the integer constructor arguments that
/// `options.overrides` leaves open from `options.inputFeatures` (for
/// `in_channels`), `options.edgeFeatures` (for `edge_dim`) and
/// `options.weightShapes`. A weight whose shape contradicts an argument
/// already known is an error naming the weights, the weight, and the
/// shapes found and expected. Deterministic: constraints are taken in
/// state_dict order, the first one to fix an argument wins.
std::optional<ElaboratedModel> elaborateInferring(Interpreter &interp,
                                                  const ClassInfo &cls,
                                                  const ModelOptions &options,
                                                  DiagnosticEngine &diag);

} // namespace frontend
} // namespace gnn

#endif // GNN_FRONTEND_INFERENCE_H
