//===- ScheduleFormatTest.cpp - The schedule's text: round trip, refusals -===//
//
// serializeSchedule and parseSchedule give back every field, and a damaged
// schedule (each rule the executor relies on, broken one at a time on a
// valid one) or text of another format or version is refused with one
// line naming the object and the place.
//
//===----------------------------------------------------------------------===//
#include "runtime/ScheduleFormat.h"
#include "gnn/Version.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <functional>

using namespace gnn;
using namespace gnn::detail;

namespace {

/// A schedule with every kind of slot and step: graph, vertex and edge
/// features, three weights, a launch gathering at sources (edge balanced),
/// a view, a linear with bias, sum and activation whose rows only in-edges
/// read (source_rows_only), an edge-row buffer.
Schedule sampleSchedule() {
  Schedule s;
  s.params = {{"conv.lin.weight", {6, 3}}, {"conv.bias", {6}}, {"edge.w", {2, 2}}};
  auto add = [&](Slot slot) {
    s.slots.push_back(std::move(slot));
    return int(s.slots.size() - 1);
  };
  auto features = [](SlotKind kind, std::vector<int64_t> shape, bool edges) {
    Slot slot{kind, shape};
    slot.rowSize = 1;
    for (int64_t d : shape)
      slot.rowSize *= d;
    slot.edges = edges;
    return slot;
  };
  auto param = [&](int p) {
    Slot slot{SlotKind::Param, s.params[p].shape};
    slot.param = p;
    return add(slot);
  };
  int g = add({SlotKind::Graph, {}});
  s.input = add(features(SlotKind::Features, {3}, false));
  s.edgeInput = add(features(SlotKind::EdgeFeatures, {2}, true));
  int w = param(0), b = param(1), ew = param(2);

  Step launch;
  launch.kind = Step::Kind::Launch;
  launch.kernel = "forward_kernel0";
  launch.inputs = {g, s.input, s.edgeInput};
  launch.gathers = {s.input};
  launch.edgeBalanced = true;
  launch.label = "kernel @forward_kernel0 loc(\"m.gnn\":3:7)";
  PushForm push;
  push.aggregation = PushForm::Aggregation::Softmax;
  push.partialKernel = "forward_kernel0_partial";
  push.finishKernel = "forward_kernel0_finish";
  push.accFloats = 3;
  push.logitFloats = 1;
  push.logitOf = {0, 0, 0};
  push.targetReads = {s.input};
  push.foldKernel = "forward_kernel0_fold";
  push.foldFinishKernel = "forward_kernel0_fold_finish";
  push.gatherBudget = 65536;
  launch.push = push;
  launch.result = add(features(SlotKind::Buffer, {3}, false));
  s.steps.push_back(launch);

  Step edgeLinear;
  edgeLinear.kind = Step::Kind::Linear;
  edgeLinear.inputs = {s.edgeInput, ew};
  edgeLinear.label = "linear loc(\"a \\\"quoted\\\" name\n\xff\":1:1)";
  edgeLinear.result = add(features(SlotKind::Buffer, {2}, true));
  s.steps.push_back(edgeLinear);

  Step linear;
  linear.kind = Step::Kind::Linear;
  linear.inputs = {launch.result, w, b};
  linear.bias = b;
  linear.epilogue.activation = DenseActivation::LeakyRelu;
  linear.epilogue.alpha = 0.2f;
  linear.label = "linear";
  linear.result = add(features(SlotKind::Buffer, {6}, false));
  s.steps.push_back(linear);

  Slot view = features(SlotKind::View, {2, 3}, false);
  view.base = linear.result;
  int v = add(view);

  Step sum;
  sum.kind = Step::Kind::Linear;
  sum.inputs = {launch.result, w, linear.result};
  sum.accumulate = linear.result;
  sum.epilogue.accumulate = true;
  sum.epilogue.activation = DenseActivation::Gelu;
  sum.sourceRowsOnly = true;
  sum.result = add(features(SlotKind::Buffer, {6}, false));
  s.steps.push_back(sum);

  Step last;
  last.kind = Step::Kind::Launch;
  last.kernel = "forward_kernel1";
  last.inputs = {g, v, sum.result, edgeLinear.result};
  last.gathers = {v, sum.result};
  last.result = add(features(SlotKind::Buffer, {2, 3}, false));
  s.steps.push_back(last);
  s.output = last.result;
  s.target = {"x86_64-unknown-linux-gnu", "znver3", "+avx2,-avx512f"};
  return s;
}

/// The error of parsing `s` written out, or "" if it parses.
std::string parseError(const Schedule &s) {
  auto parsed = parseSchedule(serializeSchedule(s), "m.o");
  return parsed ? "" : llvm::toString(parsed.takeError());
}

TEST(ScheduleFormatTest, RoundTripKeepsEveryField) {
  Schedule s = sampleSchedule();
  s.compiler = "gnnc 9.8.7 git \"abc\"";
  std::string text = serializeSchedule(s, "compiled from m.gnn");
  auto parsed = parseSchedule(text, "m.o");
  ASSERT_TRUE(bool(parsed)) << llvm::toString(parsed.takeError()) << "\n" << text;
  const Schedule &r = *parsed;
  EXPECT_EQ(r.input, s.input);
  EXPECT_EQ(r.edgeInput, s.edgeInput);
  EXPECT_EQ(r.output, s.output);
  EXPECT_EQ(r.compiler, s.compiler);
  EXPECT_EQ(r.target.triple, s.target.triple);
  EXPECT_EQ(r.target.cpu, s.target.cpu);
  EXPECT_EQ(r.target.features, s.target.features);
  ASSERT_EQ(r.params.size(), s.params.size());
  for (size_t i = 0; i < s.params.size(); ++i) {
    EXPECT_EQ(r.params[i].name, s.params[i].name);
    EXPECT_EQ(r.params[i].shape, s.params[i].shape);
  }
  ASSERT_EQ(r.slots.size(), s.slots.size());
  for (size_t i = 0; i < s.slots.size(); ++i) {
    SCOPED_TRACE("slot " + std::to_string(i));
    EXPECT_EQ(r.slots[i].kind, s.slots[i].kind);
    EXPECT_EQ(r.slots[i].shape, s.slots[i].shape);
    EXPECT_EQ(r.slots[i].rowSize, s.slots[i].rowSize);
    EXPECT_EQ(r.slots[i].param, s.slots[i].param);
    EXPECT_EQ(r.slots[i].base, s.slots[i].base);
    EXPECT_EQ(r.slots[i].edges, s.slots[i].edges);
  }
  ASSERT_EQ(r.steps.size(), s.steps.size());
  for (size_t i = 0; i < s.steps.size(); ++i) {
    SCOPED_TRACE("step " + std::to_string(i));
    const Step &a = r.steps[i], &b = s.steps[i];
    EXPECT_EQ(a.kind, b.kind);
    EXPECT_EQ(a.inputs, b.inputs);
    EXPECT_EQ(a.result, b.result);
    EXPECT_EQ(a.bias, b.bias);
    EXPECT_EQ(a.accumulate, b.accumulate);
    EXPECT_EQ(a.epilogue.accumulate, b.epilogue.accumulate);
    EXPECT_EQ(a.epilogue.activation, b.epilogue.activation);
    EXPECT_EQ(a.epilogue.alpha, b.epilogue.alpha);
    EXPECT_EQ(a.sourceRowsOnly, b.sourceRowsOnly);
    EXPECT_EQ(a.kernel, b.kernel);
    EXPECT_EQ(a.edgeBalanced, b.edgeBalanced);
    EXPECT_EQ(a.gathers, b.gathers);
    EXPECT_EQ(a.fn, nullptr);
    ASSERT_EQ(a.push.has_value(), b.push.has_value());
    if (a.push) {
      EXPECT_EQ(a.push->aggregation, b.push->aggregation);
      EXPECT_EQ(a.push->partialKernel, b.push->partialKernel);
      EXPECT_EQ(a.push->finishKernel, b.push->finishKernel);
      EXPECT_EQ(a.push->accFloats, b.push->accFloats);
      EXPECT_EQ(a.push->logitFloats, b.push->logitFloats);
      EXPECT_EQ(a.push->logitOf, b.push->logitOf);
      EXPECT_EQ(a.push->targetReads, b.push->targetReads);
      EXPECT_EQ(a.push->foldKernel, b.push->foldKernel);
      EXPECT_EQ(a.push->foldFinishKernel, b.push->foldFinishKernel);
      EXPECT_EQ(a.push->gatherBudget, b.push->gatherBudget);
      EXPECT_EQ(a.push->partial, nullptr);
      EXPECT_EQ(a.push->fold, nullptr);
    }
  }
  EXPECT_EQ(r.steps[0].label, s.steps[0].label);
  // Quotes and a newline come back; a byte that is not UTF-8 becomes
  // U+FFFD.
  size_t bad = s.steps[1].label.find('\xff');
  EXPECT_EQ(r.steps[1].label.substr(0, bad), s.steps[1].label.substr(0, bad));
  EXPECT_EQ(r.steps[1].label.substr(bad), "\xEF\xBF\xBD\":1:1)");
}

TEST(ScheduleFormatTest, TextIsVersionedWithOneEntryPerLine) {
  Schedule s = sampleSchedule();
  std::string text = serializeSchedule(s, "compiled from m.gnn");
  EXPECT_EQ(text.rfind("{\"format\": \"gnn-schedule\", \"version\": 1,\n", 0), 0u)
      << text;
  EXPECT_NE(text.find("\n \"comment\": \"compiled from m.gnn\",\n"),
            std::string::npos);
  EXPECT_NE(text.find("\n  {\"kind\":\"launch\",\"result\":6,"
                      "\"kernel\":\"forward_kernel0\",\"inputs\":[0,1,2],"
                      "\"gathers\":[1],\"edge_balanced\":true,"),
            std::string::npos)
      << text;
  size_t lines = std::count(text.begin(), text.end(), '\n');
  // Header, comment, target, 3 sections of brackets, 3 params, the slots
  // and steps, and the ends.
  EXPECT_EQ(lines, 3 + 3 * 2 + s.params.size() + s.slots.size() +
                       s.steps.size() + 1);
}

TEST(ScheduleFormatTest, OtherFormatsAndVersionsAreRefused) {
  auto error = [](llvm::StringRef text) {
    auto parsed = parseSchedule(text, "old.o");
    return parsed ? "" : llvm::toString(parsed.takeError());
  };
  EXPECT_EQ(error("// gnnc-kernel-cache-1 0123\nmodule {\n}\n"),
            "old.o: the schedule is MLIR text, from a gnnc before schedule "
            "format 1; compile the model again");
  EXPECT_EQ(error("module {\n}\n"),
            "old.o: the schedule is MLIR text, from a gnnc before schedule "
            "format 1; compile the model again");
  std::string text = serializeSchedule(sampleSchedule());
  std::string v2 = text;
  v2.replace(v2.find("\"version\": 1"), 12, "\"version\": 2");
  // Both sides are named: the version read, the gnnc that wrote it (if it
  // says), and this runtime's gnnc and version.
  std::string runtime = std::string("(") + gnn::version() + ")";
  EXPECT_EQ(error(v2), "old.o: schedule format version 2, but this runtime " +
                           runtime + " reads version 1; compile the model "
                           "again with this gnnc");
  Schedule fromNewer = sampleSchedule();
  fromNewer.compiler = "gnnc 9.8.7";
  std::string v3 = serializeSchedule(fromNewer);
  v3.replace(v3.find("\"version\": 1"), 12, "\"version\": 3");
  EXPECT_EQ(error(v3), "old.o: schedule format version 3 (written by gnnc "
                       "9.8.7), but this runtime " + runtime + " reads "
                       "version 1; compile the model again with this gnnc");
  std::string badCompiler = serializeSchedule(fromNewer);
  badCompiler.replace(badCompiler.find("\"gnnc 9.8.7\""), 12, "987");
  EXPECT_EQ(error(badCompiler),
            "old.o: invalid schedule: schedule.compiler: expected a string");
  EXPECT_EQ(error("{\"format\": \"other\", \"version\": 1}"),
            "old.o: the schedule is not in the gnn-schedule format");
  std::string notJson = error(text.substr(0, text.size() / 2));
  EXPECT_EQ(notJson.rfind("old.o: the schedule is not JSON: ", 0), 0u) << notJson;
  EXPECT_EQ(notJson.find('\n'), std::string::npos);
}

TEST(ScheduleFormatTest, EachBrokenRuleIsNamed) {
  ASSERT_EQ(parseError(sampleSchedule()), "");
  struct Case {
    const char *expected;
    std::function<void(Schedule &)> damage;
  };
  std::vector<Case> cases = {
      {"steps[0].inputs[1]: slot 99 does not exist (12 slots)",
       [](Schedule &s) { s.steps[0].inputs[1] = 99; }},
      {"steps[4].gathers[0]: slot -2 does not exist (12 slots)",
       [](Schedule &s) { s.steps[4].gathers[0] = -2; }},
      {"steps[0]: gathers slot 3, which is not a vertex tensor among its "
       "inputs",
       [](Schedule &s) { s.steps[0].gathers = {3}; }},
      {"steps[0]: gathers slot 2, which is not a vertex tensor among its "
       "inputs",
       [](Schedule &s) { s.steps[0].gathers = {2}; }},
      {"steps[4]: gathers slot 7, which is not a vertex tensor among its "
       "inputs",
       [](Schedule &s) { s.steps[4].gathers = {7}; }},
      {"steps[4]: gathers slot 6, which is not a vertex tensor among its "
       "inputs",
       [](Schedule &s) { s.steps[4].gathers = {6}; }},
      {"steps[0].push: unknown aggregation 'sideways'",
       [](Schedule &s) { s.steps[0].push->aggregation = PushForm::Aggregation(5); }},
      {"steps[0].push: no kernel name",
       [](Schedule &s) { s.steps[0].push->finishKernel = ""; }},
      {"steps[0].push: fold and fold_finish come together",
       [](Schedule &s) { s.steps[0].push->foldFinishKernel = ""; }},
      {"steps[0].push: gather_budget of -5 bytes",
       [](Schedule &s) { s.steps[0].push->gatherBudget = -5; }},
      {"steps[0].push: accumulator of 0 floats",
       [](Schedule &s) { s.steps[0].push->accFloats = 0; }},
      {"steps[0].push: logits of 0 floats for a softmax of 3",
       [](Schedule &s) { s.steps[0].push->logitFloats = 0; }},
      {"steps[0].push: logits of 1 floats for a max of 3",
       [](Schedule &s) {
         s.steps[0].push->aggregation = PushForm::Aggregation::Max;
       }},
      {"steps[0].push: logit_of names 2 logits for 3 accumulator floats",
       [](Schedule &s) { s.steps[0].push->logitOf.pop_back(); }},
      {"steps[0].push.logit_of: logit 5 does not exist",
       [](Schedule &s) { s.steps[0].push->logitOf[1] = 5; }},
      {"steps[0].push: reads slot 2 at targets, which is not a vertex "
       "tensor among its inputs",
       [](Schedule &s) { s.steps[0].push->targetReads = {2}; }},
      {"steps[0].push.target_reads[0]: slot 40 does not exist (12 slots)",
       [](Schedule &s) { s.steps[0].push->targetReads = {40}; }},
      {"steps[0].push: a push form on a launch that is not a message stage",
       [](Schedule &s) { s.steps[0].edgeBalanced = false; }},
      {"steps[0]: the result slot 3 is not a buffer",
       [](Schedule &s) { s.steps[0].result = 3; }},
      {"steps[4]: slot 8 is written twice",
       [](Schedule &s) { s.steps[4].result = 8; }},
      {"steps[2]: reads slot 8 before a step writes it",
       [](Schedule &s) { s.steps[2].inputs[0] = 8; }},
      {"slots[11]: a buffer no step writes",
       [](Schedule &s) { s.steps.pop_back(); }},
      {"slots[0]: unknown slot kind 'gone'",
       [](Schedule &s) { s.slots[0].kind = SlotKind(17); }},
      {"params[1].shape: negative dimension -6",
       [](Schedule &s) { s.params[1].shape = {-6}; }},
      {"params[1].shape: more than 2^31 elements",
       [](Schedule &s) { s.params[1].shape = {1 << 20, 1 << 20}; }},
      {"params[2]: parameter 'conv.bias' appears twice",
       [](Schedule &s) { s.params[2].name = "conv.bias"; }},
      {"slots[4]: parameter 7 does not exist (3 parameters)",
       [](Schedule &s) { s.slots[4].param = 7; }},
      {"slots[9]: base 10 is not an earlier slot",
       [](Schedule &s) { s.slots[9].base = 10; }},
      {"slots[9]: base 3 is not a feature tensor",
       [](Schedule &s) { s.slots[9].base = 3; }},
      {"slots[9]: a view of 4 floats per row over rows of 6",
       [](Schedule &s) { s.slots[9].shape = {2, 2}; }},
      {"steps[2]: a linear step takes 3 inputs, not 2",
       [](Schedule &s) { s.steps[2].inputs.pop_back(); }},
      {"steps[2]: the weight of a linear step is not a parameter of shape "
       "[out, in]",
       [](Schedule &s) { s.steps[2].inputs[1] = 1; }},
      {"steps[1]: a linear step of weight [2, 2] from rows of 2 to rows of 3",
       [](Schedule &s) { s.slots[7].shape = {3}; }},
      {"steps[2]: the bias is not a parameter of shape [6] among the inputs",
       [](Schedule &s) { s.params[1].shape = {5}; }},
      {"steps[3]: the accumulated tensor is not one of the result's shape "
       "among the inputs",
       [](Schedule &s) { s.steps[3].accumulate = 1; s.steps[3].inputs[2] = 1; }},
      {"steps[2]: unknown activation 'bogus'",
       [](Schedule &s) {
         s.steps[2].epilogue.activation = DenseActivation(40);
       }},
      {"steps[0]: no kernel name",
       [](Schedule &s) { s.steps[0].kernel.clear(); }},
      {"schedule.input: slot 12 does not exist (12 slots)",
       [](Schedule &s) { s.input = 12; }},
      {"slots[1]: vertex features that are not the input",
       [](Schedule &s) { s.input = 9; }},
      {"slots[2]: edge features that are not the edge input",
       [](Schedule &s) { s.edgeInput = -1; }},
      {"schedule.output: not a vertex tensor",
       [](Schedule &s) { s.output = 7; }},
      // Rows only in-edges read: every reader gathers them, none through
      // a view or at targets, and they are not the output.
      {"steps[3]: source_rows_only, but its result is read other than at "
       "in-edge sources",
       [](Schedule &s) { s.steps[4].gathers = {9}; }},
      {"steps[2]: source_rows_only, but its result is read other than at "
       "in-edge sources",
       [](Schedule &s) { s.steps[2].sourceRowsOnly = true; }},
      {"steps[3]: source_rows_only, but its result is read other than at "
       "in-edge sources",
       [](Schedule &s) { s.output = 10; }},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(c.expected);
    Schedule s = sampleSchedule();
    c.damage(s);
    std::string error;
    bool badAggregation =
        s.steps[0].push->aggregation == PushForm::Aggregation(5);
    if (s.slots[0].kind == SlotKind(17) ||
        s.steps[2].epilogue.activation == DenseActivation(40) || badAggregation) {
      // Kinds the enums cannot hold: damage the text instead.
      Schedule valid = sampleSchedule();
      std::string text = serializeSchedule(valid);
      if (s.slots[0].kind == SlotKind(17))
        text.replace(text.find("\"kind\":\"graph\""), 14, "\"kind\":\"gone\"");
      else if (badAggregation)
        text.replace(text.find("\"aggregation\":\"softmax\""), 23,
                     "\"aggregation\":\"sideways\"");
      else
        text.replace(text.find("\"activation\":\"leaky_relu\""), 25,
                     "\"activation\":\"bogus\"");
      auto parsed = parseSchedule(text, "m.o");
      error = parsed ? "" : llvm::toString(parsed.takeError());
    } else {
      error = parseError(s);
    }
    EXPECT_EQ(error, std::string("m.o: invalid schedule: ") + c.expected);
  }
}

/// sampleSchedule with its vertex linear (then steps[3]) scaling each row
/// by a slot of one float per vertex, which a launch first writes.
Schedule scaledSchedule() {
  Schedule s = sampleSchedule();
  Slot one{SlotKind::Buffer, {1}};
  one.rowSize = 1;
  s.slots.push_back(one);
  int k = int(s.slots.size() - 1);
  Step norm;
  norm.kind = Step::Kind::Launch;
  norm.kernel = "forward_kernel2";
  norm.inputs = {0};
  norm.result = k;
  s.steps.insert(s.steps.begin(), norm);
  s.steps[3].inputs.push_back(k);
  s.steps[3].scale = k;
  return s;
}

TEST(ScheduleFormatTest, ALinearsScaleRoundTripsAndIsChecked) {
  Schedule s = scaledSchedule();
  std::string text = serializeSchedule(s);
  EXPECT_NE(text.find("\"inputs\":[6,3,4,12],\"bias\":4,\"scale\":12,"),
            std::string::npos)
      << text;
  auto parsed = parseSchedule(text, "m.o");
  ASSERT_TRUE(bool(parsed)) << llvm::toString(parsed.takeError()) << "\n" << text;
  ASSERT_EQ(parsed->steps.size(), s.steps.size());
  for (size_t i = 0; i < s.steps.size(); ++i) {
    EXPECT_EQ(parsed->steps[i].scale, s.steps[i].scale) << "step " << i;
    EXPECT_EQ(parsed->steps[i].inputs, s.steps[i].inputs) << "step " << i;
  }

  struct Case {
    std::string expected;
    std::function<void(Schedule &)> damage;
  };
  std::vector<Case> cases = {
      // A runtime that predates `scale` sees one input too many.
      {"steps[3]: a linear step takes 3 inputs, not 4",
       [](Schedule &s) { s.steps[3].scale = -1; }},
      {"steps[3]: the scale is not a tensor of one float per row among the "
       "inputs",
       [](Schedule &s) { s.steps[3].scale = s.steps[3].inputs[3] = 6; }},
      {"steps[3]: the scale is not a tensor of one float per row among the "
       "inputs",
       [](Schedule &s) { s.steps[3].scale = s.steps[3].inputs[3] = 2; }},
      {"steps[3]: the scale is not a tensor of one float per row among the "
       "inputs",
       [](Schedule &s) { s.steps[3].scale = 4; }},
      // Input rows of two matmul rows each (a [3, 3] weight on rows of 6).
      {"steps[3]: a scaled linear step has rows of 6 floats, not one matmul "
       "row of 3",
       [](Schedule &s) {
         s.slots[6].shape = {6};
         s.slots[6].rowSize = 6;
         s.params[0].shape = {3, 3};
         s.params[1].shape = {3};
       }},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(c.expected);
    Schedule damaged = scaledSchedule();
    c.damage(damaged);
    EXPECT_EQ(parseError(damaged),
              std::string("m.o: invalid schedule: ") + c.expected);
  }
}

} // namespace
