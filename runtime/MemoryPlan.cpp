//===- MemoryPlan.cpp - The arena plan of a schedule's step results -------===//
//
// Each result buffer is alive from the step writing it to the last step
// reading it; buffers are placed largest first, each in the tightest gap
// between buffers already placed whose live ranges overlap its own (like
// TFLite's arena planner).
//
//===----------------------------------------------------------------------===//
#include "MemoryPlan.h"

#include <algorithm>
#include <limits>

using namespace gnn::detail;

std::vector<bool> gnn::detail::haloSlots(const Schedule &s, bool pushReads) {
  std::vector<bool> halo(s.slots.size(), false);
  auto mark = [&](int slot) {
    halo[s.slots[slot].kind == SlotKind::View ? s.slots[slot].base : slot] = true;
  };
  for (const Step &step : s.steps) {
    for (int slot : step.gathers)
      mark(slot);
    if (step.push && pushReads)
      for (int slot : step.push->targetReads)
        mark(slot);
  }
  return halo;
}

MemoryPlan gnn::detail::planMemory(const Schedule &s, int64_t vertices,
                                   int64_t edges, int64_t halo,
                                   bool pushReads) {
  MemoryPlan plan;
  plan.vertices = vertices;
  plan.edges = edges;
  plan.halo = halo;
  plan.pushReads = pushReads;
  plan.haloRows = haloSlots(s, pushReads);
  size_t numSlots = s.slots.size();
  plan.offsets.assign(numSlots, -1);
  plan.bytes.assign(numSlots, 0);
  plan.live.assign(numSlots, {-1, -1});
  plan.storage.resize(numSlots);
  for (size_t slot = 0; slot < numSlots; ++slot)
    plan.storage[slot] =
        s.slots[slot].kind == SlotKind::View ? s.slots[slot].base : slot;
  auto roundUp = [](int64_t b) {
    return (b + MemoryPlan::kAlignment - 1) / MemoryPlan::kAlignment *
           MemoryPlan::kAlignment;
  };
  // The last step reading each buffer, directly or through a view.
  std::vector<int> lastRead(numSlots, -1);
  for (size_t i = 0; i < s.steps.size(); ++i)
    for (int input : s.steps[i].inputs)
      lastRead[plan.storage[input]] = i;
  int output = plan.storage[s.output];
  if (s.slots[output].kind == SlotKind::Buffer)
    lastRead[output] = s.steps.size();

  for (size_t i = 0; i < s.steps.size(); ++i) {
    const Step &step = s.steps[i];
    int r = step.result;
    const Slot &slot = s.slots[r];
    int64_t rows =
        slot.edges ? edges : vertices + (plan.haloRows[r] ? halo : 0);
    plan.bytes[r] = roundUp(rows * slot.rowSize * int64_t(sizeof(float)));
    int root = r;
    if (step.accumulate >= 0) {
      int acc = plan.storage[plan.storage[step.accumulate]];
      // In place only if the matmul's source (inputs[0]) and its row
      // scale are other buffers: what it reads must not be overwritten.
      auto isAcc = [&](int slot) {
        return slot >= 0 && plan.storage[plan.storage[slot]] == acc;
      };
      bool readElsewhere = (!step.inputs.empty() && isAcc(step.inputs[0])) ||
                           isAcc(step.scale);
      if (s.slots[acc].kind == SlotKind::Buffer && plan.live[acc].second == int(i) &&
          plan.bytes[acc] == plan.bytes[r] && !readElsewhere)
        root = acc; // nothing reads the accumulated buffer later
    }
    plan.live[root].second = std::max(lastRead[r], int(i));
    if (root == r)
      plan.live[r].first = i;
    else
      plan.storage[r] = root;
  }
  // Views of a result that shares its bytes share them too.
  for (size_t slot = 0; slot < numSlots; ++slot)
    plan.storage[slot] = plan.storage[plan.storage[slot]];
  output = plan.storage[output];
  if (s.slots[output].kind == SlotKind::Buffer)
    plan.outputBytes = plan.bytes[output];

  for (size_t slot = 0; slot < numSlots; ++slot)
    plan.bufferBytes += plan.bytes[slot];
  // The least any plan needs: the widest set of buffers alive at a step.
  for (size_t i = 0; i < s.steps.size(); ++i) {
    int64_t alive = 0;
    for (size_t slot = 0; slot < numSlots; ++slot)
      if (plan.live[slot].first >= 0 && plan.live[slot].first <= int(i) &&
          int(i) <= plan.live[slot].second)
        alive += plan.bytes[slot];
    plan.peakLiveBytes = std::max(plan.peakLiveBytes, alive);
  }

  // One address space: the returned buffer at [0, outputBytes), then the
  // arena. Buffers dead before the output is written may use its bytes
  // (fresh memory each run, but the output touches those pages anyway);
  // none straddles the two.
  int64_t fence = plan.outputBytes;
  std::vector<int> placed; // kept sorted by offset
  if (s.slots[output].kind == SlotKind::Buffer) {
    plan.offsets[output] = 0;
    placed.push_back(output);
  }
  std::vector<int> order;
  for (size_t slot = 0; slot < numSlots; ++slot)
    if (plan.live[slot].first >= 0 && int(slot) != output)
      order.push_back(slot);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    return plan.bytes[a] > plan.bytes[b];
  });
  for (int slot : order) {
    auto [first, last] = plan.live[slot];
    int64_t size = plan.bytes[slot];
    int64_t best = -1, bestGap = std::numeric_limits<int64_t>::max();
    // The free range [lo, hi), split at the fence.
    auto consider = [&](int64_t lo, int64_t hi) {
      for (auto [a, b] : {std::make_pair(lo, std::min(hi, fence)),
                          std::make_pair(std::max(lo, fence), hi)})
        if (b - a >= size && b - a < bestGap) {
          best = a;
          bestGap = b - a;
        }
    };
    int64_t end = 0; // the end of the overlapping buffers seen so far
    for (int other : placed) {
      if (plan.live[other].second < first || last < plan.live[other].first)
        continue;
      consider(end, plan.offsets[other]);
      end = std::max(end, plan.offsets[other] + plan.bytes[other]);
    }
    if (best < 0)
      best = end < fence && end + size > fence ? fence : end;
    plan.offsets[slot] = best;
    if (best >= fence)
      plan.arenaBytes = std::max(plan.arenaBytes, best + size - fence);
    placed.insert(std::upper_bound(placed.begin(), placed.end(), slot,
                                   [&](int a, int b) {
                                     return plan.offsets[a] < plan.offsets[b];
                                   }),
                  slot);
  }
  for (size_t slot = 0; slot < numSlots; ++slot)
    if (s.slots[slot].kind == SlotKind::Buffer)
      plan.offsets[slot] = plan.offsets[plan.storage[slot]];
  return plan;
}
