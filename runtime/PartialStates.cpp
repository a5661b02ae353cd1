//===- PartialStates.cpp - Merging a push form's partial states -----------===//
#include "PartialStates.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

using namespace gnn::detail;

/// arith.maximumf / minimumf: NaN if either is, else the larger / smaller,
/// with -0 below +0.
static float maximum(float a, float b) {
  if (std::isnan(a) || std::isnan(b))
    return std::numeric_limits<float>::quiet_NaN();
  if (a == b)
    return std::signbit(a) ? b : a;
  return a < b ? b : a;
}
static float minimum(float a, float b) {
  if (std::isnan(a) || std::isnan(b))
    return std::numeric_limits<float>::quiet_NaN();
  if (a == b)
    return std::signbit(a) ? a : b;
  return b < a ? b : a;
}

void gnn::detail::mergePartialState(const PushForm &form, float *into,
                                    const float *from) {
  int64_t acc = form.accFloats;
  switch (form.aggregation) {
  case PushForm::Aggregation::Add:
  case PushForm::Aggregation::Mean:
    for (int64_t i = 0; i < acc; ++i)
      into[i] += from[i];
    break;
  case PushForm::Aggregation::Max:
    for (int64_t i = 0; i < acc; ++i)
      into[i] = maximum(into[i], from[i]);
    break;
  case PushForm::Aggregation::Min:
    for (int64_t i = 0; i < acc; ++i)
      into[i] = minimum(into[i], from[i]);
    break;
  case PushForm::Aggregation::Softmax: {
    int64_t logits = form.logitFloats;
    float *max = into + acc, *sum = max + logits;
    const float *fromMax = from + acc, *fromSum = fromMax + logits;
    // Per logit, the factors that bring each side to the common maximum.
    // A side without messages (maximum -inf, sums 0) weighs 0.
    float scale[64], fromScale[64];
    std::vector<float> heapScale, heapFromScale;
    float *keep = scale, *add = fromScale;
    if (logits > 64) {
      heapScale.resize(logits);
      heapFromScale.resize(logits);
      keep = heapScale.data();
      add = heapFromScale.data();
    }
    for (int64_t l = 0; l < logits; ++l) {
      float m = maximum(max[l], fromMax[l]);
      bool none = m == -std::numeric_limits<float>::infinity();
      keep[l] = none || max[l] == -std::numeric_limits<float>::infinity()
                    ? (none ? 1.0f : 0.0f)
                    : std::exp(max[l] - m);
      add[l] = none || fromMax[l] == -std::numeric_limits<float>::infinity()
                   ? 0.0f
                   : std::exp(fromMax[l] - m);
      sum[l] = sum[l] * keep[l] + fromSum[l] * add[l];
      max[l] = m;
    }
    for (int64_t i = 0; i < acc; ++i) {
      int l = form.logitOf[i];
      into[i] = into[i] * keep[l] + from[i] * add[l];
    }
    break;
  }
  }
  if (form.hasCount()) {
    int32_t count, fromCount;
    std::memcpy(&count, into + form.stateFloats() - 1, sizeof count);
    std::memcpy(&fromCount, from + form.stateFloats() - 1, sizeof fromCount);
    count += fromCount;
    std::memcpy(into + form.stateFloats() - 1, &count, sizeof count);
  }
}
