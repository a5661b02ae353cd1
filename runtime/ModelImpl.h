//===- ModelImpl.h - CompiledModel's state, shared by JIT and executor ----===//
#ifndef GNN_RUNTIME_MODELIMPL_H
#define GNN_RUNTIME_MODELIMPL_H

#include "DenseKernels.h"
#include "Schedule.h"

#include <memory>
#include <vector>

namespace gnn {

struct CompiledModel::Impl {
  detail::Schedule schedule;
  std::vector<Tensor> weights; // by ParamInfo index, after bindWeights
  bool weightsBound = false;
  detail::DenseLinear dense;
  /// Owns the JIT'd code the kernel pointers point into (type-erased so
  /// this header needs no MLIR).
  std::shared_ptr<void> jit;
  double compileSeconds = 0;
};

} // namespace gnn

#endif // GNN_RUNTIME_MODELIMPL_H
