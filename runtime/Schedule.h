//===- Schedule.h - The stage schedule the executor runs -------*- C++ -*-===//
//
// Plain data, no MLIR: what lowering reads off the compiled model function
// (lowering/ScheduleFromIR.cpp), what an object file carries in the
// versioned text of ScheduleFormat.cpp, and what Executor.cpp runs. Values
// live in numbered slots.
//
//===----------------------------------------------------------------------===//
#ifndef GNN_RUNTIME_SCHEDULE_H
#define GNN_RUNTIME_SCHEDULE_H

#include "gnn/Model.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gnn::detail {

/// The ABI of every outlined kernel (see gnn.launch).
using KernelFn = void (*)(int64_t lo, int64_t hi, void **args);

enum class SlotKind {
  Graph,    // the graph (its CSR arrays go first in kernel arguments)
  Features, // the input vertex features
  EdgeFeatures, // the input edge features, rows in CSR order
  Param,    // a bound weight
  Buffer,   // a vertex tensor a step produces
  View,     // another slot's data with another feature shape (gnn.reshape)
};

struct Slot {
  SlotKind kind;
  std::vector<int64_t> shape; // feature shape (Features/Buffer), or
                              // the full shape of a Param
  int64_t rowSize = 0;        // floats per row (Features/Buffer)
  int param = -1;             // index into Schedule::params
  int base = -1;              // View: the slot (never a View) it shows
  bool edges = false;         // one row per edge (else per vertex)
  /// Param (gnn.param_view): the weight's columns [columnOffset,
  /// columnOffset + columns) (columns < 0: all of them), transposed if
  /// `transposed`. The executor cuts the view when a run starts.
  int64_t columnOffset = 0, columns = -1;
  bool transposed = false;
  bool isParamView() const { return columns >= 0 || transposed; }
};

/// gnn.linear's `activation` (the dialect's Activation enum), kept free of
/// MLIR for the runtime.
enum class DenseActivation { None, Relu, LeakyRelu, Elu, Sigmoid, Tanh, Gelu, Exp };

/// What oneDNN applies to the product before storing it (post-ops): the
/// sum of what `y` holds, then the activation (`alpha`: elu's alpha or
/// leaky_relu's negative slope).
struct DenseEpilogue {
  bool accumulate = false;
  DenseActivation activation = DenseActivation::None;
  float alpha = 0;
};

/// The push form of a message stage (gnn.launch's `push`): its partial
/// kernel folds a part's in-edges from its own vertices into a state row
/// per target, owned or mirror; the mirrors' rows go to the targets'
/// owners, which merge them (PartialStates.h); the finish kernel turns the
/// merged rows into the stage's result.
struct PushForm {
  enum class Aggregation { Add, Mean, Max, Min, Softmax } aggregation;
  std::string partialKernel, finishKernel;
  KernelFn partial = nullptr, finish = nullptr;
  /// A state row: the accumulator, for softmax the running maximum and sum
  /// per logit, and but for add the message count (an int32's bits).
  int64_t accFloats = 0, logitFloats = 0;
  /// Softmax: the logit each accumulator element is weighted by.
  std::vector<int> logitOf;
  /// Input slots the message reads at targets: the partial kernel reads
  /// their mirror rows too.
  std::vector<int> targetReads;
  /// The blocked form (gather blocking, GatherBlocking.h), if compiled:
  /// `fold` folds a later block of in-edges into the state rows stored in
  /// its result, `foldFinish` the last block into the states given before
  /// the result, then finishes. The budget is in bytes, 0 for the
  /// runtime's (a fraction of the last-level cache).
  std::string foldKernel, foldFinishKernel;
  KernelFn fold = nullptr, foldFinish = nullptr;
  int64_t gatherBudget = 0;
  bool hasBlockedForm() const { return !foldKernel.empty(); }

  bool hasCount() const { return aggregation != Aggregation::Add; }
  int64_t stateFloats() const {
    return accFloats + 2 * logitFloats + (hasCount() ? 1 : 0);
  }
};

struct Step {
  enum class Kind { Linear, Launch } kind;
  /// Linear: {input, weight[, bias][, accumulate][, scale]}
  std::vector<int> inputs;
  int result = -1;
  int bias = -1, accumulate = -1; // Linear: slots, or -1
  /// Linear: a slot of one float per row that multiplies the row's
  /// result, after the post-ops; or -1.
  int scale = -1;
  DenseEpilogue epilogue;         // Linear: post-ops
  /// Linear: every step that reads the result reads it only at in-edge
  /// sources, so the rows of vertices without out-edges are never read.
  bool sourceRowsOnly = false;
  std::string kernel; // Launch
  KernelFn fn = nullptr;
  bool edgeBalanced = false;
  /// Launch: the input slots the kernel reads at in-edge sources; on a
  /// graph part their ghost rows must be current before it runs.
  std::vector<int> gathers;
  std::optional<PushForm> push; // Launch of a message stage, if it has one
  std::string label; // for --stats
};

/// What the kernels were compiled for, as LLVM names it; a host must have
/// every instruction set feature the code uses.
struct CodeTarget {
  std::string triple, cpu, features;
};

struct Schedule {
  std::vector<Slot> slots;
  std::vector<Step> steps;
  std::vector<ParamInfo> params;
  int input = -1, output = -1;
  int edgeInput = -1; // the EdgeFeatures slot, if the model takes them
  CodeTarget target;
  /// The gnnc that wrote the schedule (gnn::version()); empty if unknown.
  std::string compiler;
};

} // namespace gnn::detail

#endif // GNN_RUNTIME_SCHEDULE_H
