//===- PartialStatesTest.cpp - Merging a push form's partial states -------===//
//
// A target's messages split among parts: each part's state (built here by
// a plain loop in double precision, as the partial kernel would in float)
// merged with mergePartialState, then finished, must equal the
// aggregation of all messages computed directly.
//
//===----------------------------------------------------------------------===//
#include "runtime/PartialStates.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>

using namespace gnn::detail;

namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();

/// A message: its value row and, for softmax, its logit row.
struct Message {
  std::vector<double> value, logit;
};

PushForm formOf(PushForm::Aggregation aggregation, int acc, int logits) {
  PushForm f;
  f.aggregation = aggregation;
  f.accFloats = acc;
  if (aggregation == PushForm::Aggregation::Softmax) {
    f.logitFloats = logits;
    for (int i = 0; i < acc; ++i)
      f.logitOf.push_back(i / (acc / logits)); // heads of acc/logits values
  }
  return f;
}

/// The state row of `messages`, as the partial kernel defines it.
std::vector<float> stateOf(const PushForm &f, const std::vector<Message> &messages) {
  std::vector<float> state(f.stateFloats(), 0.0f);
  int64_t acc = f.accFloats;
  for (int64_t i = 0; i < acc; ++i) {
    double v = f.aggregation == PushForm::Aggregation::Max   ? -kInf
               : f.aggregation == PushForm::Aggregation::Min ? kInf
                                                             : 0.0;
    if (f.aggregation == PushForm::Aggregation::Softmax) {
      int l = f.logitOf[i];
      double m = -kInf;
      for (const Message &msg : messages)
        m = std::max(m, msg.logit[l]);
      for (const Message &msg : messages)
        v += std::exp(msg.logit[l] - m) * msg.value[i];
    } else {
      for (const Message &msg : messages) {
        if (f.aggregation == PushForm::Aggregation::Max)
          v = std::max(v, msg.value[i]);
        else if (f.aggregation == PushForm::Aggregation::Min)
          v = std::min(v, msg.value[i]);
        else
          v += msg.value[i];
      }
    }
    state[i] = v;
  }
  for (int64_t l = 0; l < f.logitFloats; ++l) {
    double m = -kInf, s = 0;
    for (const Message &msg : messages)
      m = std::max(m, msg.logit[l]);
    for (const Message &msg : messages)
      s += std::exp(msg.logit[l] - m);
    state[acc + l] = m;
    state[acc + f.logitFloats + l] = s;
  }
  if (f.hasCount()) {
    int32_t count = messages.size();
    std::memcpy(&state[f.stateFloats() - 1], &count, sizeof count);
  }
  return state;
}

/// The aggregation of `messages` computed directly (PyG's: empty is 0).
std::vector<double> aggregate(const PushForm &f, const std::vector<Message> &messages) {
  std::vector<double> out(f.accFloats, 0.0);
  if (messages.empty())
    return out;
  for (int64_t i = 0; i < f.accFloats; ++i) {
    switch (f.aggregation) {
    case PushForm::Aggregation::Add:
    case PushForm::Aggregation::Mean:
      for (const Message &m : messages)
        out[i] += m.value[i];
      if (f.aggregation == PushForm::Aggregation::Mean)
        out[i] /= messages.size();
      break;
    case PushForm::Aggregation::Max:
    case PushForm::Aggregation::Min:
      out[i] = messages[0].value[i];
      for (const Message &m : messages)
        out[i] = f.aggregation == PushForm::Aggregation::Max
                     ? std::max(out[i], m.value[i])
                     : std::min(out[i], m.value[i]);
      break;
    case PushForm::Aggregation::Softmax: {
      // softmax over the messages of logit l, the plain way.
      int l = f.logitOf[i];
      double total = 0;
      for (const Message &m : messages)
        total += std::exp(m.logit[l]);
      for (const Message &m : messages)
        out[i] += std::exp(m.logit[l]) / total * m.value[i];
      break;
    }
    }
  }
  return out;
}

/// The finish kernel's result from a merged state.
std::vector<double> finish(const PushForm &f, const std::vector<float> &state) {
  int32_t count = 0;
  if (f.hasCount())
    std::memcpy(&count, &state[f.stateFloats() - 1], sizeof count);
  std::vector<double> out(f.accFloats);
  for (int64_t i = 0; i < f.accFloats; ++i) {
    double v = state[i];
    if (f.aggregation == PushForm::Aggregation::Mean)
      v /= std::max(count, 1);
    if (f.aggregation == PushForm::Aggregation::Softmax)
      v /= state[f.accFloats + f.logitFloats + f.logitOf[i]];
    if (f.hasCount() && count == 0)
      v = 0;
    out[i] = v;
  }
  return out;
}

void checkSplits(PushForm::Aggregation aggregation, int acc, int logits) {
  PushForm f = formOf(aggregation, acc, logits);
  std::mt19937 rng(17);
  std::normal_distribution<double> normal(0.0, 2.0);
  for (int trial = 0; trial < 200; ++trial) {
    int n = rng() % 12;
    std::vector<Message> messages(n);
    for (Message &m : messages) {
      for (int i = 0; i < acc; ++i)
        m.value.push_back(float(normal(rng)));
      for (int l = 0; l < logits; ++l)
        m.logit.push_back(float(4 * normal(rng)));
    }
    // Parts 0..3 own the sources at random; some own none of them.
    int parts = 1 + rng() % 4;
    std::vector<std::vector<Message>> pieces(parts);
    for (const Message &m : messages)
      pieces[rng() % parts].push_back(m);
    std::vector<float> merged = stateOf(f, pieces[0]);
    for (int p = 1; p < parts; ++p)
      mergePartialState(f, merged.data(), stateOf(f, pieces[p]).data());
    std::vector<double> got = finish(f, merged), want = aggregate(f, messages);
    for (int i = 0; i < acc; ++i)
      EXPECT_NEAR(got[i], want[i], 1e-5 * (1 + std::abs(want[i])))
          << "trial " << trial << ", " << n << " messages in " << parts
          << " parts, element " << i;
  }
}

TEST(PartialStatesTest, SumsAndMeansAddUp) {
  checkSplits(PushForm::Aggregation::Add, 5, 0);
  checkSplits(PushForm::Aggregation::Mean, 5, 0);
}

TEST(PartialStatesTest, MaximaAndMinimaCombine) {
  checkSplits(PushForm::Aggregation::Max, 3, 0);
  checkSplits(PushForm::Aggregation::Min, 3, 0);
}

TEST(PartialStatesTest, SoftmaxStatesRescaleToTheLargerMaximum) {
  checkSplits(PushForm::Aggregation::Softmax, 6, 2); // 2 heads of 3 values
  checkSplits(PushForm::Aggregation::Softmax, 4, 4); // a logit per value
}

TEST(PartialStatesTest, ManyLogitsAndEmptySides) {
  checkSplits(PushForm::Aggregation::Softmax, 80, 80); // past the stack's 64
  // An empty state merged into an empty one stays empty.
  PushForm f = formOf(PushForm::Aggregation::Softmax, 2, 2);
  std::vector<float> a = stateOf(f, {}), b = stateOf(f, {});
  mergePartialState(f, a.data(), b.data());
  EXPECT_EQ(a[2], -kInf);
  EXPECT_EQ(a[4], 0.0f);
  EXPECT_EQ(a[0], 0.0f);
}

TEST(PartialStatesTest, SignedZerosOrderAsTheKernelsDo) {
  // arith.maximumf / minimumf: -0 < +0, whichever side holds it.
  for (auto aggregation : {PushForm::Aggregation::Max, PushForm::Aggregation::Min})
    for (bool negativeFirst : {false, true}) {
      PushForm f = formOf(aggregation, 1, 0);
      std::vector<float> a = {negativeFirst ? -0.0f : 0.0f, 0.0f},
                         b = {negativeFirst ? 0.0f : -0.0f, 0.0f};
      mergePartialState(f, a.data(), b.data());
      EXPECT_EQ(std::signbit(a[0]), aggregation == PushForm::Aggregation::Min);
    }
}

TEST(PartialStatesTest, MaximumPropagatesNaN) {
  PushForm f = formOf(PushForm::Aggregation::Max, 1, 0);
  std::vector<float> a = {1.0f, 0.0f}, b = {std::nanf(""), 0.0f};
  int32_t one = 1;
  std::memcpy(&a[1], &one, 4);
  std::memcpy(&b[1], &one, 4);
  mergePartialState(f, a.data(), b.data());
  EXPECT_TRUE(std::isnan(a[0]));
  int32_t count;
  std::memcpy(&count, &a[1], 4);
  EXPECT_EQ(count, 2);
}

} // namespace
