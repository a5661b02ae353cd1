//===- RandomTensor.h - Deterministic test tensors ------------------------===//
#ifndef GNN_TEST_UNIT_RANDOMTENSOR_H
#define GNN_TEST_UNIT_RANDOMTENSOR_H

#include "gnn/Tensor.h"

#include <random>
#include <vector>

namespace gnn::test {

/// A tensor of multiples of 1/500 in [-2, 2], the same for a given seed.
inline Tensor randomTensor(std::vector<int64_t> shape, unsigned seed) {
  Tensor t(std::move(shape));
  std::mt19937 rng(seed);
  for (size_t i = 0; i < t.numElements(); ++i)
    t.data()[i] = float(int(rng() % 2001) - 1000) / 500.0f;
  return t;
}

} // namespace gnn::test

#endif // GNN_TEST_UNIT_RANDOMTENSOR_H
