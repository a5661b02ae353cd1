//===- MemoryPlanTest.cpp - The executor's arena plan on hand-built schedules -===//
//
// planMemory's invariants, checked by brute force over every pair of
// buffers: two buffers alive at the same step never share a byte, offsets
// and sizes are aligned, and the arena is no larger than all buffers
// together (and at least the widest live set).
//
//===----------------------------------------------------------------------===//
#include "runtime/MemoryPlan.h"

#include "gtest/gtest.h"

#include <random>

using namespace gnn::detail;

namespace {

/// Builds schedules slot by slot: slot 0 the graph, 1 the features.
struct Builder {
  Schedule s;
  Builder(int64_t inWidth = 4) {
    s.slots.push_back({SlotKind::Graph, {}});
    Slot x{SlotKind::Features, {inWidth}};
    x.rowSize = inWidth;
    s.slots.push_back(x);
    s.input = 1;
  }
  int param(std::vector<int64_t> shape) {
    Slot p{SlotKind::Param, shape};
    p.param = s.params.size();
    s.params.push_back({"p" + std::to_string(p.param), shape});
    s.slots.push_back(p);
    return s.slots.size() - 1;
  }
  /// A step reading `inputs` and writing a new buffer of `width` floats
  /// per vertex (per edge with `edges`).
  int step(std::vector<int> inputs, int64_t width, bool edges = false) {
    Slot r{SlotKind::Buffer, {width}};
    r.rowSize = width;
    r.edges = edges;
    s.slots.push_back(r);
    Step st;
    st.kind = Step::Kind::Launch;
    st.inputs = std::move(inputs);
    st.result = s.slots.size() - 1;
    s.steps.push_back(st);
    return st.result;
  }
  /// A linear reading `input` and summing into `acc` (of its shape).
  int accumulate(int input, int acc) {
    int r = step({input, acc}, s.slots[acc].rowSize, s.slots[acc].edges);
    s.steps.back().kind = Step::Kind::Linear;
    s.steps.back().accumulate = acc;
    return r;
  }
  int view(int base, std::vector<int64_t> shape) {
    Slot v{SlotKind::View, shape};
    v.rowSize = s.slots[base].rowSize;
    v.base = s.slots[base].kind == SlotKind::View ? s.slots[base].base : base;
    v.edges = s.slots[base].edges;
    s.slots.push_back(v);
    return s.slots.size() - 1;
  }
};

/// The step range over which a buffer must keep its bytes, computed here
/// independently: from its writer to its last reader (through views), to
/// the end for the returned one.
std::pair<int, int> liveRange(const Schedule &s, int slot) {
  int first = -1, last = -1;
  for (size_t i = 0; i < s.steps.size(); ++i) {
    if (s.steps[i].result == slot)
      first = last = i;
    for (int in : s.steps[i].inputs) {
      int owner = s.slots[in].kind == SlotKind::View ? s.slots[in].base : in;
      if (owner == slot)
        last = std::max(last, int(i));
    }
  }
  return {first, last};
}

/// Whether `b` may be written in place over `a`: by a linear accumulating
/// into `a` (or into a value in `a`'s bytes, a view or an earlier sum)
/// whose matmul does not read `a`'s bytes (the sum would overwrite its own
/// source while oneDNN reads it).
bool accumulatesInto(const Schedule &s, const MemoryPlan &plan, int a, int b) {
  for (const Step &step : s.steps)
    if (step.result == b && step.accumulate >= 0)
      return plan.storage[step.accumulate] == plan.storage[a] &&
             plan.storage[step.inputs[0]] != plan.storage[a];
  return false;
}

void checkPlan(const Schedule &s, int64_t n, int64_t e) {
  MemoryPlan plan = planMemory(s, n, e);
  int output = plan.storage[s.output];
  int returned = s.slots[s.output].kind == SlotKind::View ? s.slots[s.output].base
                                                          : s.output;
  int64_t sum = 0;
  std::vector<int> buffers;
  for (size_t slot = 0; slot < s.slots.size(); ++slot) {
    if (s.slots[slot].kind != SlotKind::Buffer) {
      EXPECT_EQ(plan.offsets[slot], -1) << "slot " << slot;
      continue;
    }
    int64_t rows = s.slots[slot].edges ? e : n;
    int64_t need = rows * s.slots[slot].rowSize * 4;
    EXPECT_GE(plan.bytes[slot], need) << "slot " << slot;
    EXPECT_EQ(plan.bytes[slot] % 64, 0) << "slot " << slot;
    sum += plan.bytes[slot];
    buffers.push_back(slot);
    int64_t at = plan.offsets[slot], end = at + plan.bytes[slot];
    EXPECT_EQ(at % 64, 0) << "slot " << slot;
    EXPECT_GE(at, 0);
    if (int(slot) == output) {
      EXPECT_EQ(at, 0) << "the output is the caller's buffer";
    }
    if (at < plan.outputBytes) {
      EXPECT_LE(end, plan.outputBytes) << "slot " << slot << " straddles";
    } else {
      EXPECT_LE(end, plan.outputBytes + plan.arenaBytes) << "slot " << slot;
    }
  }
  if (s.slots[output].kind == SlotKind::Buffer)
    EXPECT_EQ(plan.outputBytes, plan.bytes[output]);
  else
    EXPECT_EQ(plan.outputBytes, 0);
  for (int a : buffers)
    for (int b : buffers) {
      if (a == b)
        continue;
      auto [fa, la] = liveRange(s, a);
      auto [fb, lb] = liveRange(s, b);
      if (a == returned)
        la = s.steps.size();
      if (b == returned)
        lb = s.steps.size();
      bool shareBytes =
          plan.offsets[a] < plan.offsets[b] + plan.bytes[b] &&
          plan.offsets[b] < plan.offsets[a] + plan.bytes[a];
      if (!shareBytes || fa > fb || (fa == fb && a > b))
        continue;
      // a is written first; b may take its bytes once a is dead, or at the
      // step a dies when b sums into it in place.
      bool ok = la < fb || (la == fb && accumulatesInto(s, plan, a, b));
      EXPECT_TRUE(ok) << "slots " << a << " [" << fa << ", " << la << "] and "
                      << b << " [" << fb << ", " << lb << "] share bytes";
    }
  EXPECT_EQ(plan.bufferBytes, sum);
  EXPECT_LE(plan.arenaBytes + plan.outputBytes, sum);
}

TEST(MemoryPlanTest, ChainReusesBytesOfDeadBuffers) {
  // a -> b -> c -> d: only neighbours are alive together, so a and c can
  // share bytes, and the arena holds two buffers, not three.
  Builder b;
  int a = b.step({0, 1}, 16);
  int c1 = b.step({0, a}, 16);
  int c2 = b.step({0, c1}, 16);
  int d = b.step({0, c2}, 8);
  b.s.output = d;
  checkPlan(b.s, 1000, 5000);
  MemoryPlan plan = planMemory(b.s, 1000, 5000);
  EXPECT_EQ(plan.arenaBytes, 2 * 1000 * 16 * 4);
  EXPECT_EQ(plan.outputBytes, 1000 * 8 * 4);
  EXPECT_EQ(plan.bufferBytes, 3 * 1000 * 16 * 4 + 1000 * 8 * 4);
}

TEST(MemoryPlanTest, ViewsKeepTheirBaseAliveAndEdgeRowsCountEdges) {
  // GAT-like: a vertex buffer read through a view much later, and an
  // edge-row buffer (rows = E) read by the last step.
  Builder b;
  int w = b.param({8, 4});
  int h = b.step({1, w}, 8);
  int hv = b.view(h, {2, 4});
  int edgeRows = b.step({0, 1}, 3, /*edges=*/true);
  int t1 = b.step({0, 1}, 8);
  int t2 = b.step({0, t1}, 8);
  int m = b.step({0, hv, t2, edgeRows}, 8);
  int out = b.view(m, {2, 4});
  b.s.output = out;
  checkPlan(b.s, 37, 411);
  MemoryPlan plan = planMemory(b.s, 37, 411);
  EXPECT_EQ(plan.live[h], std::make_pair(0, 4)) << "the view's reader";
  EXPECT_EQ(plan.bytes[edgeRows], (411 * 3 * 4 + 63) / 64 * 64);
  EXPECT_EQ(plan.offsets[m], 0) << "a returned view's base is the caller's";
  EXPECT_EQ(plan.outputBytes, (37 * 8 * 4 + 63) / 64 * 64);
}

TEST(MemoryPlanTest, ReturningTheInputOrAnUnreadBufferNeedsNoOutputBuffer) {
  Builder b;
  b.step({0, 1}, 5); // read by nobody: alive for its own step only
  b.s.output = 1;
  checkPlan(b.s, 10, 0);
  MemoryPlan plan = planMemory(b.s, 10, 0);
  EXPECT_EQ(plan.outputBytes, 0);
  EXPECT_EQ(plan.arenaBytes, (10 * 5 * 4 + 63) / 64 * 64);
}

TEST(MemoryPlanTest, SumsIntoDeadBuffersHappenInPlace) {
  Builder b;
  int l = b.step({0, 1}, 16);
  int r = b.accumulate(1, l); // l is read by nothing else: in place
  int l2 = b.step({0, r}, 16);
  int r2 = b.accumulate(l2, r); // r is read later: not in place
  int t = b.step({0, r, r2}, 16);
  int out = b.accumulate(1, t); // into the returned buffer
  b.s.output = out;
  checkPlan(b.s, 100, 0);
  MemoryPlan plan = planMemory(b.s, 100, 0);
  EXPECT_EQ(plan.storage[r], l);
  EXPECT_EQ(plan.offsets[r], plan.offsets[l]);
  EXPECT_EQ(plan.live[l], std::make_pair(0, 4));
  EXPECT_EQ(plan.storage[r2], r2);
  EXPECT_NE(plan.offsets[r2], plan.offsets[r]);
  EXPECT_EQ(plan.storage[out], t);
  EXPECT_EQ(plan.offsets[t], 0) << "t is written where the output goes";
}

TEST(MemoryPlanTest, NoSumInPlaceIntoTheMatmulsOwnSource) {
  Builder b;
  int l = b.step({0, 1}, 16);
  // linear(l) accumulated into l: l dies here, but it is the matmul's
  // source, which oneDNN must not overwrite while it reads it.
  int r = b.accumulate(l, l);
  b.s.output = r;
  checkPlan(b.s, 100, 0);
  MemoryPlan plan = planMemory(b.s, 100, 0);
  EXPECT_EQ(plan.storage[r], r);
  EXPECT_NE(plan.storage[l], r);
}

TEST(MemoryPlanTest, NoSumInPlaceIntoTheRowScale) {
  Builder b;
  int l = b.step({0, 1}, 1);
  int x = b.step({0, 1}, 4);
  // linear(x) accumulated into l and scaled by l (one float a row): l
  // dies here, but its rows scale each block after the matmul wrote it.
  int r = b.accumulate(x, l);
  b.s.steps.back().inputs.push_back(l);
  b.s.steps.back().scale = l;
  b.s.output = r;
  checkPlan(b.s, 100, 0);
  MemoryPlan plan = planMemory(b.s, 100, 0);
  EXPECT_EQ(plan.storage[r], r);
  EXPECT_NE(plan.storage[l], r);
  // Without the scale the same sum happens in place.
  b.s.steps.back().inputs.pop_back();
  b.s.steps.back().scale = -1;
  EXPECT_EQ(planMemory(b.s, 100, 0).storage[r], l);
}

TEST(MemoryPlanTest, RandomSchedulesKeepTheInvariants) {
  std::mt19937 rng(42);
  for (int trial = 0; trial < 300; ++trial) {
    Builder b;
    std::vector<int> values{1};
    int steps = 1 + rng() % 14;
    for (int i = 0; i < steps; ++i) {
      std::vector<int> inputs{0};
      int reads = 1 + rng() % 3;
      for (int k = 0; k < reads; ++k)
        inputs.push_back(values[rng() % values.size()]);
      int r;
      int acc = values[rng() % values.size()];
      if (rng() % 3 == 0 && b.s.slots[acc].kind != SlotKind::Features)
        r = b.accumulate(values[rng() % values.size()], acc);
      else
        r = b.step(inputs, 1 + rng() % 64, rng() % 4 == 0);
      values.push_back(r);
      if (rng() % 4 == 0)
        values.push_back(b.view(r, {int64_t(b.s.slots[r].rowSize)}));
    }
    // Return a vertex value (never an edge-row one).
    do
      b.s.output = values[rng() % values.size()];
    while (b.s.slots[b.s.output].edges);
    SCOPED_TRACE("trial " + std::to_string(trial));
    checkPlan(b.s, 1 + rng() % 5000, rng() % 20000);
  }
}

} // namespace

TEST(MemoryPlanTest, OnAGraphPartOnlyGatheredTensorsHaveGhostRows) {
  // GCN-like on a part with 7 ghosts: h and norm are gathered at sources
  // (h through a view), so they get 10 + 7 rows; deg and the output,
  // read at targets only, get the 10 owned rows.
  Builder b;
  int deg = b.step({0}, 1);
  int norm = b.step({0, deg}, 1);
  int h = b.step({0, 1}, 4);
  int hv = b.view(h, {2, 2});
  int out = b.step({0, hv, norm, deg}, 4);
  b.s.steps.back().gathers = {hv, norm};
  b.s.output = out;
  MemoryPlan plan = planMemory(b.s, 10, 30, /*halo=*/7);
  auto bytes = [](int64_t rows, int64_t width) {
    return (rows * width * 4 + 63) / 64 * 64;
  };
  EXPECT_EQ(plan.bytes[h], bytes(17, 4));
  EXPECT_EQ(plan.bytes[norm], bytes(17, 1));
  EXPECT_EQ(plan.bytes[deg], bytes(10, 1));
  EXPECT_EQ(plan.bytes[out], bytes(10, 4));
  EXPECT_TRUE(plan.haloRows[h] && plan.haloRows[norm]);
  EXPECT_FALSE(plan.haloRows[deg] || plan.haloRows[out] || plan.haloRows[1]);
  // A whole graph: no ghosts, the same plan as without gathers.
  MemoryPlan whole = planMemory(b.s, 10, 30);
  EXPECT_EQ(whole.bytes[h], bytes(10, 4));
}

TEST(MemoryPlanTest, APushFormsTargetReadsHaveHaloRowsWhenItMayRun) {
  // A message step with a push form reading deg at targets: deg gets the
  // halo (mirror rows) only when push forms may run; h, gathered, always.
  Builder b;
  int deg = b.step({0}, 1);
  int h = b.step({0, 1}, 4);
  int out = b.step({0, h, deg}, 4);
  b.s.steps.back().gathers = {h};
  PushForm push;
  push.aggregation = PushForm::Aggregation::Add;
  push.accFloats = 4;
  push.targetReads = {deg};
  b.s.steps.back().push = push;
  b.s.output = out;
  auto bytes = [](int64_t rows, int64_t width) {
    return (rows * width * 4 + 63) / 64 * 64;
  };
  MemoryPlan pulling = planMemory(b.s, 10, 30, /*halo=*/7, /*pushReads=*/false);
  EXPECT_EQ(pulling.bytes[h], bytes(17, 4));
  EXPECT_EQ(pulling.bytes[deg], bytes(10, 1));
  MemoryPlan pushing = planMemory(b.s, 10, 30, /*halo=*/7, /*pushReads=*/true);
  EXPECT_EQ(pushing.bytes[h], bytes(17, 4));
  EXPECT_EQ(pushing.bytes[deg], bytes(17, 1));
  EXPECT_EQ(pushing.bytes[out], bytes(10, 4));
}
