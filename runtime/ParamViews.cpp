//===- ParamViews.cpp - Weights in the layouts kernels read ---------------===//
//
// Views are cut when a run starts rather than when weights are bound: they
// are small (a Linear's weight), and weights can be rebound between runs.
//
//===----------------------------------------------------------------------===//
#include "ParamViews.h"

#include <cassert>

using namespace gnn;
using namespace gnn::detail;

std::vector<Tensor> gnn::detail::cutParamViews(const Schedule &s,
                                               const std::vector<Tensor> &weights) {
  std::vector<Tensor> views(s.slots.size());
  for (size_t i = 0; i < s.slots.size(); ++i) {
    const Slot &slot = s.slots[i];
    if (slot.kind != SlotKind::Param || !slot.isParamView())
      continue;
    const Tensor &w = weights[slot.param];
    assert(w.shape.size() == 2 && "views are of matrices (ScheduleFormat)");
    int64_t rows = w.shape[0], stride = w.shape[1];
    int64_t first = slot.columns >= 0 ? slot.columnOffset : 0;
    int64_t width = slot.columns >= 0 ? slot.columns : stride;
    Tensor view(slot.transposed ? std::vector<int64_t>{width, rows}
                                : std::vector<int64_t>{rows, width});
    float *out = view.data();
    const float *in = w.data();
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t c = 0; c < width; ++c) {
        float x = in[r * stride + first + c];
        if (slot.transposed)
          out[c * rows + r] = x;
        else
          out[r * width + c] = x;
      }
    views[i] = std::move(view);
  }
  return views;
}
