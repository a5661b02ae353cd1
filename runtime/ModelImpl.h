//===- ModelImpl.h - What a Model holds: code, schedule, weights ----------===//
#ifndef GNN_RUNTIME_MODELIMPL_H
#define GNN_RUNTIME_MODELIMPL_H

#include "Executor.h"
#include "Schedule.h"
#include "gnn/Model.h"

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace gnn {

struct Model::Impl {
  /// The schedule, its kernel pointers into `code`.
  detail::Schedule schedule;
  /// Owns the linked kernels (type-erased: the loader's ORC JIT).
  std::shared_ptr<void> code;
  /// The object file the code was linked from (Model::objectCode).
  std::string object;
  std::vector<Tensor> weights; // by ParamInfo index, after bindWeights
  detail::Executor executor;
  /// run() and bindWeights take turns: they share the weights, the arena
  /// and oneDNN primitives.
  std::mutex runMutex;
  std::atomic<int> threads{0};
  std::atomic<bool> progress{false}, releaseMemory{false}, originalOrder{false};
  std::atomic<int> gatherBlocks{0};
  CompileStats stats;

  /// The settings of the next run() (Model::setThreads and the like).
  RunOptions runOptions() const {
    RunOptions options;
    options.threads = threads;
    options.progress = progress;
    options.releaseMemory = releaseMemory;
    options.gatherBlocks = gatherBlocks;
    options.originalOrder = originalOrder;
    return options;
  }
};

} // namespace gnn

#endif // GNN_RUNTIME_MODELIMPL_H
