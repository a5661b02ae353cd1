//===- MemoryPlan.h - Where a run's step results live -----------*- C++ -*-===//
#ifndef GNN_RUNTIME_MEMORYPLAN_H
#define GNN_RUNTIME_MEMORYPLAN_H

#include "Schedule.h"

#include <cstdint>
#include <utility>
#include <vector>

namespace gnn::detail {

/// Where the step results of a run on a graph of `vertices` and `edges`
/// live. The returned buffer is the caller's, allocated per run; every
/// other buffer lives in it (when dead before the output is written) or in
/// one arena, at offsets chosen so that two buffers share bytes only when
/// no step sees both alive. Planned once per graph size and kept with the
/// model, so later runs touch no fresh pages but the output's.
struct MemoryPlan {
  static constexpr int64_t kAlignment = 64; // of every offset and size

  int64_t vertices = -1, edges = -1, ghosts = 0;
  /// Per slot: whether a step gathers its rows at in-edge sources (through
  /// any view), so that on a graph part it has a row per ghost after the
  /// owned rows; other vertex tensors have the owned rows only.
  std::vector<bool> ghostRows;
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
/// `ghosts` is the part's ghost count (0 for a whole graph).
MemoryPlan planMemory(const Schedule &s, int64_t vertices, int64_t edges,
                      int64_t ghosts = 0);

/// Per slot: whether a step gathers it (or a view of it) at sources.
std::vector<bool> gatheredSlots(const Schedule &s);

} // namespace gnn::detail

#endif // GNN_RUNTIME_MEMORYPLAN_H
