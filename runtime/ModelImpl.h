//===- ModelImpl.h - CompiledModel's state, shared by JIT and executor ----===//
#ifndef GNN_RUNTIME_MODELIMPL_H
#define GNN_RUNTIME_MODELIMPL_H

#include "DenseKernels.h"
#include "Schedule.h"

#include <memory>
#include <mutex>
#include <vector>

namespace gnn {

struct CompiledModel::Impl {
  detail::Schedule schedule;
  std::vector<Tensor> weights; // by ParamInfo index, after bindWeights
  bool weightsBound = false;
  detail::DenseLinear dense;
  /// The memory plan of the last run's graph size and its arena, reused
  /// while the size stays the same.
  detail::MemoryPlan plan;
  AlignedArray<float> arena;
  /// run() calls take turns: they share the arena and oneDNN primitives.
  std::mutex runMutex;
  /// Owns the JIT'd code the kernel pointers point into (type-erased so
  /// this header needs no MLIR).
  std::shared_ptr<void> jit;
  double compileSeconds = 0;
};

} // namespace gnn

#endif // GNN_RUNTIME_MODELIMPL_H
