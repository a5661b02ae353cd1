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

  int64_t vertices = -1, edges = -1, halo = 0;
  bool pushReads = false;
  /// Per slot: whether a step reads its rows at other parts' vertices
  /// (through any view): gathers them at in-edge sources, or reads them at
  /// the targets of a push form (its mirrors). On a graph part such a
  /// tensor has `halo` rows after the owned ones, for ghosts or mirrors;
  /// other vertex tensors have the owned rows only.
  std::vector<bool> haloRows;
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
/// `halo` is the part's halo: the larger of its ghost and mirror counts
/// (0 for a whole graph).
/// `pushReads`: whether push forms may run (their target reads get halos).
MemoryPlan planMemory(const Schedule &s, int64_t vertices, int64_t edges,
                      int64_t halo = 0, bool pushReads = false);

/// Per slot: whether a step reads it (or a view of it) at other parts'
/// vertices: gathers it at sources, or, if `pushReads`, reads it at the
/// targets of a push form.
std::vector<bool> haloSlots(const Schedule &s, bool pushReads);

} // namespace gnn::detail

#endif // GNN_RUNTIME_MEMORYPLAN_H
