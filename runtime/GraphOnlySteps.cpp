//===- GraphOnlySteps.cpp - Steps that depend on the graph alone ----------===//
#include "GraphOnlySteps.h"

#include "llvm/ADT/STLExtras.h"

using namespace gnn::detail;

std::vector<GraphOnly>
gnn::detail::findGraphOnlySteps(const Schedule &s,
                                const std::vector<int> &storage) {
  std::vector<GraphOnly> kinds(s.steps.size(), GraphOnly::No);
  // The step that last wrote each storage slot, while walking the steps.
  std::vector<int> producer(s.slots.size(), -1);
  auto ofGraphAlone = [&](int slot) {
    int at = storage[slot];
    if (s.slots[at].kind == SlotKind::Graph)
      return true;
    return s.slots[at].kind == SlotKind::Buffer && producer[at] >= 0 &&
           kinds[producer[at]] != GraphOnly::No;
  };
  for (size_t i = 0; i < s.steps.size(); ++i) {
    const Step &step = s.steps[i];
    if (step.kind == Step::Kind::Launch && !step.push &&
        step.gathers.empty() && !s.slots[step.result].edges &&
        llvm::all_of(step.inputs, ofGraphAlone))
      kinds[i] = GraphOnly::Skip;
    producer[storage[step.result]] = i;
  }
  // Kept: read by a step that is not of the graph alone, or the output.
  auto keep = [&](int slot) {
    int at = storage[slot];
    if (s.slots[at].kind == SlotKind::Buffer && producer[at] >= 0 &&
        kinds[producer[at]] == GraphOnly::Skip)
      kinds[producer[at]] = GraphOnly::Keep;
  };
  std::fill(producer.begin(), producer.end(), -1);
  for (size_t i = 0; i < s.steps.size(); ++i) {
    const Step &step = s.steps[i];
    if (kinds[i] == GraphOnly::No) {
      for (int input : step.inputs)
        keep(input);
      if (step.bias >= 0)
        keep(step.bias);
      if (step.accumulate >= 0)
        keep(step.accumulate);
    }
    producer[storage[step.result]] = i;
  }
  keep(s.output);
  return kinds;
}
