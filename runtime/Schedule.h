//===- Schedule.h - The stage schedule the executor runs -------*- C++ -*-===//
//
// Plain data, no MLIR: what ScheduleReader.cpp reads off the compiled module and
// Executor.cpp runs. Values live in numbered slots.
//
//===----------------------------------------------------------------------===//
#ifndef GNN_RUNTIME_SCHEDULE_H
#define GNN_RUNTIME_SCHEDULE_H

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
  std::vector<int> inputs; // Linear: {input, weight[, bias]}
  int result = -1;
  std::string kernel; // Launch
  KernelFn fn = nullptr;
  bool edgeBalanced = false;
  std::string label; // for --stats
};

struct Schedule {
  std::vector<Slot> slots;
  std::vector<Step> steps;
  std::vector<ParamInfo> params;
  int input = -1, output = -1;
  int edgeInput = -1; // the EdgeFeatures slot, if the model takes them
};

} // namespace gnn::detail

#endif // GNN_RUNTIME_SCHEDULE_H
