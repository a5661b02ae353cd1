//===- Schedule.h - The stage schedule the executor runs -------*- C++ -*-===//
//
// Plain data, no MLIR: what ScheduleReader.cpp reads off the compiled module and
// Executor.cpp runs. Values live in numbered slots.
//
//===----------------------------------------------------------------------===//
#ifndef GNN_RUNTIME_SCHEDULE_H
#define GNN_RUNTIME_SCHEDULE_H

#include "DenseKernels.h"
#include "gnn/CompiledModel.h"

#include <cstdint>
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
};

struct Step {
  enum class Kind { Linear, Launch } kind;
  std::vector<int> inputs; // Linear: {input, weight[, bias][, accumulate]}
  int result = -1;
  int bias = -1, accumulate = -1; // Linear: slots, or -1
  DenseEpilogue epilogue;         // Linear: post-ops
  std::string kernel; // Launch
  KernelFn fn = nullptr;
  bool edgeBalanced = false;
  /// Launch: the input slots the kernel reads at in-edge sources; on a
  /// graph part their ghost rows must be current before it runs.
  std::vector<int> gathers;
  std::string label; // for --stats
};

struct Schedule {
  std::vector<Slot> slots;
  std::vector<Step> steps;
  std::vector<ParamInfo> params;
  int input = -1, output = -1;
  int edgeInput = -1; // the EdgeFeatures slot, if the model takes them
};

/// Where the step results of a run on a graph of `vertices` and `edges`
/// live. The returned buffer is the caller's, allocated per run; every
/// other buffer lives in it (when dead before the output is written) or in
/// one arena, at offsets chosen so that two buffers share bytes only when
/// no step sees both alive. Planned once per graph size and kept with the
/// model, so later runs touch no fresh pages but the output's.
struct MemoryPlan {
  static constexpr int64_t kAlignment = 64; // of every offset and size

  int64_t vertices = -1, edges = -1;
  /// Per slot: byte offset into the returned buffer when below
  /// outputBytes, else outputBytes + the offset into the arena; -1 for a
  /// slot that is not a Buffer.
  std::vector<int64_t> offsets;
  /// Per slot: the slot whose bytes it uses. A view uses its base's; a
  /// linear accumulating into a buffer nothing reads afterwards writes in
  /// place, in the bytes of that buffer (oneDNN's sum post-op).
  std::vector<int> storage;
  /// Per slot: bytes of a Buffer (rounded up to kAlignment), else 0.
  std::vector<int64_t> bytes;
  /// Per storage slot: the first step writing its bytes and the last step
  /// reading them (directly, through a view or in place); {-1, -1} for
  /// other slots.
  std::vector<std::pair<int, int>> live;
  int64_t arenaBytes = 0;    // the arena's size
  int64_t outputBytes = 0;   // the returned buffer, allocated per run
  int64_t bufferBytes = 0;   // all Buffers together: fresh memory per step
  int64_t peakLiveBytes = 0; // the widest set of Buffers alive at one step
};

/// Plans the arena by greedy best fit, largest buffers first (TFLite's
/// arena planner): each buffer takes the tightest gap between buffers
/// already placed whose live ranges overlap its own.
MemoryPlan planMemory(const Schedule &s, int64_t vertices, int64_t edges);

} // namespace gnn::detail

#endif // GNN_RUNTIME_SCHEDULE_H
