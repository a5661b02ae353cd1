//===- PartialStates.h - Merging a push form's partial states --*- C++ -*-===//
//
// A push-form message stage aggregates each target's in-edges in pieces,
// one per part that owns some of their sources; the target's owner merges
// the pieces' state rows (PushForm's layout) before its finish kernel.
//
//===----------------------------------------------------------------------===//
#ifndef GNN_RUNTIME_PARTIALSTATES_H
#define GNN_RUNTIME_PARTIALSTATES_H

#include "Schedule.h"

namespace gnn::detail {

/// Folds the state row `from` into `into`: the aggregation of the union of
/// their in-edges. Sums and counts add, maxima and minima combine as the
/// kernels' arith.maximumf/minimumf (NaN wins), and online-softmax states
/// rescale to the larger maximum: (m, s, a) and (m', s', a') give
/// M = max(m, m'), s e^(m-M) + s' e^(m'-M), a e^(m-M) + a' e^(m'-M).
void mergePartialState(const PushForm &form, float *into, const float *from);

} // namespace gnn::detail

#endif // GNN_RUNTIME_PARTIALSTATES_H
