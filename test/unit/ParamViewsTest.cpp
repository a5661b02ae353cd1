//===- ParamViewsTest.cpp - Weights in the layouts kernels read -----------===//
//
// gnn.param_view slots: written and read back by the schedule format, with
// windows outside the weight refused, and cut by the runtime into the
// layout the schedule names (checked against an index-by-index reference).
//
//===----------------------------------------------------------------------===//
#include "runtime/ParamViews.h"
#include "runtime/ScheduleFormat.h"

#include "gtest/gtest.h"

using namespace gnn;
using namespace gnn::detail;

namespace {

/// A model that only returns its features, with a [3, 5] weight `w`, a
/// [5] bias `b`, and the given view slot of `w` (param 0).
Schedule withView(Slot view) {
  Schedule s;
  s.params = {{"w", {3, 5}}, {"b", {5}}};
  s.slots.push_back({SlotKind::Graph, {}});
  Slot features{SlotKind::Features, {4}};
  features.rowSize = 4;
  s.slots.push_back(features);
  s.input = s.output = 1;
  Slot w{SlotKind::Param, {3, 5}};
  w.param = 0;
  s.slots.push_back(w);
  view.kind = SlotKind::Param;
  s.slots.push_back(view);
  return s;
}

Slot view(int param, std::vector<int64_t> shape, int64_t offset,
          int64_t columns, bool transposed) {
  Slot v{SlotKind::Param, std::move(shape)};
  v.param = param;
  v.columnOffset = offset;
  v.columns = columns;
  v.transposed = transposed;
  return v;
}

std::string parseError(const Schedule &s) {
  auto parsed = parseSchedule(serializeSchedule(s), "m.o");
  return parsed ? "" : llvm::toString(parsed.takeError());
}

TEST(ParamViewsTest, ViewsRoundTrip) {
  Schedule s = withView(view(0, {2, 3}, 1, 2, true));
  auto parsed = parseSchedule(serializeSchedule(s), "m.o");
  ASSERT_TRUE(bool(parsed)) << llvm::toString(parsed.takeError());
  const Slot &v = parsed->slots[3];
  EXPECT_EQ(v.param, 0);
  EXPECT_EQ(v.columnOffset, 1);
  EXPECT_EQ(v.columns, 2);
  EXPECT_TRUE(v.transposed);
  EXPECT_EQ(v.shape, (std::vector<int64_t>{2, 3}));
  EXPECT_FALSE(parsed->slots[2].isParamView());

  Schedule t = withView(view(0, {5, 3}, 0, -1, true));
  auto whole = parseSchedule(serializeSchedule(t), "m.o");
  ASSERT_TRUE(bool(whole)) << llvm::toString(whole.takeError());
  EXPECT_EQ(whole->slots[3].columns, -1);
  EXPECT_EQ(whole->slots[3].shape, (std::vector<int64_t>{5, 3}));
}

TEST(ParamViewsTest, WindowsOutsideTheWeightAreRefused) {
  EXPECT_EQ(parseError(withView(view(0, {3, 2}, 4, 2, false))),
            "m.o: invalid schedule: slots[3]: columns are not [offset, size] within the 5 "
            "columns of parameter 0");
  EXPECT_EQ(parseError(withView(view(0, {3, 0}, 0, 0, false))),
            "m.o: invalid schedule: slots[3]: columns are not [offset, size] within the 5 "
            "columns of parameter 0");
  EXPECT_EQ(parseError(withView(view(1, {5}, 0, -1, true))),
            "m.o: invalid schedule: slots[3]: a view of parameter 1, which is not a matrix");
}

TEST(ParamViewsTest, CutsColumnsAndTransposes) {
  Schedule s = withView(view(0, {2, 3}, 3, 2, true));
  s.slots.push_back(view(0, {3, 3}, 1, 3, false));
  Tensor w({3, 5}), b({5});
  for (int i = 0; i < 15; ++i)
    w.data()[i] = float(i);
  std::vector<Tensor> weights;
  weights.push_back(std::move(w));
  weights.push_back(std::move(b));
  std::vector<Tensor> views = cutParamViews(s, weights);
  ASSERT_EQ(views.size(), s.slots.size());
  EXPECT_TRUE(views[2].shape.empty()); // the weight itself: no copy
  // Slot 3: columns 3..4, transposed: t[c][r] = w[r][3 + c].
  ASSERT_EQ(views[3].shape, (std::vector<int64_t>{2, 3}));
  for (int c = 0; c < 2; ++c)
    for (int r = 0; r < 3; ++r)
      EXPECT_EQ(views[3].data()[c * 3 + r], float(r * 5 + 3 + c));
  // Slot 4: columns 1..3 as they are.
  ASSERT_EQ(views[4].shape, (std::vector<int64_t>{3, 3}));
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c)
      EXPECT_EQ(views[4].data()[r * 3 + c], float(r * 5 + 1 + c));
}

} // namespace
