//===- ParamViews.h - Weights in the layouts kernels read -------*- C++ -*-===//
#ifndef GNN_RUNTIME_PARAMVIEWS_H
#define GNN_RUNTIME_PARAMVIEWS_H

#include "Schedule.h"

#include "gnn/Tensor.h"

#include <vector>

namespace gnn::detail {

/// The data of every parameter slot that is a view (gnn.param_view: a
/// column window of a weight, transposed or not), by slot index; other
/// slots get an empty tensor. `weights` are bound by parameter index with
/// the parameters' shapes, which the schedule's views were checked
/// against when it was read.
std::vector<Tensor> cutParamViews(const Schedule &s,
                                  const std::vector<Tensor> &weights);

} // namespace gnn::detail

#endif // GNN_RUNTIME_PARAMVIEWS_H
